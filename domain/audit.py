"""The audit log: who signed in, changed access or took data out, and when.

Each entry is its own aggregate with a single event, so the log is
append-only by construction (nothing can change or remove an entry without
rewriting the event store) and every process writes to the one store. Its
time is the event's timestamp (UTC). The address is the client's, where the
entry comes from a request. Details are short texts: never a password, a
code or a secret.
"""

from __future__ import annotations

import re
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import InvalidValue

# What may be logged; other code records its own kinds through these names.
AUDIT_KINDS: tuple[str, ...] = (
    "signed_in",
    "sign_in_failed",
    "signed_out",
    "sessions_ended",
    "account_created",
    "access_changed",
    "password_changed",
    "account_disabled",
    "account_enabled",
    "second_factor_enrolled",
    "second_factor_reset",
    "token_issued",
    "token_revoked",
    "exported",
    "personal_data_erased",
    "email_changed",
)

MAX_ACTOR_LENGTH = 100
MAX_DETAILS = 20
MAX_DETAIL_LENGTH = 1000
_DETAIL_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


class UnknownAuditKind(InvalidValue):
    """An audit entry's kind is not one of `AUDIT_KINDS`."""


def valid_details(details: dict[str, str]) -> dict[str, str]:
    """Named short texts: at most 20, names in snake_case, values as text."""
    if not isinstance(details, dict) or len(details) > MAX_DETAILS:
        raise InvalidValue(
            f"details are at most {MAX_DETAILS} named texts", field="details"
        )
    checked: dict[str, str] = {}
    for name, value in details.items():
        if not isinstance(name, str) or not _DETAIL_NAME.match(name):
            raise InvalidValue(
                f"a detail's name is lower-case snake_case (got {name!r})",
                field="details",
            )
        if not isinstance(value, str) or len(value) > MAX_DETAIL_LENGTH:
            raise InvalidValue(
                f"detail {name} is text of at most {MAX_DETAIL_LENGTH} characters",
                field="details",
            )
        checked[name] = value
    return checked


class AuditEntry(Aggregate):
    """One thing that happened to access or to data, recorded for good."""

    class Recorded(Aggregate.Created):
        kind: str
        actor: str
        address: str | None
        details: dict[str, str]

    @classmethod
    def record(
        cls,
        *,
        entry_id: UUID,
        kind: str,
        actor: str,
        address: str | None,
        details: dict[str, str],
    ) -> AuditEntry:
        """Decide on an entry: a known kind, a named actor, short details."""
        if kind not in AUDIT_KINDS:
            raise UnknownAuditKind(
                f"kind must be one of: {', '.join(AUDIT_KINDS)} (got {kind!r})",
                field="kind",
            )
        actor = actor.strip() if isinstance(actor, str) else ""
        if not actor or len(actor) > MAX_ACTOR_LENGTH:
            raise InvalidValue(
                f"actor is 1 to {MAX_ACTOR_LENGTH} characters", field="actor"
            )
        if address is not None and len(address) > MAX_ACTOR_LENGTH:
            raise InvalidValue("the address is too long", field="address")
        return cls._create(
            cls.Recorded,
            id=entry_id,
            kind=kind,
            actor=actor,
            address=address or None,
            details=valid_details(details),
        )

    @event(Recorded)
    def __init__(
        self, *, kind: str, actor: str, address: str | None, details: dict[str, str]
    ) -> None:
        self.kind = kind
        self.actor = actor
        self.address = address
        self.details = dict(details)
