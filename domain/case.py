"""A community issue, from submission through advocacy to the outcome.

This module holds what a case *is*: its events and how each one changes its
state. The ``@event`` methods only change state, because they run again on
every replay. The public methods that *decide* (``submit`` included) —
validate, and raise a named error before any event exists, so a refused
command records nothing — live in `domain/case_commands.py` (the case's own
life) and `domain/case_advocacy.py` (advocacy towards institutions). Ids and
dates come in from the caller (the application reads the clock).
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.case_advocacy import AdvocacyDecisions
from domain.case_commands import CaseDecisions
from domain.case_records import (
    AdvocacyAction,
    Document,
    Note,
    Publication,
    Referral,
    Resolution,
    Response,
    Translation,
)
from domain.case_rules import (
    AMENDABLE_FIELDS,
)
from domain.case_snapshots import with_first_dated_on
from domain.case_status import status_after
from domain.personal import PersonalData


class Case(CaseDecisions, AdvocacyDecisions, Aggregate):
    """One community issue raised with a municipality, as an event stream."""

    # Version 1 snapshots did not hold ``first_dated_on``.
    class_version = 2

    upcast_v1_v2 = staticmethod(with_first_dated_on)

    class Event(Aggregate.Event):
        """Every case event says who did it; ``timestamp`` says when."""

        actor: str

    class Submitted(Event, Aggregate.Created):
        reference: str
        municipality: str
        title: str
        description: str
        category: str
        communities: tuple[str, ...]
        raised_on: date
        meeting_id: UUID | None
        location: str | None
        submitter: PersonalData | None
        language: str

    class Amended(Event):
        changes: dict[str, Any]
        reason: str

    class Translated(Event):
        language: str
        title: str
        description: str

    class Accepted(Event):
        priority: str

    class Declined(Event):
        reason: str

    class MarkedDuplicate(Event):
        duplicate_of: UUID
        duplicate_of_reference: str

    class AdvocacyActionTaken(Event):
        action_id: UUID
        kind: str
        taken_on: date
        description: str
        communities: tuple[str, ...]
        signatures: int | None

    class Referred(Event):
        referral_id: UUID
        institution_kind: str
        institution_name: str
        request_kind: str
        sent_on: date
        due_on: date

    class DeadlineExtended(Event):
        referral_id: UUID
        due_on: date
        reason: str

    class FollowedUp(Event):
        referral_id: UUID
        followed_up_on: date
        channel: str
        note: str

    class ResponseReceived(Event):
        response_id: UUID
        referral_id: UUID
        received_on: date
        kind: str
        summary: str
        document_id: UUID | None

    class CommitmentVerified(Event):
        response_id: UUID
        status: str
        verified_on: date
        evidence: str

    class Resolved(Event):
        outcome: str
        resolved_on: date
        summary: str

    class Reopened(Event):
        reopened_on: date
        reason: str

    class NoteAdded(Event):
        note_id: UUID
        text: str | PersonalData

    class DocumentAttached(Event):
        document_id: UUID
        filename: str
        media_type: str
        size: int
        sha256: str

    class Published(Event):
        fields: tuple[str, ...]
        title: str
        description: str

    class Unpublished(Event):
        reason: str

    class PersonalDataErased(Event):
        person_id: UUID
        reason: str

    # -- submission (decided in domain/case_commands.py) ----------------

    @event(Submitted)
    def __init__(
        self,
        *,
        actor: str,
        reference: str,
        municipality: str,
        title: str,
        description: str,
        category: str,
        communities: tuple[str, ...],
        raised_on: date,
        meeting_id: UUID | None,
        location: str | None,
        submitter: PersonalData | None,
        language: str,
    ) -> None:
        self.reference = reference
        self.municipality = municipality
        self.title = title
        self.description = description
        self.category = category
        self.communities = list(communities)
        self.raised_on = raised_on
        self.meeting_id = meeting_id
        self.location = location
        self.submitter = submitter
        self.language = language
        self.status = status_after(None, "Submitted")
        self.priority: str | None = None
        self.decline_reason: str | None = None
        self.duplicate_of: UUID | None = None
        self.translations: dict[str, Translation] = {}
        self.actions: list[AdvocacyAction] = []
        self.referrals: dict[str, Referral] = {}
        self.responses: dict[str, Response] = {}
        self.notes: list[Note] = []
        self.documents: dict[str, Document] = {}
        self.resolution: Resolution | None = None
        self.reopened_times = 0
        self.publication: Publication | None = None
        # The earliest date of anything recorded after submission: the raised-on
        # date may not be amended past it.
        self.first_dated_on: date | None = None

    # -- amendment and translation ----------------------------------------

    @event(Amended)
    def _amended(self, *, actor: str, changes: dict[str, Any], reason: str) -> None:
        for field in AMENDABLE_FIELDS:
            if field in changes:
                value = changes[field]
                setattr(self, field, list(value) if field == "communities" else value)

    @event(Translated)
    def _translated(
        self, *, actor: str, language: str, title: str, description: str
    ) -> None:
        self.translations[language] = Translation(language, title, description)

    # -- triage -----------------------------------------------------------

    @event(Accepted)
    def _accepted(self, *, actor: str, priority: str) -> None:
        self.status = status_after(self.status, "Accepted")
        self.priority = priority

    @event(Declined)
    def _declined(self, *, actor: str, reason: str) -> None:
        self.status = status_after(self.status, "Declined")
        self.decline_reason = reason

    @event(MarkedDuplicate)
    def _marked_duplicate(
        self, *, actor: str, duplicate_of: UUID, duplicate_of_reference: str
    ) -> None:
        self.status = status_after(self.status, "MarkedDuplicate")
        self.duplicate_of = duplicate_of

    # -- advocacy (decided in domain/case_advocacy.py) --------------------

    @event(AdvocacyActionTaken)
    def _advocacy_action_taken(
        self,
        *,
        actor: str,
        action_id: UUID,
        kind: str,
        taken_on: date,
        description: str,
        communities: tuple[str, ...],
        signatures: int | None,
    ) -> None:
        self.actions.append(
            AdvocacyAction(
                action_id, kind, taken_on, description, tuple(communities), signatures
            )
        )
        self.status = status_after(self.status, "AdvocacyActionTaken")
        self._saw_date(taken_on)

    @event(Referred)
    def _referred(
        self,
        *,
        actor: str,
        referral_id: UUID,
        institution_kind: str,
        institution_name: str,
        request_kind: str,
        sent_on: date,
        due_on: date,
    ) -> None:
        self.referrals[referral_id.hex] = Referral.sent(
            referral_id,
            institution_kind,
            institution_name,
            request_kind,
            sent_on,
            due_on,
        )
        self.status = status_after(self.status, "Referred")
        self._saw_date(sent_on)

    @event(DeadlineExtended)
    def _deadline_extended(
        self, *, actor: str, referral_id: UUID, due_on: date, reason: str
    ) -> None:
        self.referrals[referral_id.hex] = self.referrals[referral_id.hex].extended(
            due_on
        )
        self.status = status_after(self.status, "DeadlineExtended")

    @event(FollowedUp)
    def _followed_up(
        self,
        *,
        actor: str,
        referral_id: UUID,
        followed_up_on: date,
        channel: str,
        note: str,
    ) -> None:
        key = referral_id.hex
        self.referrals[key] = self.referrals[key].followed_up()
        self.status = status_after(self.status, "FollowedUp")

    @event(ResponseReceived)
    def _response_received(
        self,
        *,
        actor: str,
        response_id: UUID,
        referral_id: UUID,
        received_on: date,
        kind: str,
        summary: str,
        document_id: UUID | None,
    ) -> None:
        response = Response.received(
            response_id, referral_id, received_on, kind, summary, document_id
        )
        self.responses[response_id.hex] = response
        referral = self.referrals[referral_id.hex]
        self.referrals[referral_id.hex] = referral.answered(response)
        self.status = status_after(
            self.status,
            "ResponseReceived",
            open_referrals=any(r.is_open for r in self.referrals.values()),
        )

    @event(CommitmentVerified)
    def _commitment_verified(
        self,
        *,
        actor: str,
        response_id: UUID,
        status: str,
        verified_on: date,
        evidence: str,
    ) -> None:
        response = self.responses[response_id.hex]
        self.responses[response_id.hex] = response.verified(status, verified_on)

    # -- outcome ----------------------------------------------------------

    @event(Resolved)
    def _resolved(
        self, *, actor: str, outcome: str, resolved_on: date, summary: str
    ) -> None:
        self.resolution = Resolution(outcome, resolved_on, summary)
        self.status = status_after(self.status, "Resolved", outcome=outcome)
        self._saw_date(resolved_on)

    @event(Reopened)
    def _reopened(self, *, actor: str, reopened_on: date, reason: str) -> None:
        self.status = status_after(self.status, "Reopened")
        self.resolution = None
        self.reopened_times += 1
        self._saw_date(reopened_on)

    # -- notes, documents, publication -------------------------------------

    @event(NoteAdded)
    def _note_added(
        self, *, actor: str, note_id: UUID, text: str | PersonalData
    ) -> None:
        self.notes.append(Note(note_id, text))

    @event(DocumentAttached)
    def _document_attached(
        self,
        *,
        actor: str,
        document_id: UUID,
        filename: str,
        media_type: str,
        size: int,
        sha256: str,
    ) -> None:
        self.documents[document_id.hex] = Document(
            document_id, filename, media_type, size, sha256
        )

    @event(Published)
    def _published(
        self, *, actor: str, fields: tuple[str, ...], title: str, description: str
    ) -> None:
        self.publication = Publication(tuple(fields), title, description)

    @event(Unpublished)
    def _unpublished(self, *, actor: str, reason: str) -> None:
        self.publication = None

    @event(PersonalDataErased)
    def _personal_data_erased(
        self, *, actor: str, person_id: UUID, reason: str
    ) -> None:
        # Also when the key is still there: the history says it is gone.
        if self.submitter is not None:
            self.submitter = self.submitter.erased_for(person_id)
        self.notes = [note.erased_for(person_id) for note in self.notes]

    # -- derived facts ----------------------------------------------------

    @property
    def is_jointly_raised(self) -> bool:
        """Raised together by two or more distinct communities."""
        return len(set(self.communities)) >= 2

    # -- recording helpers ------------------------------------------------

    def _saw_date(self, day: date) -> None:
        if self.first_dated_on is None or day < self.first_dated_on:
            self.first_dated_on = day
