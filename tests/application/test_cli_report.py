"""``tracker report accountability``: the report of a year, in every format."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from projections.accountability import Period, accountability_report, report_document
from projections.views import open_views
from tests.conftest import Demo
from tests.stores import Store
from tracker.application import open_tracker
from tracker.cli import main
from tracker.cli_report import FORMATS, LANGUAGES
from web.reports.rendering import REPORT_FORMATS, REPORT_LANGUAGES


@pytest.fixture
def home(
    store: Store, demo_store: Demo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """A copy of the demo store; commands run in tmp_path."""
    home = tmp_path / "home"
    demo_store.copy(store, home)
    for name, value in store.environ(home).items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)
    return home


def run(*arguments: str) -> tuple[int, str]:
    """Run ``tracker report accountability`` with these arguments."""
    result = CliRunner().invoke(main, ["report", "accountability", *arguments])
    return result.exit_code, result.output


def test_the_json_is_the_report_counted_from_the_views(
    store: Store, home: Path
) -> None:
    code, output = run("--year", "2025", "--municipality", "str", "-o", "-")
    assert code == 0, output
    settings = store.settings(home)
    tracker = open_tracker(settings)
    views = open_views(tracker, settings)
    with views.reading() as c:
        expected = report_document(
            accountability_report(
                c, Period.year(2025, today=tracker.clock()), municipality="STR"
            )
        )
    views.close()
    tracker.close()
    assert json.loads(output) == json.loads(json.dumps(expected))


def test_every_format_is_written_to_a_file_named_for_the_report(
    home: Path, tmp_path: Path
) -> None:
    for file_format, name in (
        ("json", "cfpi-accountability-2024-sq.json"),
        ("html", "cfpi-accountability-2024-sq.html"),
        ("pdf", "cfpi-accountability-2024-sq.pdf"),
        ("xlsx", "cfpi-accountability-2024-sq.xlsx"),
        ("csv", "cfpi-accountability-2024-sq.zip"),
    ):
        code, output = run("--year", "2024", "--format", file_format)
        assert code == 0, output
        assert f"Report written to {name}" in output
    assert (tmp_path / "cfpi-accountability-2024-sq.pdf").read_bytes()[:5] == b"%PDF-"
    html = (tmp_path / "cfpi-accountability-2024-sq.html").read_text()
    assert '<html lang="sq"' in html
    assert "<script" not in html
    assert openpyxl.load_workbook(tmp_path / "cfpi-accountability-2024-sq.xlsx")
    with zipfile.ZipFile(tmp_path / "cfpi-accountability-2024-sq.zip") as archive:
        assert "figures.csv" in archive.namelist()


def test_the_language_is_chosen_per_report(home: Path, tmp_path: Path) -> None:
    code, output = run(
        "--from", "2024-04-01", "--to", "2024-06-30", "--municipality", "GRA",
        "--format", "html", "--language", "sr_Cyrl", "-o", "gra.html",
    )  # fmt: skip
    assert code == 0, output
    html = (tmp_path / "gra.html").read_text()
    assert '<html lang="sr-Cyrl"' in html
    assert "Грачаница" in html


@pytest.mark.parametrize(
    ("arguments", "said"),
    [
        (("--year", "1980"), "error (year): the year must be from 1990"),
        (("--municipality", "XYZ"), "error (municipality): 'XYZ' is not"),
        (("--from", "2025-03-01", "--to", "2025-02-01"), "error (end): the period"),
        (("--from", "2025-03-01"), "error (end): give both the first and the last"),
        (("--year", "0"), "error (year): the year must be from 1990"),
        (("--format", "docx"), "Invalid value for '--format'"),
    ],
)
def test_a_request_that_makes_no_sense_is_told_and_writes_nothing(
    home: Path, tmp_path: Path, arguments: tuple[str, ...], said: str
) -> None:
    code, output = run(*arguments)
    assert code != 0
    assert said in output
    assert not list(tmp_path.glob("cfpi-accountability-*"))


def test_the_command_offers_every_format_and_language_of_the_report() -> None:
    assert set(FORMATS) == set(REPORT_FORMATS)
    assert set(LANGUAGES) == set(REPORT_LANGUAGES)
