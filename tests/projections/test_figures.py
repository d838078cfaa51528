"""The accountability figures (DESIGN §6): known by construction, and equal to
the same figures counted by replaying every event (`figures_oracle`)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from projections.figure_queries import AccountabilityFigures, accountability_figures
from projections.views import Views
from tests.projections.conftest import figures_view
from tests.projections.figures_oracle import History
from tests.projections.forum_year import END, accepted
from tests.stores import Store
from tracker.application import CaseTracker
from tracker.demo import FIRST_YEAR, FORUM_COMMUNITIES, LAST_YEAR

START = date(2024, 1, 1)
YEARS = range(FIRST_YEAR, LAST_YEAR + 1)
PLACES: tuple[str | None, ...] = (None, *FORUM_COMMUNITIES)


def year(number: int) -> dict[str, date]:
    """A calendar year as a period."""
    return {"start": date(number, 1, 1), "end": date(number, 12, 31)}


def figures_of(
    views: Views, *, start: date = START, end: date = END, municipality: str | None
) -> AccountabilityFigures:
    """What the figures view says for a period."""
    with views.reading() as c:
        return accountability_figures(
            c, start=start, end=end, municipality=municipality
        )


# -- a forum's 2024, every figure known by construction ----------------------

STRPCE_2024 = AccountabilityFigures(
    period_start=START,
    period_end=END,
    municipality="STR",
    cases_raised=5,
    cases_jointly_raised=2,
    joint_share=0.4,
    cases_by_category={"environment": 2, "infrastructure": 2, "youth_emigration": 1},
    cases_by_status={
        "accepted": 1,  # raised on 2025-01-03, amended to 2024-12-30
        "answered": 1,
        "awaiting_response": 1,  # the 2025 response does not count
        "declined": 1,
        "partially_resolved": 1,  # resolved, reopened, resolved again
    },
    advocacy_actions=2,
    advocacy_actions_by_kind={"letter": 1, "media": 1},
    referrals_made=5,
    responses_received=5,
    responses_by_kind={"acknowledgement": 2, "commitment": 2, "policy_change": 1},
    government_responses=3,
    response_rate=0.6,
    median_days_to_first_response=7.5,  # 4, 5, 10, 21
    median_days_to_substantive_response=20,  # 10, 20, 21
    overdue_referrals=1,  # the extended one is not due yet
    commitments_made=2,
    commitments_fulfilled=1,  # the other was verified in 2025
    cases_resolved=1,
    cases_partially_resolved=1,
    cases_unresolved=0,
    meetings_held=1,
    meeting_attendance_total=11,
    attendance_by_gender={"female": 5, "male": 6},
    attendance_by_community={"albanian": 4, "serb": 7},
)


def test_each_figure_of_a_forum_year_is_counted_as_of_its_end(
    forum_year: Views,
) -> None:
    assert figures_of(forum_year, municipality="STR") == STRPCE_2024


# With Gračanica's case, answered with information after 10 days, and its meeting.
ALL_2024 = replace(
    STRPCE_2024,
    municipality=None,
    cases_raised=6,
    joint_share=2 / 6,
    cases_by_category={
        "environment": 3,
        "infrastructure": 2,
        "youth_emigration": 1,
    },
    cases_by_status={**STRPCE_2024.cases_by_status, "answered": 2},
    referrals_made=6,
    responses_received=6,
    responses_by_kind={**STRPCE_2024.responses_by_kind, "information": 1},
    government_responses=4,
    response_rate=4 / 6,
    median_days_to_first_response=10,  # 4, 5, 10, 10, 21
    median_days_to_substantive_response=15,  # 10, 10, 20, 21
    meetings_held=2,
    meeting_attendance_total=17,
    attendance_by_gender={"female": 11, "male": 6},
    attendance_by_community={"albanian": 4, "roma": 6, "serb": 7},
)


def test_all_municipalities_add_the_other_forum(forum_year: Views) -> None:
    assert figures_of(forum_year, municipality=None) == ALL_2024


def test_what_is_dated_after_a_period_counts_in_the_next(forum_year: Views) -> None:
    figures = figures_of(forum_year, **year(2025), municipality="STR")
    assert (figures.cases_raised, figures.responses_by_kind) == (0, {"commitment": 1})
    assert (figures.commitments_made, figures.commitments_fulfilled) == (1, 1)
    assert figures.median_days_to_first_response is None  # nothing sent in 2025
    assert (figures.meetings_held, figures.meeting_attendance_total) == (1, 7)


def test_an_empty_period_has_no_medians_and_no_shares(forum_year: Views) -> None:
    figures = figures_of(forum_year, **year(2022), municipality=None)
    assert figures.cases_raised == figures.referrals_made == 0
    assert figures.cases_by_status == figures.attendance_by_gender == {}
    assert figures.joint_share is None
    assert figures.response_rate is None
    assert figures.median_days_to_first_response is None
    assert figures.median_days_to_substantive_response is None


def test_replaying_the_events_gives_the_same_figures(
    forum_year: Views, tracker: CaseTracker
) -> None:
    history = History.read(tracker)
    assert history.figures(start=START, end=END, municipality="STR") == STRPCE_2024
    for number in (2023, 2024, 2025):
        for place in (None, "STR", "GRA", "VIT"):
            expected = history.figures(**year(number), municipality=place)
            assert (
                figures_of(forum_year, **year(number), municipality=place) == expected
            )


def test_a_rebuilt_view_gives_the_same_figures(forum_year: Views) -> None:
    before = figures_of(forum_year, municipality=None)
    forum_year.rebuild("figures")
    assert figures_of(forum_year, municipality=None) == before
    assert figures_of(forum_year, municipality="STR") == STRPCE_2024


# -- the demo forums: the view agrees with the replay --------------------------


@pytest.mark.parametrize("number", YEARS)
@pytest.mark.parametrize("place", PLACES)
def test_the_demo_figures_equal_the_replayed_ones(
    demo_figures: tuple[Views, History], number: int, place: str | None
) -> None:
    views, history = demo_figures
    expected = history.figures(**year(number), municipality=place)
    assert figures_of(views, **year(number), municipality=place) == expected


def test_the_demo_has_something_to_count_each_year(
    demo_figures: tuple[Views, History],
) -> None:
    views, _ = demo_figures
    for number in YEARS:
        figures = figures_of(views, **year(number), municipality=None)
        assert figures.cases_raised > 0
        assert figures.responses_received > 0
        assert figures.cases_resolved > 0
        assert figures.overdue_referrals > 0
        assert figures.median_days_to_substantive_response is not None


def test_the_rebuilt_demo_view_gives_the_same_figures(
    demo_figures: tuple[Views, History],
) -> None:
    views, history = demo_figures
    views.rebuild("figures")
    for number in YEARS:
        expected = history.figures(**year(number), municipality=None)
        assert figures_of(views, **year(number), municipality=None) == expected


def test_an_extension_counts_from_the_event_before_it(
    store: Store, tracker: CaseTracker, tmp_path: Path
) -> None:
    case = accepted(tracker, raised_on=date(2025, 3, 1))
    referral = tracker.refer_case(
        case, actor="advocate", institution_kind="mayor", institution_name="Mayor",
        request_kind="public_documents", sent_on=date(2025, 3, 3),
    )  # fmt: skip
    assert referral.due_on < date(2025, 3, 20)
    tracker.follow_up(
        case, referral.referral_id, actor="advocate",
        followed_up_on=date(2025, 3, 25), channel="phone",
    )  # fmt: skip
    # Recorded after the follow-up, so in effect from 25 March on.
    tracker.extend_deadline(
        case, referral.referral_id, actor="advocate", due_on=date(2025, 3, 28),
        reason="more time",
    )  # fmt: skip
    views = figures_view(store, tracker, tmp_path / "figures.sqlite3")
    overdue = {
        end: figures_of(
            views, start=date(2025, 1, 1), end=end, municipality="STR"
        ).overdue_referrals
        for end in (date(2025, 3, 20), date(2025, 3, 27), date(2025, 3, 31))
    }
    views.close()
    assert overdue == {
        date(2025, 3, 20): 1,  # the extension came later: still overdue then
        date(2025, 3, 27): 0,  # extended to the 28th
        date(2025, 3, 31): 1,  # and past that too
    }
    history = History.read(tracker)
    for end, count in overdue.items():
        replayed = history.figures(start=date(2025, 1, 1), end=end, municipality="STR")
        assert replayed.overdue_referrals == count
