"""The referrals view: every referral, its responses, and how long it waited."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

from domain.deadlines import DeadlineState
from projections.referral_queries import (
    ReferralRow,
    ResponseRow,
    find_referrals,
    referral_responses,
)
from projections.referrals import ReferralsView
from projections.views import Views
from tests.application.builders import referred, submit
from tests.conftest import TODAY
from tests.projections.tables import dump
from tests.stores import Store
from tracker.application import CaseTracker
from tracker.views import CaseView, ReferralView

ADVOCATE = "advocate"
LATE = (DeadlineState.OVERDUE, DeadlineState.VERY_OVERDUE)


def referrals(views: Views, **filters: Any) -> list[ReferralRow]:
    """Every referral the view lists with these filters as of TODAY, all pages."""
    rows: list[ReferralRow] = []
    with views.reading() as c:
        page = 1
        while True:
            found = find_referrals(c, today=TODAY, page=page, per_page=200, **filters)
            rows.extend(found.rows)
            if page >= found.pages:
                return rows
            page += 1


def only_referral(views: Views) -> ReferralRow:
    """The one referral the view holds."""
    (row,) = referrals(views)
    return row


def responses_to(views: Views, referral_id: UUID) -> tuple[ResponseRow, ...]:
    """The responses the view holds for a referral."""
    with views.reading() as c:
        return referral_responses(c, referral_id.hex)


def respond(
    tracker: CaseTracker, case_id: UUID, referral_id: UUID, on: date, kind: str
) -> UUID:
    """Record an institution's response of this kind."""
    return tracker.record_response(
        case_id,
        referral_id,
        actor=ADVOCATE,
        received_on=on,
        kind=kind,
        summary=f"The institution's {kind}.",
    )


def refer(
    tracker: CaseTracker,
    case_id: UUID,
    sent_on: date,
    institution_kind: str = "municipal_assembly",
) -> UUID:
    """Send an accepted case to one more institution."""
    return tracker.refer_case(
        case_id,
        actor=ADVOCATE,
        institution_kind=institution_kind,
        institution_name="An institution",
        request_kind="general_request",
        sent_on=sent_on,
    ).referral_id


def test_a_referral_carries_its_case_institution_request_and_dates(
    tracker: CaseTracker, views: Views
) -> None:
    case_id, referral = referred(tracker)
    row = only_referral(views)
    assert (row.referral_id, row.case_id) == (referral.referral_id.hex, case_id.hex)
    assert (row.reference, row.municipality) == ("STR-2025-001", "STR")
    assert (row.institution_kind, row.institution_name, row.request_kind) == (
        "mayor",
        "Office of the Mayor",
        "general_request",
    )
    assert (row.sent_on, row.due_on, row.original_due_on) == (
        date(2025, 3, 10),
        referral.due_on,
        referral.due_on,
    )
    assert (row.extensions, row.follow_ups) == (0, 0)
    assert (row.first_response_on, row.first_substantive_response_on) == (None, None)
    assert responses_to(views, referral.referral_id) == ()


def test_extensions_and_follow_ups_are_counted_and_the_original_due_date_kept(
    tracker: CaseTracker, views: Views
) -> None:
    case_id, referral = referred(tracker)
    for due_on in (date(2025, 4, 25), date(2025, 5, 9)):
        tracker.extend_deadline(
            case_id, referral.referral_id, actor=ADVOCATE, due_on=due_on, reason="asked"
        )
    for day, channel in ((date(2025, 4, 1), "phone"), (date(2025, 5, 2), "letter")):
        tracker.follow_up(
            case_id,
            referral.referral_id,
            actor=ADVOCATE,
            followed_up_on=day,
            channel=channel,
        )
    row = only_referral(views)
    assert (row.extensions, row.follow_ups) == (2, 2)
    assert (row.due_on, row.original_due_on) == (date(2025, 5, 9), referral.due_on)


def test_an_acknowledgement_is_the_first_response_but_not_the_first_substantive(
    tracker: CaseTracker, views: Views
) -> None:
    case_id, referral = referred(tracker)
    respond(
        tracker, case_id, referral.referral_id, date(2025, 3, 15), "acknowledgement"
    )
    respond(tracker, case_id, referral.referral_id, date(2025, 4, 9), "commitment")
    row = only_referral(views)
    assert row.first_response_on == date(2025, 3, 15)
    assert row.first_substantive_response_on == date(2025, 4, 9)
    assert row.days_waited == 30
    assert row.deadline_state is DeadlineState.ANSWERED


def test_the_first_response_is_the_earliest_dated_not_the_first_recorded(
    tracker: CaseTracker, views: Views
) -> None:
    case_id, referral = referred(tracker)
    respond(tracker, case_id, referral.referral_id, date(2025, 3, 20), "redirected")
    respond(
        tracker, case_id, referral.referral_id, date(2025, 3, 12), "acknowledgement"
    )
    assert only_referral(views).first_response_on == date(2025, 3, 12)


def test_without_a_substantive_answer_the_days_waited_run_to_today(
    tracker: CaseTracker, views: Views
) -> None:
    case_id, referral = referred(tracker)
    respond(
        tracker, case_id, referral.referral_id, date(2025, 3, 15), "acknowledgement"
    )
    row = only_referral(views)
    assert row.first_substantive_response_on is None
    assert row.days_waited == (TODAY - date(2025, 3, 10)).days


def test_responses_are_listed_as_received_with_the_commitment_verification(
    tracker: CaseTracker, views: Views
) -> None:
    case_id, referral = referred(tracker)
    acknowledged = respond(
        tracker, case_id, referral.referral_id, date(2025, 3, 15), "acknowledgement"
    )
    committed = respond(
        tracker, case_id, referral.referral_id, date(2025, 4, 9), "commitment"
    )
    tracker.verify_commitment(
        case_id,
        committed,
        actor=ADVOCATE,
        status="partially_fulfilled",
        verified_on=date(2025, 6, 2),
        evidence="Half the lamps were installed.",
    )
    assert responses_to(views, referral.referral_id) == (
        ResponseRow(
            acknowledged.hex, referral.referral_id.hex, case_id.hex, "STR",
            date(2025, 3, 15), "acknowledgement", False, None, None,
        ),
        ResponseRow(
            committed.hex, referral.referral_id.hex, case_id.hex, "STR",
            date(2025, 4, 9), "commitment", True, "partially_fulfilled",
            date(2025, 6, 2),
        ),
    )  # fmt: skip


def test_overdue_means_past_due_without_a_substantive_answer(
    tracker: CaseTracker, views: Views
) -> None:
    case_id, acknowledged = referred(tracker)  # due 2025-04-10
    respond(
        tracker, case_id, acknowledged.referral_id, date(2025, 3, 15), "acknowledgement"
    )
    answered = refer(tracker, case_id, date(2025, 3, 11))
    respond(tracker, case_id, answered, date(2025, 5, 20), "refusal")
    pending = refer(tracker, case_id, date(2026, 1, 12))  # due in February

    overdue = referrals(views, overdue_only=True)
    assert [r.referral_id for r in overdue] == [acknowledged.referral_id.hex]
    assert overdue[0].overdue
    assert overdue[0].deadline_state is DeadlineState.VERY_OVERDUE
    open_ones = referrals(views, open_only=True)
    assert {r.referral_id for r in open_ones} == {
        acknowledged.referral_id.hex,
        pending.hex,
    }


def test_overdue_is_judged_as_of_the_day_asked(
    tracker: CaseTracker, views: Views
) -> None:
    case_id, referral = referred(tracker)  # due 2025-04-10
    respond(tracker, case_id, referral.referral_id, date(2025, 5, 20), "information")
    days = (date(2025, 4, 10), date(2025, 4, 11), date(2025, 5, 20))
    with views.reading() as c:
        due, overdue, answered = (
            find_referrals(c, today=day, overdue_only=True).rows for day in days
        )
    assert (due, answered) == ((), ())
    (late,) = overdue
    assert late.days_waited == 32
    assert late.deadline_state is DeadlineState.OVERDUE


def test_referrals_are_filtered_by_municipality_and_institution_kind(
    tracker: CaseTracker, views: Views
) -> None:
    in_strpce, _ = referred(tracker)
    refer(tracker, in_strpce, date(2025, 3, 12), institution_kind="ombudsperson")
    referred(tracker, municipality="GRA")

    def places(rows: list[ReferralRow]) -> list[tuple[str, str]]:
        return sorted((r.municipality, r.institution_kind) for r in rows)

    in_str = referrals(views, municipalities=("STR",))
    assert places(in_str) == [("STR", "mayor"), ("STR", "ombudsperson")]
    to_mayors = referrals(views, institution_kind="mayor")
    assert places(to_mayors) == [("GRA", "mayor"), ("STR", "mayor")]
    assert referrals(views, municipalities=("GRA",), institution_kind="police") == []


def test_referrals_come_newest_sent_first_one_page_at_a_time(
    tracker: CaseTracker, views: Views
) -> None:
    case_id, _ = referred(tracker)
    refer(tracker, case_id, date(2025, 3, 20))
    refer(tracker, case_id, date(2025, 3, 30))
    with views.reading() as c:
        first = find_referrals(c, today=TODAY, per_page=2)
        second = find_referrals(c, today=TODAY, per_page=2, page=2)
    assert (first.total, first.pages) == (3, 2)
    sent = [r.sent_on.day for r in (*first.rows, *second.rows)]
    assert sent == [30, 20, 10]


def test_a_case_without_referrals_lists_none(
    tracker: CaseTracker, views: Views
) -> None:
    submit(tracker)
    assert referrals(views) == []


def test_a_rebuilt_view_equals_the_one_built_event_by_event(
    tracker: CaseTracker, views: Views
) -> None:
    case_id, referral = referred(tracker)
    views.catch_up()
    tracker.extend_deadline(
        case_id,
        referral.referral_id,
        actor=ADVOCATE,
        due_on=date(2025, 5, 2),
        reason="r",
    )
    views.catch_up()
    tracker.follow_up(
        case_id,
        referral.referral_id,
        actor=ADVOCATE,
        followed_up_on=date(2025, 4, 1),
        channel="email",
    )
    views.catch_up()
    respond(tracker, case_id, referral.referral_id, date(2025, 4, 2), "acknowledgement")
    views.catch_up()
    promised = respond(
        tracker, case_id, referral.referral_id, date(2025, 4, 20), "commitment"
    )
    views.catch_up()
    tracker.verify_commitment(
        case_id,
        promised,
        actor=ADVOCATE,
        status="fulfilled",
        verified_on=date(2025, 7, 1),
        evidence="Seen on site.",
    )
    refer(tracker, case_id, date(2025, 8, 1))
    views.catch_up()
    built = dump(views)

    assert views.rebuild("referrals") > 0
    assert dump(views) == built
    assert all(built[table] for table in ReferralsView.tables)


def recorded(case: CaseView, referral: ReferralView) -> tuple[object, ...]:
    """A referral as its case aggregate holds it, in the view's terms."""
    answered_on = referral.substantive_response_on
    return (
        case.case_id.hex, case.reference, case.municipality,
        referral.institution_kind, referral.institution_name, referral.request_kind,
        referral.sent_on, referral.due_on, referral.original_due_on,
        referral.follow_ups, referral.first_response_on, answered_on,
        referral.deadline_state, ((answered_on or TODAY) - referral.sent_on).days,
    )  # fmt: skip


def listed(row: ReferralRow) -> tuple[object, ...]:
    """A referral as the view lists it, comparable with `recorded`."""
    return (
        row.case_id, row.reference, row.municipality,
        row.institution_kind, row.institution_name, row.request_kind,
        row.sent_on, row.due_on, row.original_due_on,
        row.follow_ups, row.first_response_on, row.first_substantive_response_on,
        row.deadline_state, row.days_waited,
    )  # fmt: skip


def response_facts(rows: tuple[ResponseRow, ...]) -> list[tuple[object, ...]]:
    """What the view says of each response, comparable with the case's records."""
    return [
        (r.response_id, r.received_on, r.kind, r.substantive, r.commitment_status,
         r.verified_on)
        for r in rows
    ]  # fmt: skip


def recorded_responses(case: CaseView, referral_id: UUID) -> list[tuple[object, ...]]:
    """The case's own records of the responses to one referral."""
    return [
        (r.response_id.hex, r.received_on, r.kind, r.is_substantive,
         r.commitment_status, r.verified_on)
        for r in case.responses
        if r.referral_id == referral_id
    ]  # fmt: skip


def test_every_demo_referral_matches_its_case_own_record(
    store: Store, demo_tracker: CaseTracker, tmp_path: Path
) -> None:
    tracker, views = demo_tracker, store.views(demo_tracker, tmp_path / "views.sqlite3")
    by_id = {row.referral_id: row for row in referrals(views)}
    overdue = {row.referral_id for row in referrals(views, overdue_only=True)}
    with views.reading() as c:
        answers = {key: referral_responses(c, key) for key in by_id}
    recorded_overdue: set[str] = set()
    for case_id in tracker.case_ids():
        case = tracker.case(case_id)
        for referral in case.referrals:
            key = referral.referral_id.hex
            assert listed(by_id.pop(key)) == recorded(case, referral)
            assert response_facts(answers[key]) == recorded_responses(
                case, referral.referral_id
            )
            if referral.deadline_state in LATE:
                recorded_overdue.add(key)
    assert by_id == {}
    assert overdue == recorded_overdue
    assert overdue
