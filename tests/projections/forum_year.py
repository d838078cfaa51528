"""A forum's 2024 recorded through the tracker's commands, for the figures tests.

Štrpce (STR) has five cases raised in 2024 and one from 2023, two meetings and
the late answers of §6's edge cases; Gračanica (GRA) one answered case and one
meeting. `tests/projections/test_figures.py` states what each figure must be.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from tests.application.builders import submit
from tracker.application import CaseTracker

ADVOCATE = "advocate"
END = date(2024, 12, 31)


def accepted(tracker: CaseTracker, **fields: object) -> UUID:
    """A case submitted and accepted."""
    case_id = submit(tracker, **fields).case_id
    tracker.accept_case(case_id, actor=ADVOCATE)
    return case_id


def refer(tracker: CaseTracker, case_id: UUID, sent_on: date, kind: str) -> UUID:
    """Refer the case to the mayor with that kind of request."""
    return tracker.refer_case(
        case_id,
        actor=ADVOCATE,
        institution_kind="mayor",
        institution_name="Mayor",
        request_kind=kind,
        sent_on=sent_on,
    ).referral_id


def respond(
    tracker: CaseTracker, case_id: UUID, referral_id: UUID, on: date, kind: str
) -> UUID:
    """Record the institution's response."""
    return tracker.record_response(
        case_id, referral_id, actor=ADVOCATE, received_on=on, kind=kind, summary="-"
    )


def verify(
    tracker: CaseTracker, case_id: UUID, response_id: UUID, on: date, status: str
) -> None:
    """Record whether the commitment was kept."""
    tracker.verify_commitment(
        case_id,
        response_id,
        actor=ADVOCATE,
        status=status,
        verified_on=on,
        evidence="site visit",
    )


def act(tracker: CaseTracker, case_id: UUID, on: date, kind: str) -> None:
    """An advocacy action by the Serb community."""
    tracker.take_action(
        case_id,
        actor=ADVOCATE,
        kind=kind,
        taken_on=on,
        description="-",
        communities=["serb"],
    )


def resolve(tracker: CaseTracker, case_id: UUID, on: date, outcome: str) -> None:
    """Close the case with that outcome."""
    tracker.resolve_case(
        case_id, actor=ADVOCATE, outcome=outcome, resolved_on=on, summary="-"
    )


def record_forum_year(tracker: CaseTracker) -> None:
    """Štrpce's 2024 (and a Gračanica case), as the expected figures count it."""
    resolve_twice(tracker)
    keep_a_commitment(tracker)
    leave_referrals_late(tracker)
    decline = submit(tracker, raised_on=date(2024, 6, 1)).case_id
    tracker.decline_case(decline, actor=ADVOCATE, reason="out of scope")
    answer_last_years_case(tracker)
    move_a_case_into_the_year(tracker)
    inform_another_forum(tracker)
    hold_meetings(tracker)


def resolve_twice(tracker: CaseTracker) -> None:
    """A joint case, answered, resolved, reopened and partially resolved."""
    case = accepted(tracker, raised_on=date(2024, 2, 1))
    act(tracker, case, date(2024, 2, 5), "letter")
    referral = refer(tracker, case, date(2024, 2, 10), "general_request")
    respond(tracker, case, referral, date(2024, 2, 14), "acknowledgement")
    respond(tracker, case, referral, date(2024, 3, 1), "policy_change")
    resolve(tracker, case, date(2024, 4, 1), "resolved")
    tracker.reopen_case(
        case, actor=ADVOCATE, reopened_on=date(2024, 5, 1), reason="back again"
    )
    act(tracker, case, date(2024, 5, 10), "media")
    resolve(tracker, case, date(2024, 6, 1), "partially_resolved")


def keep_a_commitment(tracker: CaseTracker) -> None:
    """A commitment kept in 2024, found broken in 2025."""
    case = accepted(
        tracker,
        raised_on=date(2024, 3, 1),
        category="infrastructure",
        communities=["serb"],
    )
    referral = refer(tracker, case, date(2024, 3, 4), "public_documents")
    promise = respond(tracker, case, referral, date(2024, 3, 25), "commitment")
    verify(tracker, case, promise, date(2024, 6, 1), "fulfilled")
    verify(tracker, case, promise, date(2025, 3, 1), "not_fulfilled")


def leave_referrals_late(tracker: CaseTracker) -> None:
    """One referral answered only in 2025, one acknowledged and extended."""
    case = accepted(
        tracker,
        raised_on=date(2024, 4, 1),
        category="infrastructure",
        communities=["albanian"],
    )
    unanswered = refer(tracker, case, date(2024, 11, 1), "general_request")
    extended = tracker.refer_case(
        case,
        actor=ADVOCATE,
        institution_kind="mayor",
        institution_name="Mayor",
        request_kind="public_documents",
        sent_on=date(2024, 12, 16),
    )
    assert extended.due_on < END
    tracker.extend_deadline(
        case,
        extended.referral_id,
        actor=ADVOCATE,
        due_on=date(2025, 1, 8),
        reason="more time",
    )
    respond(tracker, case, extended.referral_id, date(2024, 12, 21), "acknowledgement")
    promise = respond(tracker, case, unanswered, date(2025, 1, 10), "commitment")
    verify(tracker, case, promise, date(2025, 2, 1), "fulfilled")


def answer_last_years_case(tracker: CaseTracker) -> None:
    """A 2023 case referred in 2024; its commitment verified only in 2025."""
    case = accepted(
        tracker,
        raised_on=date(2023, 12, 1),
        category="public_services",
        communities=["albanian"],
    )
    act(tracker, case, date(2023, 12, 5), "petition")
    referral = refer(tracker, case, date(2024, 1, 10), "general_request")
    promise = respond(tracker, case, referral, date(2024, 1, 20), "commitment")
    verify(tracker, case, promise, date(2025, 1, 5), "fulfilled")


def move_a_case_into_the_year(tracker: CaseTracker) -> None:
    """Raised on 2025-01-03 and accepted, then corrected to 2024-12-30."""
    case = accepted(tracker, raised_on=date(2025, 1, 3), category="other")
    tracker.amend_case(
        case,
        actor=ADVOCATE,
        reason="wrong date, wrong category, one community",
        changes={
            "raised_on": date(2024, 12, 30),
            "category": "youth_emigration",
            "communities": ["albanian"],
        },
    )


def inform_another_forum(tracker: CaseTracker) -> None:
    """Gračanica's case, answered with information after 10 days."""
    case = accepted(
        tracker, municipality="GRA", raised_on=date(2024, 7, 1), communities=["roma"]
    )
    referral = refer(tracker, case, date(2024, 7, 5), "general_request")
    respond(tracker, case, referral, date(2024, 7, 15), "information")


def hold_meetings(tracker: CaseTracker) -> None:
    """Štrpce in 2024 (counted twice) and 2025, Gračanica in 2024."""
    meeting = hold(tracker, "STR", date(2024, 3, 10), ("female", "serb", 3))
    tracker.count_attendance(
        meeting,
        actor="secretary",
        attendance=grid(
            ("female", "serb", 5), ("male", "serb", 2), ("male", "albanian", 4)
        ),
    )
    hold(tracker, "STR", date(2025, 1, 20), ("female", "albanian", 7))
    hold(tracker, "GRA", date(2024, 5, 5), ("female", "roma", 6))


def hold(
    tracker: CaseTracker, municipality: str, on: date, *cells: tuple[str, str, int]
) -> UUID:
    """A meeting with its attendance counted."""
    return tracker.record_meeting(
        actor="secretary",
        municipality=municipality,
        held_on=on,
        place="Municipal hall",
        attendance=grid(*cells),
    )


def grid(*cells: tuple[str, str, int]) -> list[dict[str, object]]:
    """An attendance grid from (gender, community, count) cells."""
    return [{"gender": g, "community": c, "count": n} for g, c, n in cells]
