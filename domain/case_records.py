"""What a case holds besides its own fields: referrals, responses, actions, ...

These are immutable values inside the `Case` aggregate. A change replaces
the value (``dataclasses.replace``), so a value handed out by a query can
never be altered behind the case's back.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from uuid import UUID

from domain.personal import PersonalData
from domain.reference import SUBSTANTIVE_RESPONSE_KINDS


@dataclass(frozen=True)
class Translation:
    """The case's title and description in another language."""

    language: str
    title: str
    description: str


@dataclass(frozen=True)
class AdvocacyAction:
    """Something the forum did to push the case: a letter, a petition, ..."""

    action_id: UUID
    kind: str
    taken_on: date
    description: str
    communities: tuple[str, ...]
    signatures: int | None


@dataclass(frozen=True)
class Referral:
    """A request sent to an institution, with the date it must answer by."""

    referral_id: UUID
    institution_kind: str
    institution_name: str
    request_kind: str
    sent_on: date
    due_on: date
    original_due_on: date
    follow_ups: int
    response_ids: tuple[UUID, ...]
    first_response_on: date | None
    substantive_response_on: date | None

    @classmethod
    def sent(
        cls,
        referral_id: UUID,
        institution_kind: str,
        institution_name: str,
        request_kind: str,
        sent_on: date,
        due_on: date,
    ) -> Referral:
        """A referral just sent: no follow-up, no response yet."""
        return cls(
            referral_id, institution_kind, institution_name, request_kind,
            sent_on, due_on, due_on, 0, (), None, None,
        )  # fmt: skip

    @property
    def is_open(self) -> bool:
        """True while the institution has not given a substantive answer."""
        return self.substantive_response_on is None

    def extended(self, due_on: date) -> Referral:
        """The referral with a later due date."""
        return replace(self, due_on=due_on)

    def followed_up(self) -> Referral:
        """The referral chased once more."""
        return replace(self, follow_ups=self.follow_ups + 1)

    def answered(self, response: Response) -> Referral:
        """The referral after a response; a substantive one closes it."""
        return replace(
            self,
            response_ids=(*self.response_ids, response.response_id),
            first_response_on=self.first_response_on or response.received_on,
            substantive_response_on=(
                response.received_on if response.is_substantive else None
            ),
        )


@dataclass(frozen=True)
class Response:
    """What an institution answered to a referral."""

    response_id: UUID
    referral_id: UUID
    received_on: date
    kind: str
    summary: str
    document_id: UUID | None
    commitment_status: str | None
    verified_on: date | None

    @classmethod
    def received(
        cls,
        response_id: UUID,
        referral_id: UUID,
        received_on: date,
        kind: str,
        summary: str,
        document_id: UUID | None,
    ) -> Response:
        """A response just received; a commitment in it is not yet verified."""
        return cls(
            response_id,
            referral_id,
            received_on,
            kind,
            summary,
            document_id,
            None,
            None,
        )

    @property
    def is_substantive(self) -> bool:
        """An acknowledgement or a redirection is not an answer."""
        return self.kind in SUBSTANTIVE_RESPONSE_KINDS

    def verified(self, status: str, verified_on: date) -> Response:
        """The response with its commitment checked."""
        return replace(self, commitment_status=status, verified_on=verified_on)


@dataclass(frozen=True)
class Note:
    """A free-text note on the case; a sensitive one is the person's data."""

    note_id: UUID
    text: str | PersonalData

    def erased_for(self, person_id: UUID) -> Note:
        """The note once that person is erased (only a sensitive one changes)."""
        if isinstance(self.text, PersonalData):
            return replace(self, text=self.text.erased_for(person_id))
        return self


@dataclass(frozen=True)
class Document:
    """A file attached to the case, known by its content hash."""

    document_id: UUID
    filename: str
    media_type: str
    size: int
    sha256: str


@dataclass(frozen=True)
class Resolution:
    """How the case ended."""

    outcome: str
    resolved_on: date
    summary: str


@dataclass(frozen=True)
class Publication:
    """What a coordinator made public, after redaction."""

    fields: tuple[str, ...]
    title: str
    description: str


RECORD_TYPES: tuple[type, ...] = (
    Translation,
    AdvocacyAction,
    Referral,
    Response,
    Note,
    Document,
    Resolution,
    Publication,
)
