"""Recording the audit log: the one command every part of the tracker calls.

An account command saves its audit entry in the same transaction as the
account's own event (`audit_entry` builds it unsaved), so a change is never
on the record without its entry, nor the other way round. Anything else
(sign-ins, exports, erasures) calls `record_audit`.
"""

from __future__ import annotations

from uuid import UUID, uuid4

from domain.audit import AuditEntry
from tracker.store import Store


class AuditCommands(Store):
    """The append-only audit log, kept in the event store."""

    def audit_entry(
        self,
        kind: str,
        *,
        actor: str,
        details: dict[str, str],
        address: str | None = None,
    ) -> AuditEntry:
        """An entry decided but not saved yet: save it with what it records."""
        return AuditEntry.record(
            entry_id=uuid4(), kind=kind, actor=actor, address=address, details=details
        )

    def record_audit(
        self,
        kind: str,
        *,
        actor: str,
        details: dict[str, str],
        address: str | None = None,
    ) -> UUID:
        """Add an entry to the audit log (a kind of `domain.audit.AUDIT_KINDS`)."""
        entry = self.audit_entry(kind, actor=actor, details=details, address=address)
        self.save_all(entry)
        return entry.id
