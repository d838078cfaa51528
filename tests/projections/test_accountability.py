"""The accountability report: the period before, the change, the table per
municipality and the government responses, known by construction on a
forum's year and equal, on the demo data, to the same counted from the events."""

from __future__ import annotations

from dataclasses import astuple, replace
from datetime import date

import pytest

from domain.errors import InvalidValue
from projections import accountability
from projections.accountability import (
    AccountabilityReport,
    GovernmentResponse,
    IncompletePeriod,
    Period,
    accountability_report,
    read_report,
)
from projections.figure_queries import AccountabilityFigures, accountability_figures
from projections.figure_tally import tallies
from projections.views import Views
from tests.conftest import TODAY
from tests.projections.figures_oracle import History, government_responses
from tests.projections.forum_year import END
from tests.projections.test_figures import (
    ALL_2024,
    PLACES,
    START,
    STRPCE_2024,
    YEARS,
)


def report_of(
    views: Views, period: Period, municipality: str | None
) -> AccountabilityReport:
    """The report the views give."""
    with views.reading() as c:
        return accountability_report(c, period, municipality=municipality)


# -- the period before --------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "before_start", "before_end"),
    [
        ("2024-01-01", "2024-12-31", "2023-01-01", "2023-12-31"),  # a year
        ("2026-01-01", "2026-01-15", "2025-01-01", "2025-01-15"),  # to date
        ("2026-01-01", "2026-02-10", "2025-01-01", "2025-02-10"),  # to date
        ("2024-01-01", "2024-02-29", "2023-11-01", "2023-12-31"),  # two months
        ("2024-01-01", "2024-03-31", "2023-10-01", "2023-12-31"),  # first quarter
        ("2024-04-01", "2024-06-30", "2024-01-01", "2024-03-31"),  # a quarter
        ("2024-01-01", "2024-06-30", "2023-07-01", "2023-12-31"),  # first half
        ("2024-07-01", "2024-12-31", "2024-01-01", "2024-06-30"),  # second half
        ("2024-01-01", "2024-01-31", "2023-12-01", "2023-12-31"),  # January
        ("2024-03-01", "2024-03-31", "2024-02-01", "2024-02-29"),  # a month
        ("2023-07-01", "2024-12-31", "2022-01-01", "2023-06-30"),  # 18 months
        ("2024-03-10", "2024-03-19", "2024-02-29", "2024-03-09"),  # ten days
    ],
)
def test_the_previous_period_is_of_the_same_kind(
    start: str, end: str, before_start: str, before_end: str
) -> None:
    period = Period(date.fromisoformat(start), date.fromisoformat(end))
    assert period.previous() == Period(
        date.fromisoformat(before_start), date.fromisoformat(before_end)
    )


def test_a_period_is_asked_by_its_days_or_its_year() -> None:
    asked = Period.asked
    assert asked(today=TODAY) == Period(date(2025, 1, 1), date(2025, 12, 31))
    assert asked(today=date(2026, 3, 1)) == Period(date(2026, 1, 1), date(2026, 3, 1))
    assert asked(today=TODAY, year=2024).start == date(2024, 1, 1)
    days = asked(today=TODAY, year=2023, start=date(2025, 2, 1), end=date(2025, 2, 9))
    assert days == Period(date(2025, 2, 1), date(2025, 2, 9))
    with pytest.raises(IncompletePeriod) as refused:
        asked(today=TODAY, start=date(2025, 2, 1))
    assert refused.value.field == "end"
    with pytest.raises(InvalidValue, match="year"):
        asked(today=TODAY, year=0)


def test_a_period_is_checked_and_ends_by_today() -> None:
    assert Period.year(2026, today=TODAY) == Period(date(2026, 1, 1), TODAY)
    assert Period.year(2025, today=TODAY).end == date(2025, 12, 31)
    for year, field in ((1989, "year"), (2027, "year")):
        with pytest.raises(Exception, match="year") as refused:
            Period.year(year, today=TODAY)
        assert getattr(refused.value, "field", None) == field
    with pytest.raises(Exception, match="ends before") as refused:
        Period.between(date(2025, 2, 1), date(2025, 1, 1), today=TODAY)
    assert getattr(refused.value, "field", None) == "end"
    with pytest.raises(Exception, match="not begun"):
        Period.between(date(2026, 2, 1), date(2026, 3, 1), today=TODAY)


# -- a forum's 2024, by construction -------------------------------------------

# 2023 holds one case: raised 2023-12-01 by one community, accepted, petitioned.
STRPCE_2023 = AccountabilityFigures(
    period_start=date(2023, 1, 1),
    period_end=date(2023, 12, 31),
    municipality=None,
    cases_raised=1,
    cases_jointly_raised=0,
    joint_share=0.0,
    cases_by_category={"public_services": 1},
    cases_by_status={"in_advocacy": 1},
    advocacy_actions=1,
    advocacy_actions_by_kind={"petition": 1},
    referrals_made=0,
    responses_received=0,
    responses_by_kind={},
    government_responses=0,
    response_rate=None,
    median_days_to_first_response=None,
    median_days_to_substantive_response=None,
    overdue_referrals=0,
    commitments_made=0,
    commitments_fulfilled=0,
    cases_resolved=0,
    cases_partially_resolved=0,
    cases_unresolved=0,
    meetings_held=0,
    meeting_attendance_total=0,
    attendance_by_gender={},
    attendance_by_community={},
)


def test_the_report_of_a_year_beside_the_year_before(forum_year: Views) -> None:
    report = report_of(forum_year, Period(START, END), None)
    assert report.figures == ALL_2024
    assert report.previous_period == Period(date(2023, 1, 1), date(2023, 12, 31))
    assert report.previous == STRPCE_2023
    assert report.change() == {
        "cases_raised": 5,
        "cases_jointly_raised": 2,
        "joint_share": pytest.approx(2 / 6),
        "cases_by_category": {
            "environment": 3,
            "infrastructure": 2,
            "youth_emigration": 1,
            "public_services": -1,
        },
        "cases_by_status": {
            "accepted": 1,
            "answered": 2,
            "awaiting_response": 1,
            "declined": 1,
            "partially_resolved": 1,
            "in_advocacy": -1,
        },
        "advocacy_actions": 1,
        "advocacy_actions_by_kind": {"letter": 1, "media": 1, "petition": -1},
        "referrals_made": 6,
        "responses_received": 6,
        "responses_by_kind": {
            "acknowledgement": 2,
            "commitment": 2,
            "information": 1,
            "policy_change": 1,
        },
        "government_responses": 4,
        "response_rate": None,  # nothing was referred in 2023
        "median_days_to_first_response": None,
        "median_days_to_substantive_response": None,
        "overdue_referrals": 1,
        "commitments_made": 2,
        "commitments_fulfilled": 1,
        "cases_resolved": 1,
        "cases_partially_resolved": 1,
        "cases_unresolved": 0,
        "meetings_held": 2,
        "meeting_attendance_total": 17,
        "attendance_by_gender": {"female": 11, "male": 6},
        "attendance_by_community": {"albanian": 4, "roma": 6, "serb": 7},
    }


def test_each_municipality_has_its_row_and_the_rows_add_up(forum_year: Views) -> None:
    report = report_of(forum_year, Period(START, END), None)
    assert [row.municipality for row in report.municipalities] == ["GRA", "STR"]
    gracanica, strpce = report.municipalities
    assert strpce == STRPCE_2024
    assert (
        astuple(gracanica)[3:]
        == astuple(
            replace(
                STRPCE_2023,
                cases_raised=1,
                cases_jointly_raised=0,
                joint_share=0.0,
                cases_by_category={"environment": 1},
                cases_by_status={"answered": 1},
                advocacy_actions=0,
                advocacy_actions_by_kind={},
                referrals_made=1,
                responses_received=1,
                responses_by_kind={"information": 1},
                government_responses=1,
                response_rate=1.0,
                median_days_to_first_response=10,
                median_days_to_substantive_response=10,
                meetings_held=1,
                meeting_attendance_total=6,
                attendance_by_gender={"female": 6},
                attendance_by_community={"roma": 6},
            )
        )[3:]
    )
    for name in ("cases_raised", "referrals_made", "government_responses"):
        assert getattr(gracanica, name) + getattr(strpce, name) == getattr(
            report.figures, name
        )


def test_the_government_responses_of_the_year(forum_year: Views) -> None:
    report = report_of(forum_year, Period(START, END), None)
    assert report.government_responses == (
        by_the_mayor("STR-2023-001", "commitment", date(2024, 1, 20)),
        by_the_mayor("STR-2024-001", "policy_change", date(2024, 3, 1)),
        by_the_mayor("STR-2024-002", "commitment", date(2024, 3, 25)),
        by_the_mayor("GRA-2024-001", "information", date(2024, 7, 15)),
    )
    only_gracanica = report_of(forum_year, Period(START, END), "GRA")
    assert [r.reference for r in only_gracanica.government_responses] == [
        "GRA-2024-001"
    ]
    assert only_gracanica.figures == accountability_figures_of(forum_year, "GRA")


def by_the_mayor(reference: str, kind: str, on: date) -> GovernmentResponse:
    """A response of the mayor's to one of the forum year's cases."""
    return GovernmentResponse(
        reference, reference[:3], "mayor", "Mayor", kind, on.isoformat()
    )


def accountability_figures_of(views: Views, municipality: str) -> AccountabilityFigures:
    """The 2024 figures of one municipality, asked for alone."""
    with views.reading() as c:
        return accountability_figures(
            c, start=START, end=END, municipality=municipality
        )


# -- the demo forums: the report agrees with the replayed events ---------------


def _in_any_order(
    responses: tuple[GovernmentResponse, ...] | list[GovernmentResponse],
) -> list[tuple[object, ...]]:
    return sorted(tuple(r) for r in responses)


@pytest.mark.parametrize("number", YEARS)
@pytest.mark.parametrize("place", PLACES)
def test_the_demo_report_equals_the_replayed_events(
    demo_figures: tuple[Views, History], number: int, place: str | None
) -> None:
    views, history = demo_figures
    period = Period.year(number, today=TODAY)
    report = report_of(views, period, place)
    before = period.previous()
    assert report.figures == history.figures(
        start=period.start, end=period.end, municipality=place
    )
    assert report.previous == history.figures(
        start=before.start, end=before.end, municipality=place
    )
    for row in report.municipalities:
        assert row == history.figures(
            start=period.start, end=period.end, municipality=row.municipality
        )
    expected = government_responses(
        history, start=period.start, end=period.end, municipality=place
    )
    assert _in_any_order(report.government_responses) == _in_any_order(expected)
    days = [r.received_on for r in report.government_responses]
    assert days == sorted(days)
    assert len(expected) == report.figures.government_responses


@pytest.mark.parametrize("place", [None, "STR"])
def test_reading_the_two_periods_at_once_gives_the_same_report(
    demo_figures: tuple[Views, History], place: str | None
) -> None:
    views, _ = demo_figures
    for number in YEARS:
        period = Period.year(number, today=TODAY)
        assert read_report(views, period, municipality=place) == report_of(
            views, period, place
        )


def test_a_write_between_the_two_readings_has_the_earlier_period_counted_again(
    demo_figures: tuple[Views, History], monkeypatch: pytest.MonkeyPatch
) -> None:
    views, _ = demo_figures
    readings = iter(range(100))
    positions = []

    def moving(c: object) -> tuple[object, ...]:
        # Each transaction sees the log one write further on.
        positions.append(next(readings))
        return (positions[-1],)

    monkeypatch.setattr(accountability, "views_position", moving)
    counted = []

    def noted(c: object, **period: object) -> object:
        counted.append(period["start"])
        return tallies(c, **period)  # type: ignore[arg-type]

    monkeypatch.setattr(accountability, "tallies", noted)
    period = Period.year(2025, today=TODAY)
    report = read_report(views, period)
    monkeypatch.undo()
    assert len(positions) == 2
    assert counted.count(date(2024, 1, 1)) == 2  # once elsewhere, once again
    assert report == report_of(views, period, None)
