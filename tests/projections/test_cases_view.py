"""The case list says what each case itself says: status, milestones, deadlines."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from projections.case_queries import CaseFilter, case_row, find_cases
from projections.cases import CasesView
from projections.views import Views
from tests.application.builders import referred, submit
from tests.conftest import TODAY
from tests.stores import Store
from tracker.application import CaseTracker


def cases_view(store: Store, tracker: CaseTracker, path: Path) -> Views:
    """Only the case list, in its own file."""
    return store.views(tracker, path / "views.sqlite3", kinds=[CasesView])


def test_every_demo_case_row_agrees_with_the_case(
    store: Store, demo_tracker: CaseTracker, tmp_path: Path
) -> None:
    views = cases_view(store, demo_tracker, tmp_path)

    with views.reading() as c:
        for case in demo_tracker.cases(on=TODAY):
            row = case_row(c, case.case_id.hex, today=TODAY)
            assert row is not None
            open_ones = [r for r in case.referrals if r.substantive_response_on is None]
            due = min((r.due_on for r in open_ones), default=None)
            assert (row.reference, row.status, row.version) == (
                case.reference,
                case.status,
                case.version,
            )
            assert (row.open_referrals, row.next_due_on) == (len(open_ones), due)
            assert row.overdue == any(
                r.deadline_state in ("overdue", "very_overdue") for r in open_ones
            )
            assert row.jointly_raised == case.jointly_raised


def test_milestones_are_the_first_dates_of_each_step(
    store: Store, tracker: CaseTracker, tmp_path: Path
) -> None:
    case_id, referral = referred(tracker)  # sent 2025-03-10
    tracker.record_response(
        case_id, referral.referral_id, actor="advocate", kind="acknowledgement",
        received_on=date(2025, 3, 12), summary="received",
    )  # fmt: skip
    tracker.record_response(
        case_id, referral.referral_id, actor="advocate", kind="information",
        received_on=date(2025, 3, 20), summary="answered",
    )  # fmt: skip
    tracker.resolve_case(
        case_id, actor="advocate", outcome="resolved",
        resolved_on=date(2025, 4, 1), summary="done",
    )  # fmt: skip
    views = cases_view(store, tracker, tmp_path)

    with views.reading() as c:
        row = case_row(c, case_id.hex, today=TODAY)

    assert row is not None
    assert row.accepted_at is not None
    assert (row.first_referral_on, row.first_response_on) == (
        date(2025, 3, 10),
        date(2025, 3, 12),
    )
    assert row.first_substantive_response_on == date(2025, 3, 20)
    assert (row.resolved_on, row.status, row.open_referrals) == (
        date(2025, 4, 1),
        "resolved",
        0,
    )


@pytest.mark.parametrize(
    "wanted",
    [
        CaseFilter(community="roma"),
        CaseFilter(community="serb"),
        CaseFilter(municipalities=("STR",), category="infrastructure", year=2024),
        CaseFilter(community="serb", municipalities=("STR", "GRA")),
        CaseFilter(community="albanian", year=2025, status="resolved"),
        CaseFilter(year=2024),
        CaseFilter(category="environment", year=2025),
    ],
    ids=repr,
)
def test_every_page_of_a_filtered_list_is_in_order_and_complete(
    store: Store, demo_tracker: CaseTracker, tmp_path: Path, wanted: CaseFilter
) -> None:
    views = cases_view(store, demo_tracker, tmp_path)
    expected = sorted(
        (
            case
            for case in demo_tracker.cases(on=TODAY)
            if (not wanted.community or wanted.community in case.communities)
            and (
                not wanted.municipalities or case.municipality in wanted.municipalities
            )
            and (not wanted.year or case.raised_on.year == wanted.year)
            and (not wanted.status or case.status == wanted.status)
            and (not wanted.category or case.category == wanted.category)
        ),
        key=lambda case: (case.raised_on, case.reference),
        reverse=True,
    )

    listed: list[str] = []
    with views.reading() as c:
        first = find_cases(c, wanted, today=TODAY, per_page=7)
        for page in range(1, first.pages + 1):
            found = find_cases(c, wanted, today=TODAY, page=page, per_page=7)
            assert found.total == len(expected)
            listed += [row.reference for row in found.rows]

    assert expected
    assert listed == [case.reference for case in expected]


@pytest.mark.parametrize("rebuilt", [False, True], ids=["caught up", "rebuilt"])
def test_an_amendment_moves_a_case_between_community_lists(
    store: Store, tracker: CaseTracker, tmp_path: Path, rebuilt: bool
) -> None:
    views = cases_view(store, tracker, tmp_path)
    case_id = submit(tracker, communities=["serb", "albanian"]).case_id
    views.catch_up()  # the case and its listings are written

    tracker.amend_case(
        case_id, actor="secretary", reason="Raised by the Roma community",
        changes={"communities": ["roma"], "raised_on": date(2025, 3, 1)},
    )  # fmt: skip
    if rebuilt:
        views.batch = 1  # a later batch than the submission, the same transaction
        views.rebuild("cases")

    with views.reading() as c:
        listed = {
            community: find_cases(c, CaseFilter(community=community), today=TODAY)
            for community in ("serb", "albanian", "roma")
        }
    assert (listed["serb"].total, listed["albanian"].total) == (0, 0)
    assert [row.case_id for row in listed["roma"].rows] == [case_id.hex]
    assert listed["roma"].rows[0].raised_on == date(2025, 3, 1)
