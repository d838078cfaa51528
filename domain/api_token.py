"""A token a program presents to the API in place of a person's password.

Each token is its own short event stream, apart from the account it acts
for, so issuing or revoking one never ends the person's web sessions (which
follow the account's version). Only a digest of the secret is recorded: a
copy of the event store lets nobody act as anyone.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import DomainError, InvalidValue

# The longest a token may live, and the longest label it may carry.
MAX_TOKEN_DAYS = 366
MAX_LABEL_LENGTH = 80


class TokenRevoked(DomainError):
    """A revoked token cannot be revoked again, nor used."""


class ApiToken(Aggregate):
    """A bearer token: whose it is, until when, and whether it was revoked."""

    class Event(Aggregate.Event):
        """Every token event says who did it."""

        actor: str

    class Issued(Event, Aggregate.Created):
        account_id: UUID
        username: str
        label: str
        digest: str
        expires_on: date

    class Revoked(Event):
        reason: str

    @classmethod
    def issue(
        cls,
        *,
        token_id: UUID,
        actor: str,
        account_id: UUID,
        username: str,
        label: str,
        digest: str,
        issued_on: date,
        days: int,
    ) -> ApiToken:
        """Decide on a new token: a short label and a lifetime within the limit."""
        if not 1 <= days <= MAX_TOKEN_DAYS:
            raise InvalidValue(
                f"a token lives 1 to {MAX_TOKEN_DAYS} days", field="days"
            )
        label = label.strip() if isinstance(label, str) else ""
        if len(label) > MAX_LABEL_LENGTH:
            raise InvalidValue(
                f"a label has at most {MAX_LABEL_LENGTH} characters", field="label"
            )
        return cls._create(
            cls.Issued,
            id=token_id,
            actor=actor,
            account_id=account_id,
            username=username,
            label=label,
            digest=digest,
            expires_on=date.fromordinal(issued_on.toordinal() + days),
        )

    @event(Issued)
    def __init__(
        self,
        *,
        actor: str,
        account_id: UUID,
        username: str,
        label: str,
        digest: str,
        expires_on: date,
    ) -> None:
        self.account_id = account_id
        self.username = username
        self.label = label
        self.digest = digest
        self.expires_on = expires_on
        self.revoked = False

    def revoke(self, *, actor: str, reason: str) -> None:
        """Stop the token from working, for good."""
        if self.revoked:
            raise TokenRevoked("the token is revoked already", field="token")
        self._revoked(actor=actor, reason=reason.strip() or "revoked")

    @event(Revoked)
    def _revoked(self, *, actor: str, reason: str) -> None:
        self.revoked = True

    def valid_on(self, day: date) -> bool:
        """Whether the token may be used on that day."""
        return not self.revoked and day < self.expires_on
