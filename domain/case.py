"""A community issue, from submission through advocacy to the outcome.

Public methods decide: they validate, and raise a named error before any
event exists, so a refused command records nothing. The ``@event`` methods
record: they only change state, because they run again on every replay.
Ids and dates come in from the caller (the application reads the clock).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain import case_errors as errors
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
    ACTIVE_STATUSES,
    AMENDABLE_FIELDS,
    CLOSED_STATUSES,
    RESOLVED_STATUSES,
    valid_amendment,
    valid_communities,
    valid_document,
    valid_publication,
    valid_submitter,
)
from domain.errors import InvalidValue, require_choice, require_count, require_text
from domain.reference import (
    ADVOCACY_ACTION_KINDS,
    CATEGORIES,
    COMMITMENT_STATUSES,
    FOLLOW_UP_CHANNELS,
    INSTITUTION_KINDS,
    LANGUAGES,
    OUTCOMES,
    PRIORITIES,
    REQUEST_KINDS,
    RESPONSE_KINDS,
    is_substantive,
    municipality,
)


class Case(Aggregate):
    """One community issue raised with a municipality, as an event stream."""

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
        submitter: dict[str, str] | None
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
        text: str

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

    # -- submission -------------------------------------------------------

    @classmethod
    def submit(
        cls,
        *,
        case_id: UUID,
        actor: str,
        reference: str,
        municipality_code: str,
        title: str,
        description: str,
        category: str,
        communities: tuple[str, ...] | list[str],
        raised_on: date,
        language: str,
        meeting_id: UUID | None = None,
        location: str | None = None,
        submitter: dict[str, str] | None = None,
    ) -> Case:
        """Log a new community issue; the reference comes from the register."""
        municipality(municipality_code)
        return cls._create(
            cls.Submitted,
            id=case_id,
            actor=require_text(actor, "actor", max_length=200),
            reference=reference,
            municipality=municipality_code,
            title=require_text(title, "title", max_length=300),
            description=require_text(description, "description"),
            category=require_choice(category, CATEGORIES, "category"),
            communities=valid_communities(communities),
            raised_on=raised_on,
            meeting_id=meeting_id,
            location=_optional_text(location, "location"),
            submitter=valid_submitter(submitter),
            language=require_choice(language, LANGUAGES, "language"),
        )

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
        submitter: dict[str, str] | None,
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
        self.status = "submitted"
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

    def amend(self, *, actor: str, reason: str, changes: dict[str, Any]) -> None:
        """Correct submitted fields, saying why; unchanged values are dropped."""
        self._require_not_resolved()
        valid = valid_amendment(changes, current=self._amendable_values())
        if "raised_on" in valid:
            self._require_raised_on_before_everything(valid["raised_on"])
        self._amended(actor=actor, changes=valid, reason=require_text(reason, "reason"))

    @event(Amended)
    def _amended(self, *, actor: str, changes: dict[str, Any], reason: str) -> None:
        for field in AMENDABLE_FIELDS:
            if field in changes:
                value = changes[field]
                setattr(self, field, list(value) if field == "communities" else value)

    def translate(
        self, *, actor: str, language: str, title: str, description: str
    ) -> None:
        """Add or replace the text of the case in another language."""
        self._require_not_resolved()
        require_choice(language, LANGUAGES, "language")
        if language == self.language:
            raise errors.SameLanguageAsOriginal(
                f"the case was written in {language}; translate into another",
                field="language",
            )
        self._translated(
            actor=actor,
            language=language,
            title=require_text(title, "title", max_length=300),
            description=require_text(description, "description"),
        )

    @event(Translated)
    def _translated(
        self, *, actor: str, language: str, title: str, description: str
    ) -> None:
        self.translations[language] = Translation(language, title, description)

    # -- triage -----------------------------------------------------------

    def accept(self, *, actor: str, priority: str) -> None:
        """Take the case up for advocacy, with a priority."""
        self._require_untriaged()
        self._accepted(
            actor=actor, priority=require_choice(priority, PRIORITIES, "priority")
        )

    @event(Accepted)
    def _accepted(self, *, actor: str, priority: str) -> None:
        self.status = "accepted"
        self.priority = priority

    def decline(self, *, actor: str, reason: str) -> None:
        """Decide not to take the case up, saying why."""
        self._require_untriaged()
        self._declined(actor=actor, reason=require_text(reason, "reason"))

    @event(Declined)
    def _declined(self, *, actor: str, reason: str) -> None:
        self.status = "declined"
        self.decline_reason = reason

    def mark_duplicate(
        self, *, actor: str, duplicate_of: UUID, duplicate_of_reference: str
    ) -> None:
        """Close the case as the same issue as another case."""
        self._require_untriaged()
        if duplicate_of == self.id:
            raise errors.CannotDuplicateItself(
                "a case cannot duplicate itself", field="duplicate_of"
            )
        self._marked_duplicate(
            actor=actor,
            duplicate_of=duplicate_of,
            duplicate_of_reference=duplicate_of_reference,
        )

    @event(MarkedDuplicate)
    def _marked_duplicate(
        self, *, actor: str, duplicate_of: UUID, duplicate_of_reference: str
    ) -> None:
        self.status = "duplicate"
        self.duplicate_of = duplicate_of

    # -- advocacy ---------------------------------------------------------

    def take_action(
        self,
        *,
        actor: str,
        action_id: UUID,
        kind: str,
        taken_on: date,
        description: str,
        communities: tuple[str, ...] | list[str],
        signatures: int | None = None,
    ) -> None:
        """Record a letter, meeting, petition, ... the forum made for the case."""
        self._require_open_for_advocacy()
        require_choice(kind, ADVOCACY_ACTION_KINDS, "kind")
        self._require_not_before_raised(taken_on, "taken_on")
        if signatures is not None:
            require_count(signatures, "signatures")
        self._advocacy_action_taken(
            actor=actor,
            action_id=action_id,
            kind=kind,
            taken_on=taken_on,
            description=require_text(description, "description"),
            communities=valid_communities(communities),
            signatures=signatures,
        )

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
        if self.status in ("accepted", "reopened"):
            self.status = "in_advocacy"
        self._saw_date(taken_on)

    def refer(
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
        """Send the case to an institution; the due date comes from the rule."""
        self._require_open_for_advocacy()
        require_choice(institution_kind, INSTITUTION_KINDS, "institution_kind")
        require_choice(request_kind, REQUEST_KINDS, "request_kind")
        self._require_not_before_raised(sent_on, "sent_on")
        if due_on < sent_on:
            raise errors.DateOutOfOrder(
                "the due date cannot precede the date sent", field="due_on"
            )
        self._referred(
            actor=actor,
            referral_id=referral_id,
            institution_kind=institution_kind,
            institution_name=require_text(
                institution_name, "institution_name", max_length=300
            ),
            request_kind=request_kind,
            sent_on=sent_on,
            due_on=due_on,
        )

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
        self.referrals[referral_id.hex] = Referral(
            referral_id=referral_id,
            institution_kind=institution_kind,
            institution_name=institution_name,
            request_kind=request_kind,
            sent_on=sent_on,
            due_on=due_on,
            original_due_on=due_on,
            follow_ups=0,
            response_ids=(),
            first_response_on=None,
            substantive_response_on=None,
        )
        self.status = "referred"
        self._saw_date(sent_on)

    def extend_deadline(
        self,
        *,
        actor: str,
        referral_id: UUID,
        due_on: date,
        reason: str,
        latest_allowed: date | None,
    ) -> None:
        """Move an open referral's due date later, within what its rule allows."""
        referral = self._open_referral(referral_id)
        if due_on <= referral.due_on:
            raise errors.DeadlineNotLater(
                f"the new due date must be after {referral.due_on.isoformat()}",
                field="due_on",
            )
        if latest_allowed is None or due_on > latest_allowed:
            limit = latest_allowed.isoformat() if latest_allowed else "no extension"
            raise errors.ExtensionTooLong(
                f"this kind of request allows at most: {limit}", field="due_on"
            )
        self._deadline_extended(
            actor=actor,
            referral_id=referral_id,
            due_on=due_on,
            reason=require_text(reason, "reason"),
        )

    @event(DeadlineExtended)
    def _deadline_extended(
        self, *, actor: str, referral_id: UUID, due_on: date, reason: str
    ) -> None:
        referral = self.referrals[referral_id.hex]
        self.referrals[referral_id.hex] = replace(referral, due_on=due_on)
        self._await_response()

    def follow_up(
        self,
        *,
        actor: str,
        referral_id: UUID,
        followed_up_on: date,
        channel: str,
        note: str,
    ) -> None:
        """Chase an institution that has not answered yet."""
        referral = self._open_referral(referral_id)
        self._require_not_before_referral(referral, followed_up_on, "followed_up_on")
        self._followed_up(
            actor=actor,
            referral_id=referral_id,
            followed_up_on=followed_up_on,
            channel=require_choice(channel, FOLLOW_UP_CHANNELS, "channel"),
            note=_optional_text(note, "note") or "",
        )

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
        referral = self.referrals[referral_id.hex]
        self.referrals[referral_id.hex] = replace(
            referral, follow_ups=referral.follow_ups + 1
        )
        self._await_response()

    def record_response(
        self,
        *,
        actor: str,
        response_id: UUID,
        referral_id: UUID,
        received_on: date,
        kind: str,
        summary: str,
        document_id: UUID | None = None,
    ) -> None:
        """Record what the institution answered to an open referral."""
        referral = self._open_referral(referral_id)
        require_choice(kind, RESPONSE_KINDS, "kind")
        self._require_not_before_referral(referral, received_on, "received_on")
        if document_id is not None and document_id.hex not in self.documents:
            raise InvalidValue(
                "attach the document to the case first", field="document_id"
            )
        self._response_received(
            actor=actor,
            response_id=response_id,
            referral_id=referral_id,
            received_on=received_on,
            kind=kind,
            summary=require_text(summary, "summary"),
            document_id=document_id,
        )

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
        self.responses[response_id.hex] = Response(
            response_id,
            referral_id,
            received_on,
            kind,
            summary,
            document_id,
            None,
            None,
        )
        referral = self.referrals[referral_id.hex]
        self.referrals[referral_id.hex] = replace(
            referral,
            response_ids=(*referral.response_ids, response_id),
            first_response_on=referral.first_response_on or received_on,
            substantive_response_on=(received_on if is_substantive(kind) else None),
        )
        if any(r.is_open for r in self.referrals.values()):
            self.status = "awaiting_response"
        else:
            self.status = "answered"

    def verify_commitment(
        self,
        *,
        actor: str,
        response_id: UUID,
        status: str,
        verified_on: date,
        evidence: str,
    ) -> None:
        """Record whether a municipality kept a commitment it made."""
        self._require_open_for_advocacy()
        response = self.responses.get(response_id.hex)
        if response is None:
            raise errors.ResponseNotFound(
                f"no response {response_id} on this case", field="response_id"
            )
        if response.kind != "commitment":
            raise errors.NotACommitment(
                f"a {response.kind} response makes no commitment",
                field="response_id",
            )
        if verified_on < response.received_on:
            raise errors.DateBeforeResponse(
                "a commitment cannot be verified before it was made",
                field="verified_on",
            )
        self._commitment_verified(
            actor=actor,
            response_id=response_id,
            status=require_choice(status, COMMITMENT_STATUSES, "status"),
            verified_on=verified_on,
            evidence=require_text(evidence, "evidence"),
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
        self.responses[response_id.hex] = replace(
            response, commitment_status=status, verified_on=verified_on
        )

    # -- outcome ----------------------------------------------------------

    def resolve(
        self, *, actor: str, outcome: str, resolved_on: date, summary: str
    ) -> None:
        """Close the case with its outcome."""
        self._require_open_for_advocacy()
        self._require_not_before_raised(resolved_on, "resolved_on")
        self._resolved(
            actor=actor,
            outcome=require_choice(outcome, OUTCOMES, "outcome"),
            resolved_on=resolved_on,
            summary=require_text(summary, "summary"),
        )

    @event(Resolved)
    def _resolved(
        self, *, actor: str, outcome: str, resolved_on: date, summary: str
    ) -> None:
        self.resolution = Resolution(outcome, resolved_on, summary)
        self.status = outcome
        self._saw_date(resolved_on)

    def reopen(self, *, actor: str, reopened_on: date, reason: str) -> None:
        """Open a declined, duplicate or resolved case again."""
        if self.status not in CLOSED_STATUSES:
            raise errors.CaseNotClosed(
                f"a case that is {self.status} is not closed", field="status"
            )
        self._require_not_before_raised(reopened_on, "reopened_on")
        if self.resolution and reopened_on < self.resolution.resolved_on:
            raise errors.DateBeforeResolution(
                "a case cannot be reopened before it was resolved",
                field="reopened_on",
            )
        self._reopened(
            actor=actor, reopened_on=reopened_on, reason=require_text(reason, "reason")
        )

    @event(Reopened)
    def _reopened(self, *, actor: str, reopened_on: date, reason: str) -> None:
        self.status = "reopened"
        self.resolution = None
        self.reopened_times += 1
        self._saw_date(reopened_on)

    # -- notes, documents, publication -------------------------------------

    def add_note(self, *, actor: str, note_id: UUID, text: str) -> None:
        """Add a free-text note; allowed at every stage."""
        self._note_added(actor=actor, note_id=note_id, text=require_text(text, "text"))

    @event(NoteAdded)
    def _note_added(self, *, actor: str, note_id: UUID, text: str) -> None:
        self.notes.append(Note(note_id, text))

    def attach_document(
        self,
        *,
        actor: str,
        document_id: UUID,
        filename: str,
        media_type: str,
        size: int,
        sha256: str,
    ) -> None:
        """Attach a stored file, known by its SHA-256 content hash."""
        self._require_not_resolved()
        filename, media_type, size, sha256 = valid_document(
            filename, media_type, size, sha256
        )
        self._document_attached(
            actor=actor,
            document_id=document_id,
            filename=filename,
            media_type=media_type,
            size=size,
            sha256=sha256,
        )

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

    def publish(
        self,
        *,
        actor: str,
        fields: tuple[str, ...] | list[str],
        title: str,
        description: str,
    ) -> None:
        """Make chosen fields public, with the redacted text to show."""
        fields, title, description = valid_publication(fields, title, description)
        self._published(
            actor=actor, fields=fields, title=title, description=description
        )

    @event(Published)
    def _published(
        self, *, actor: str, fields: tuple[str, ...], title: str, description: str
    ) -> None:
        self.publication = Publication(tuple(fields), title, description)

    def unpublish(self, *, actor: str, reason: str) -> None:
        """Take the case off the public portal."""
        if self.publication is None:
            raise errors.CaseNotPublished("the case is not published")
        self._unpublished(actor=actor, reason=require_text(reason, "reason"))

    @event(Unpublished)
    def _unpublished(self, *, actor: str, reason: str) -> None:
        self.publication = None

    # -- derived facts ----------------------------------------------------

    @property
    def is_jointly_raised(self) -> bool:
        """Raised together by two or more distinct communities."""
        return len(set(self.communities)) >= 2

    def referral(self, referral_id: UUID) -> Referral:
        """The referral with that id, or ReferralNotFound."""
        try:
            return self.referrals[referral_id.hex]
        except KeyError:
            raise errors.ReferralNotFound(
                f"no referral {referral_id} on this case", field="referral_id"
            ) from None

    # -- rules ------------------------------------------------------------

    def _amendable_values(self) -> dict[str, Any]:
        return {field: getattr(self, field) for field in AMENDABLE_FIELDS}

    def _await_response(self) -> None:
        if self.status == "referred":
            self.status = "awaiting_response"

    def _open_referral(self, referral_id: UUID) -> Referral:
        self._require_open_for_advocacy()
        referral = self.referral(referral_id)
        if not referral.is_open:
            raise errors.ReferralAlreadyAnswered(
                "this referral already has a substantive response",
                field="referral_id",
            )
        return referral

    def _require_untriaged(self) -> None:
        if self.status != "submitted":
            raise errors.CaseAlreadyTriaged(
                f"the case is already {self.status}", field="status"
            )

    def _require_not_resolved(self) -> None:
        if self.status in RESOLVED_STATUSES:
            raise errors.CaseAlreadyResolved(
                "a resolved case takes only notes, publication and reopening",
                field="status",
            )

    def _require_open_for_advocacy(self) -> None:
        self._require_not_resolved()
        if self.status == "submitted":
            raise errors.CaseNotAccepted(
                "accept the case before advocating for it", field="status"
            )
        if self.status not in ACTIVE_STATUSES:
            raise errors.CaseNotOpenForAdvocacy(
                f"a {self.status} case takes no advocacy until it is reopened",
                field="status",
            )

    def _require_not_before_raised(self, day: date, field: str) -> None:
        if day < self.raised_on:
            raise errors.DateBeforeCaseRaised(
                f"{field} cannot be before the case was raised "
                f"({self.raised_on.isoformat()})",
                field=field,
            )

    def _require_not_before_referral(
        self, referral: Referral, day: date, field: str
    ) -> None:
        if day < referral.sent_on:
            raise errors.DateBeforeReferral(
                f"{field} cannot be before the referral was sent "
                f"({referral.sent_on.isoformat()})",
                field=field,
            )

    def _saw_date(self, day: date) -> None:
        if self.first_dated_on is None or day < self.first_dated_on:
            self.first_dated_on = day

    def _require_raised_on_before_everything(self, raised_on: date) -> None:
        if self.first_dated_on is not None and raised_on > self.first_dated_on:
            raise errors.DateOutOfOrder(
                "the case cannot be raised after what is already recorded "
                f"({self.first_dated_on.isoformat()})",
                field="raised_on",
            )


def _optional_text(value: str | None, field: str) -> str | None:
    if value is None or not value.strip():
        return None
    return require_text(value, field, max_length=2_000)
