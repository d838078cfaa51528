"""Decisions on advocacy: actions, referrals, deadlines, responses, commitments.

Each method validates against the case's state and its rules, then calls the
recording method that `domain/case.py` defines for the event.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from uuid import UUID

from domain import case_errors as errors
from domain.case_records import Document, Response
from domain.case_rules import CaseGuards, optional_text, valid_communities
from domain.errors import InvalidValue, require_choice, require_count, require_text
from domain.reference import (
    ADVOCACY_ACTION_KINDS,
    COMMITMENT_STATUSES,
    FOLLOW_UP_CHANNELS,
    INSTITUTION_KINDS,
    REQUEST_KINDS,
    RESPONSE_KINDS,
)


class AdvocacyDecisions(CaseGuards):
    """What advocacy staff may record on a case, and when."""

    documents: dict[str, Document]
    responses: dict[str, Response]
    _advocacy_action_taken: Callable[..., None]
    _referred: Callable[..., None]
    _deadline_extended: Callable[..., None]
    _followed_up: Callable[..., None]
    _response_received: Callable[..., None]
    _commitment_verified: Callable[..., None]

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
            note=optional_text(note, "note") or "",
        )

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
