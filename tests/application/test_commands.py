"""The application on a real SQLite file: every step, queries, refusals."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date
from uuid import UUID, uuid4

import pytest
from eventsourcing.domain import Aggregate

from domain.case import Case
from domain.case_errors import CaseNotAccepted, ReferralAlreadyAnswered
from domain.deadlines import DeadlineState
from domain.errors import DateInFuture, InvalidValue, UnknownMunicipality
from tests.application.builders import RAISED_ON, event_count, referred, submit
from tracker.application import CaseTracker
from tracker.errors import (
    CaseAlreadyExists,
    CaseNotFound,
    ConcurrentChange,
    MeetingInOtherMunicipality,
)
from tracker.views import CaseView


def test_submission_gets_the_first_reference_of_its_municipality_and_year(
    tracker: CaseTracker,
) -> None:
    first = submit(tracker)
    second = submit(tracker)
    other_year = submit(tracker, raised_on=date(2024, 12, 31))
    assert (first.reference, second.reference) == ("STR-2025-001", "STR-2025-002")
    assert other_year.reference == "STR-2024-001"
    assert first.version == 1


def test_a_case_is_found_by_reference_or_id(tracker: CaseTracker) -> None:
    submitted = submit(tracker)
    by_reference = tracker.case("str-2025-001")
    assert by_reference.case_id == submitted.case_id
    assert tracker.case(submitted.case_id) == by_reference
    assert tracker.case(str(submitted.case_id)) == by_reference


def test_an_unknown_reference_is_case_not_found(tracker: CaseTracker) -> None:
    submit(tracker)
    with pytest.raises(CaseNotFound):
        tracker.case("STR-2025-002")
    with pytest.raises(CaseNotFound):
        tracker.case("VIT-2025-001")
    with pytest.raises(CaseNotFound):
        tracker.case(uuid4())


def test_queries_return_plain_frozen_data_not_aggregates(tracker: CaseTracker) -> None:
    case_id, _ = referred(tracker)
    view = tracker.case(case_id)
    assert isinstance(view, CaseView)
    assert not isinstance(view, Aggregate)
    with pytest.raises(dataclasses.FrozenInstanceError):
        view.status = "resolved"  # type: ignore[misc]
    assert view.as_dict()["referrals"][0]["institution_name"] == "Office of the Mayor"


def test_full_lifecycle_reaches_resolution_and_history_lists_every_step(
    tracker: CaseTracker,
) -> None:
    case_id, referral = referred(tracker)
    tracker.take_action(
        case_id,
        actor="advocate",
        kind="petition",
        taken_on=date(2025, 3, 12),
        description="Petition to the mayor",
        communities=["serb", "albanian", "roma"],
        signatures=240,
    )
    tracker.follow_up(
        case_id,
        referral.referral_id,
        actor="advocate",
        followed_up_on=date(2025, 4, 20),
        channel="phone",
    )
    response_id = tracker.record_response(
        case_id,
        referral.referral_id,
        actor="advocate",
        received_on=date(2025, 4, 25),
        kind="commitment",
        summary="Works planned for June",
    )
    tracker.verify_commitment(
        case_id,
        response_id,
        actor="advocate",
        status="fulfilled",
        verified_on=date(2025, 7, 1),
        evidence="Visited the site",
    )
    tracker.resolve_case(
        case_id,
        actor="advocate",
        outcome="resolved",
        resolved_on=date(2025, 7, 2),
        summary="Sewage diverted",
    )
    tracker.add_note(case_id, actor="coordinator", text="Thanked the directorate")
    view = tracker.case(case_id)
    assert view.status == "resolved"
    assert view.responses[0].commitment_status == "fulfilled"
    assert view.referrals[0].deadline_state is DeadlineState.ANSWERED
    history = tracker.case_history(case_id)
    assert [e.event for e in history] == [
        "Submitted",
        "Accepted",
        "Referred",
        "AdvocacyActionTaken",
        "FollowedUp",
        "ResponseReceived",
        "CommitmentVerified",
        "Resolved",
        "NoteAdded",
    ]
    assert [e.actor for e in history][:2] == ["secretary", "advocate"]
    assert [e.version for e in history] == list(range(1, 10))


def test_referral_due_date_follows_the_rule_for_its_kind_of_request(
    tracker: CaseTracker,
) -> None:
    case_id, general = referred(tracker)
    documents = tracker.refer_case(
        case_id,
        actor="advocate",
        institution_kind="municipal_directorate",
        institution_name="Directorate of Environment",
        request_kind="public_documents",
        sent_on=date(2025, 4, 17),
    )
    # 30 calendar days end on Constitution Day (9 April): the next working day
    assert general.due_on == date(2025, 4, 10)
    # 7 working days skipping Easter Monday 2025-04-21 (Catholic and Orthodox)
    assert documents.due_on == date(2025, 4, 29)


def test_an_extension_beyond_the_rule_is_refused_and_one_within_it_is_kept(
    tracker: CaseTracker,
) -> None:
    case_id, referral = referred(tracker)
    with pytest.raises(InvalidValue) as refused:
        tracker.extend_deadline(
            case_id,
            referral.referral_id,
            actor="advocate",
            due_on=date(2025, 6, 30),
            reason="asked for more time",
        )
    assert refused.value.field == "due_on"
    tracker.extend_deadline(
        case_id,
        referral.referral_id,
        actor="advocate",
        due_on=date(2025, 5, 9),
        reason="asked for more time",
    )
    assert tracker.case(case_id).referrals[0].due_on == date(2025, 5, 9)


def test_overdue_and_very_overdue_are_judged_as_of_the_day_asked(
    tracker: CaseTracker,
) -> None:
    case_id, _ = referred(tracker)  # sent 2025-03-10, due 2025-04-10

    def state(on: date) -> DeadlineState:
        return tracker.case(case_id, on=on).referrals[0].deadline_state

    assert state(date(2025, 4, 10)) is DeadlineState.PENDING
    assert state(date(2025, 4, 11)) is DeadlineState.OVERDUE
    assert state(date(2025, 5, 11)) is DeadlineState.OVERDUE  # 62 days: twice 31
    assert state(date(2025, 5, 12)) is DeadlineState.VERY_OVERDUE


def test_a_rejected_command_records_nothing(tracker: CaseTracker) -> None:
    case_id = submit(tracker).case_id
    before = event_count(tracker)
    with pytest.raises(CaseNotAccepted):
        tracker.take_action(
            case_id,
            actor="advocate",
            kind="letter",
            taken_on=date(2025, 3, 4),
            description="Letter",
            communities=["serb"],
        )
    with pytest.raises(UnknownMunicipality):
        submit(tracker, municipality="XXX")
    with pytest.raises(InvalidValue):
        submit(tracker, communities=[])
    assert event_count(tracker) == before
    assert submit(tracker).reference == "STR-2025-002"  # no number was used up


def test_a_date_in_the_future_is_refused(tracker: CaseTracker) -> None:
    with pytest.raises(DateInFuture) as refused:
        submit(tracker, raised_on=date(2026, 1, 16))
    assert refused.value.field == "raised_on"
    assert event_count(tracker) == 0


def test_a_stale_write_is_a_named_conflict_not_a_database_error(
    make_tracker: Callable[[], CaseTracker],
) -> None:
    first, second = make_tracker(), make_tracker()
    case_id = submit(first).case_id
    stale = second.load(case_id, Case, CaseNotFound)
    first.accept_case(case_id, actor="advocate")
    stale.decline(actor="other advocate", reason="out of scope")
    with pytest.raises(ConcurrentChange):
        second.save_all(stale)
    assert second.case(case_id).status == "accepted"


def test_a_command_against_an_older_version_is_refused_with_the_current_one(
    tracker: CaseTracker,
) -> None:
    case_id = submit(tracker).case_id
    version = tracker.accept_case(case_id, actor="advocate", expected_version=1)
    with pytest.raises(ConcurrentChange) as conflict:
        tracker.add_note(case_id, actor="other", text="late", expected_version=1)
    assert conflict.value.current_version == version == 2
    assert tracker.case(case_id).notes == ()


def test_a_response_to_an_answered_referral_is_refused(tracker: CaseTracker) -> None:
    case_id, referral = referred(tracker)

    def respond(kind: str) -> UUID:
        return tracker.record_response(
            case_id,
            referral.referral_id,
            actor="advocate",
            received_on=date(2025, 3, 20),
            kind=kind,
            summary="answer",
        )

    respond("acknowledgement")
    respond("information")
    with pytest.raises(ReferralAlreadyAnswered):
        respond("refusal")


def test_a_case_can_be_marked_duplicate_of_another_by_reference(
    tracker: CaseTracker,
) -> None:
    original = submit(tracker)
    copy = submit(tracker)
    tracker.mark_duplicate(
        copy.case_id, actor="advocate", duplicate_of=original.reference
    )
    view = tracker.case(copy.case_id)
    assert (view.status, view.duplicate_of) == ("duplicate", original.case_id)
    with pytest.raises(CaseNotFound):
        tracker.mark_duplicate(original.case_id, actor="a", duplicate_of="STR-2025-009")


def test_a_case_raised_at_a_meeting_is_on_that_meeting_agenda(
    tracker: CaseTracker,
) -> None:
    meeting_id = tracker.record_meeting(
        actor="secretary",
        municipality="STR",
        held_on=RAISED_ON,
        place="Community hall, Brezovica",
        attendance=[
            {"gender": "female", "community": "serb", "count": 7},
            {"gender": "male", "community": "albanian", "count": 5},
        ],
    )
    case_id = submit(tracker, meeting_id=meeting_id).case_id
    meeting = tracker.meeting(meeting_id)
    assert meeting.cases_raised == (case_id,)
    assert meeting.attendance_total == 12
    assert meeting.attendance_by_gender == {"female": 7, "male": 5}
    assert tracker.case(case_id).meeting_id == meeting_id


def test_a_case_cannot_be_raised_at_another_municipality_meeting(
    tracker: CaseTracker,
) -> None:
    meeting_id = tracker.record_meeting(
        actor="secretary", municipality="VIT", held_on=RAISED_ON, place="Hall"
    )
    before = event_count(tracker)
    with pytest.raises(MeetingInOtherMunicipality):
        submit(tracker, meeting_id=meeting_id)
    assert event_count(tracker) == before


def test_submitting_the_same_case_id_twice_is_refused(tracker: CaseTracker) -> None:
    case_id = uuid4()
    submit(tracker, case_id=case_id)
    with pytest.raises(CaseAlreadyExists):
        submit(tracker, case_id=case_id)
    assert tracker.case_ids() == [case_id]


def test_state_survives_reopening_the_store(
    make_tracker: Callable[[], CaseTracker],
) -> None:
    first = make_tracker()
    case_id, _ = referred(first)
    assert make_tracker().case(case_id) == first.case(case_id)
