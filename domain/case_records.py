"""What a case holds besides its own fields: referrals, responses, actions, ...

These are immutable values inside the `Case` aggregate. A change replaces
the value (``dataclasses.replace``), so a value handed out by a query can
never be altered behind the case's back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

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

    @property
    def is_open(self) -> bool:
        """True while the institution has not given a substantive answer."""
        return self.substantive_response_on is None


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

    @property
    def is_substantive(self) -> bool:
        """An acknowledgement or a redirection is not an answer."""
        return self.kind in SUBSTANTIVE_RESPONSE_KINDS


@dataclass(frozen=True)
class Note:
    """A free-text note on the case."""

    note_id: UUID
    text: str


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
