"""Given events / when command / then events, for the domain's aggregates.

``given(start, *steps)`` creates an aggregate (or takes one), runs commands
and forgets the events they recorded, so a test sees only what its own "when"
step records: ``then(case, [...])`` collects those, and
``refused(case, step, Error)`` proves a refusal recorded nothing.

The step builders below (``accept()``, ``refer(referral_id)``, ...) fill every
argument with a plausible value; a test overrides only the one its rule is
about.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar
from uuid import UUID, uuid4

import pytest
from eventsourcing.domain import Aggregate

from domain.case import Case
from domain.errors import DomainError

A = TypeVar("A", bound=Aggregate)
E = TypeVar("E", bound=DomainError)
Step = Callable[[Case], object]

ACTOR = "secretary.str"
RAISED_ON = date(2024, 3, 4)
ACTION_ON = date(2024, 3, 6)
SENT_ON = date(2024, 3, 11)
DUE_ON = date(2024, 4, 8)
RECEIVED_ON = date(2024, 3, 25)
VERIFIED_ON = date(2024, 4, 15)
RESOLVED_ON = date(2024, 5, 2)
REOPENED_ON = date(2024, 6, 3)
SHA256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"


# --- given / then / refused -------------------------------------------------


def given(start: A | Callable[[], A], *steps: Callable[[A], object]) -> A:
    """Take (or create) an aggregate, run the steps, forget what they recorded."""
    aggregate = start if isinstance(start, Aggregate) else start()
    for step in steps:
        step(aggregate)
    aggregate.collect_events()
    return aggregate


def then(aggregate: Aggregate, expected: list[type[Any]]) -> list[Any]:
    """The events the "when" step recorded, checked to be of these types."""
    events = list(aggregate.collect_events())
    assert [type(e) for e in events] == expected
    return events


def refused(aggregate: A, step: Callable[[A], object], error: type[E]) -> E:
    """Assert the step raises `error` and leaves the aggregate as it was."""
    version, state = aggregate.version, _state(aggregate)
    with pytest.raises(error) as raised:
        step(aggregate)
    assert aggregate.pending_events == []
    assert aggregate.version == version
    assert _state(aggregate) == state
    return raised.value


def _state(aggregate: Aggregate) -> dict[str, Any]:
    return copy.deepcopy(
        {k: v for k, v in vars(aggregate).items() if k != "_pending_events"}
    )


# --- commands on a case, as steps -------------------------------------------


def submit(**overrides: Any) -> Callable[[], Case]:
    """Submit a case of Shtërpcë (overrides replace any argument)."""
    args: dict[str, Any] = {
        "case_id": uuid4(),
        "reference": "STR-2024-001",
        "municipality_code": "STR",
        "title": "No bus from Sevce to Shtërpcë",
        "description": "The morning bus stopped running in January.",
        "category": "public_services",
        "communities": ["serb"],
        "raised_on": RAISED_ON,
        "language": "sr",
    } | overrides
    return lambda: Case.submit(actor=ACTOR, **args)


def amend(reason: str = "typo in the title", **changes: Any) -> Step:
    """Amend the given fields."""
    return lambda case: case.amend(actor=ACTOR, reason=reason, changes=changes)


def translate(**overrides: Any) -> Step:
    """Translate the case into Albanian."""
    args: dict[str, Any] = {
        "language": "sq",
        "title": "Nuk ka autobus nga Sevce në Shtërpcë",
        "description": "Autobusi i mëngjesit nuk qarkullon që nga janari.",
    } | overrides
    return lambda case: case.translate(actor=ACTOR, **args)


def accept(priority: str = "normal") -> Step:
    """Take the case up with a priority."""
    return lambda case: case.accept(actor=ACTOR, priority=priority)


def decline(reason: str = "a private dispute, not a community issue") -> Step:
    """Decline the case."""
    return lambda case: case.decline(actor=ACTOR, reason=reason)


def mark_duplicate(duplicate_of: UUID | None = None) -> Step:
    """Close the case as a duplicate of another case."""
    return lambda case: case.mark_duplicate(
        actor=ACTOR,
        duplicate_of=duplicate_of or uuid4(),
        duplicate_of_reference="STR-2023-014",
    )


def take_action(**overrides: Any) -> Step:
    """Send a letter to the mayor."""
    args: dict[str, Any] = {
        "action_id": uuid4(),
        "kind": "letter",
        "taken_on": ACTION_ON,
        "description": "Letter to the mayor asking to restore the bus",
        "communities": ["serb"],
    } | overrides
    return lambda case: case.take_action(actor=ACTOR, **args)


def refer(referral_id: UUID | None = None, **overrides: Any) -> Step:
    """Refer the case to the public services directorate."""
    args: dict[str, Any] = {
        "referral_id": referral_id or uuid4(),
        "institution_kind": "municipal_directorate",
        "institution_name": "Directorate of Public Services",
        "request_kind": "general_request",
        "sent_on": SENT_ON,
        "due_on": DUE_ON,
    } | overrides
    return lambda case: case.refer(actor=ACTOR, **args)


def extend_deadline(referral_id: UUID, **overrides: Any) -> Step:
    """Give the institution two more weeks."""
    args: dict[str, Any] = {
        "due_on": date(2024, 4, 22),
        "reason": "the directorate asked for more time",
        "latest_allowed": date(2024, 5, 6),
    } | overrides
    return lambda case: case.extend_deadline(
        actor=ACTOR, referral_id=referral_id, **args
    )


def follow_up(referral_id: UUID, **overrides: Any) -> Step:
    """Phone the institution about the referral."""
    args: dict[str, Any] = {
        "followed_up_on": date(2024, 3, 18),
        "channel": "phone",
        "note": "promised an answer next week",
    } | overrides
    return lambda case: case.follow_up(actor=ACTOR, referral_id=referral_id, **args)


def respond(referral_id: UUID, kind: str = "information", **overrides: Any) -> Step:
    """Record the institution's response to the referral."""
    args: dict[str, Any] = {
        "response_id": uuid4(),
        "received_on": RECEIVED_ON,
        "summary": "The directorate replied.",
    } | overrides
    return lambda case: case.record_response(
        actor=ACTOR, referral_id=referral_id, kind=kind, **args
    )


def verify(response_id: UUID, **overrides: Any) -> Step:
    """Record whether a commitment was kept."""
    args: dict[str, Any] = {
        "status": "fulfilled",
        "verified_on": VERIFIED_ON,
        "evidence": "The bus ran on Monday.",
    } | overrides
    return lambda case: case.verify_commitment(
        actor=ACTOR, response_id=response_id, **args
    )


def resolve(outcome: str = "resolved", **overrides: Any) -> Step:
    """Close the case with an outcome."""
    args: dict[str, Any] = {
        "resolved_on": RESOLVED_ON,
        "summary": "The bus runs again.",
    } | overrides
    return lambda case: case.resolve(actor=ACTOR, outcome=outcome, **args)


def reopen(**overrides: Any) -> Step:
    """Open a closed case again."""
    args: dict[str, Any] = {
        "reopened_on": REOPENED_ON,
        "reason": "the bus stopped again",
    } | overrides
    return lambda case: case.reopen(actor=ACTOR, **args)


def add_note(text: str = "Called the driver's union.") -> Step:
    """Add a note."""
    return lambda case: case.add_note(actor=ACTOR, note_id=uuid4(), text=text)


def attach_document(document_id: UUID | None = None, **overrides: Any) -> Step:
    """Attach a scanned letter."""
    args: dict[str, Any] = {
        "document_id": document_id or uuid4(),
        "filename": "letter.pdf",
        "media_type": "application/pdf",
        "size": 48_213,
        "sha256": SHA256,
    } | overrides
    return lambda case: case.attach_document(actor=ACTOR, **args)


def publish(**overrides: Any) -> Step:
    """Publish the title, category and status."""
    args: dict[str, Any] = {
        "fields": ["title", "category", "status"],
        "title": "No bus to a village",
        "description": "A village lost its morning bus.",
    } | overrides
    return lambda case: case.publish(actor=ACTOR, **args)


def unpublish(reason: str = "the submitter asked") -> Step:
    """Take the case off the portal."""
    return lambda case: case.unpublish(actor=ACTOR, reason=reason)


# --- cases at each stage ----------------------------------------------------


def submitted_case(**overrides: Any) -> Case:
    """A case just submitted."""
    return given(submit(**overrides))


def accepted_case() -> Case:
    """A case taken up for advocacy."""
    return given(submit(), accept())


def declined_case() -> Case:
    """A case the forum declined."""
    return given(submit(), decline())


def duplicate_case() -> Case:
    """A case closed as a duplicate of another."""
    return given(submit(), mark_duplicate())


def referred_case() -> tuple[Case, UUID]:
    """An accepted case referred to an institution, and the referral's id."""
    referral_id = uuid4()
    return given(submit(), accept(), refer(referral_id)), referral_id


def answered_case() -> tuple[Case, UUID]:
    """A case whose only referral has a substantive response."""
    case, referral_id = referred_case()
    return given(case, respond(referral_id, "information")), referral_id


def committed_case() -> tuple[Case, UUID]:
    """A case whose referral was answered with a commitment, and its id."""
    case, referral_id = referred_case()
    response_id = uuid4()
    commitment = respond(referral_id, "commitment", response_id=response_id)
    return given(case, commitment), response_id


def resolved_case(outcome: str = "resolved") -> Case:
    """An accepted case closed with an outcome."""
    return given(submit(), accept(), take_action(), resolve(outcome))
