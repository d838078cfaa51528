"""Reading what /metrics answered, as Prometheus would."""

from __future__ import annotations

from flask.testing import FlaskClient
from prometheus_client.parser import text_string_to_metric_families

Labels = frozenset[tuple[str, str]]


class Scrape:
    """One answer of /metrics, by sample name and labels."""

    def __init__(self, text: str) -> None:
        self.samples: dict[tuple[str, Labels], float] = {
            (sample.name, frozenset(sample.labels.items())): sample.value
            for family in text_string_to_metric_families(text)
            for sample in family.samples
        }

    @classmethod
    def of(cls, client: FlaskClient, **headers: str) -> Scrape:
        """Ask the app for /metrics (it must answer them)."""
        answer = client.get("/metrics", headers=headers)
        assert answer.status_code == 200
        assert answer.mimetype == "text/plain"
        return cls(answer.get_data(as_text=True))

    def value(self, name: str, **labels: str) -> float:
        """The value of the sample with exactly these labels (0 if none yet)."""
        return self.samples.get((name, frozenset(labels.items())), 0.0)

    def total(self, name: str, **labels: str) -> float:
        """The sum over every sample of a name that has these labels (and more)."""
        wanted = set(labels.items())
        return sum(
            v for (n, ls), v in self.samples.items() if n == name and wanted <= ls
        )

    def labels(self, name: str, label: str) -> set[str]:
        """Every value one label takes in the samples of a name."""
        return {dict(ls)[label] for n, ls in self.samples if n == name}
