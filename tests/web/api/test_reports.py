"""The accountability report through the API: §6's names, any period, limits."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from flask import Flask

from projections.accountability import (
    FIGURE_NAMES,
    Period,
    accountability_report,
    report_document,
)
from tests.conftest import TODAY
from tests.web.api.conftest import ApiClient
from tests.web.conftest import services_of

REPORT = "/api/v1/reports/accountability"


def reported(app: Flask, period: Period, municipality: str | None) -> dict[str, Any]:
    """The report document counted directly from the app's views, through JSON."""
    with services_of(app).views.reading() as c:
        report = accountability_report(c, period, municipality=municipality)
    document: dict[str, Any] = json.loads(json.dumps(report_document(report)))
    return document


def test_the_report_names_every_figure_as_design_does(
    app: Flask, demo_api: dict[str, ApiClient]
) -> None:
    answer = demo_api["viewer"].get(REPORT, year=2025)
    assert answer.status_code == 200
    body = answer.get_json()
    assert set(FIGURE_NAMES) <= set(body)
    assert set(FIGURE_NAMES) <= set(body["previous_period"])
    assert set(body["change"]) == set(FIGURE_NAMES)
    assert (body["period_start"], body["period_end"]) == ("2025-01-01", "2025-12-31")
    assert body["previous_period"]["period_start"] == "2024-01-01"
    assert body["cases_raised"] > 0
    assert body["government_responses"]
    assert body == reported(app, Period.year(2025, today=TODAY), None)


def test_a_municipality_and_any_period(
    app: Flask, demo_api: dict[str, ApiClient]
) -> None:
    body = (
        demo_api["advocate"]
        .get(REPORT, municipality="STR", start="2024-04-01", end="2024-06-30")
        .get_json()
    )
    assert body["municipality"] == "STR"
    assert body["previous_period"]["period_start"] == "2024-01-01"
    assert body["previous_period"]["period_end"] == "2024-03-31"
    assert [row["municipality"] for row in body["municipalities"]] in ([], ["STR"])
    assert all(r["municipality"] == "STR" for r in body["government_responses"])
    period = Period(date(2024, 4, 1), date(2024, 6, 30))
    assert body == reported(app, period, "STR")


def test_the_current_year_is_counted_to_date(demo_api: dict[str, ApiClient]) -> None:
    body = demo_api["viewer"].get(REPORT, year=TODAY.year).get_json()
    assert body["period_end"] == TODAY.isoformat()
    assert body["previous_period"]["period_end"] == "2025-01-15"


def test_unless_asked_the_report_is_of_last_year_until_march(
    demo_api: dict[str, ApiClient],
) -> None:
    body = demo_api["viewer"].get(REPORT).get_json()
    assert TODAY.month < 3
    assert (body["period_start"], body["period_end"]) == ("2025-01-01", "2025-12-31")


def test_the_days_win_over_the_year(demo_api: dict[str, ApiClient]) -> None:
    body = (
        demo_api["viewer"]
        .get(REPORT, year=2023, start="2025-01-01", end="2025-02-28")
        .get_json()
    )
    assert (body["period_start"], body["period_end"]) == ("2025-01-01", "2025-02-28")


def test_a_secretary_reports_on_their_own_municipalities(
    demo_api: dict[str, ApiClient],
) -> None:
    secretary = demo_api["secretary"]
    assert secretary.get(REPORT, year=2025, municipality="GRA").status_code == 200
    assert secretary.get(REPORT, year=2025, municipality="STR").status_code == 404
    refused = secretary.get(REPORT, year=2025)
    assert refused.status_code == 422
    assert refused.get_json()["errors"][0]["field"] == "municipality"


def test_a_period_that_makes_no_sense_is_refused_by_field(
    demo_api: dict[str, ApiClient],
) -> None:
    viewer = demo_api["viewer"]
    for query, field in (
        ({"year": 1989}, "year"),
        ({"year": TODAY.year + 1}, "year"),
        ({"year": "last"}, "year"),
        ({"start": "2025-02-01", "end": "2025-01-01"}, "end"),
        ({"start": "2025-02-01"}, "end"),
        ({"year": 0}, "year"),
        ({"start": "2027-01-01", "end": "2027-02-01"}, "start"),
        ({"municipality": "XXX"}, "municipality"),
    ):
        answer = viewer.get(REPORT, **query)
        assert answer.status_code == 422, query
        assert field in [e["field"] for e in answer.get_json()["errors"]], query
