"""The audit log as a table: newest first, by kind, person and day.

One row per `AuditEntry`, in the order the entries were recorded (the
rowid). ``account`` is the account an entry is about (the one changed, or
the username a failed sign-in tried), so a search for a person finds what
they did and what was done to them. Times are UTC.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, ClassVar

from domain.audit import AuditEntry
from projections.datastore import Cursor
from projections.paging import PER_PAGE, Page, Where, fetch_page
from projections.view import Handler, View


class AuditView(View):
    """Every audit entry, for paging and filtering."""

    name = "audit"
    tables: ClassVar[dict[str, str]] = {
        "audit_entries": """
            CREATE TABLE IF NOT EXISTS audit_entries{s} (
                position INTEGER PRIMARY KEY,
                entry_id TEXT NOT NULL UNIQUE,
                recorded_at TEXT NOT NULL,
                kind TEXT NOT NULL,
                actor TEXT NOT NULL,
                account TEXT NOT NULL,
                address TEXT,
                details TEXT NOT NULL
            )""",
    }
    indexes: ClassVar[dict[str, str]] = {
        "audit_by_recorded": "CREATE INDEX IF NOT EXISTS audit_by_recorded{s} "
        "ON audit_entries{s} (recorded_at)",
        "audit_by_kind": "CREATE INDEX IF NOT EXISTS audit_by_kind{s} "
        "ON audit_entries{s} (kind, position)",
        "audit_by_actor": "CREATE INDEX IF NOT EXISTS audit_by_actor{s} "
        "ON audit_entries{s} (actor, position)",
        "audit_by_account": "CREATE INDEX IF NOT EXISTS audit_by_account{s} "
        "ON audit_entries{s} (account, position)",
    }
    statements: ClassVar[dict[str, str]] = {
        # Numbered in order, never from a sequence (a failed batch would
        # leave one moved on, and a rebuild would number otherwise).
        "recorded": "INSERT INTO audit_entries{s} (position, entry_id, recorded_at, "
        "kind, actor, account, address, details) "
        "SELECT COALESCE(MAX(position), 0) + 1, ?, ?, ?, ?, ?, ?, ? "
        # (WHERE true: SQLite reads ON CONFLICT after a bare FROM as a join's.)
        "FROM audit_entries{s} WHERE true ON CONFLICT DO NOTHING",
    }

    def handlers(self) -> dict[type[Any], Handler]:
        """The one audit event, and what it writes."""
        return {AuditEntry.Recorded: self.recorded}

    def recorded(self, c: Cursor, e: AuditEntry.Recorded) -> None:
        """One more entry, after every earlier one."""
        details = dict(e.details)
        c.execute(
            self.sql["recorded"],
            (
                e.originator_id.hex,
                _stamp(e.timestamp),
                e.kind,
                e.actor,
                details.get("account") or details.get("username") or e.actor,
                e.address,
                json.dumps(details, ensure_ascii=False, sort_keys=True),
            ),
        )


# One fixed width, so that text order is time order.
_STAMP = "%Y-%m-%d %H:%M:%S.%f"


def _stamp(moment: datetime) -> str:
    utc = moment.astimezone(UTC) if moment.tzinfo else moment
    return utc.strftime(_STAMP)


@dataclass(frozen=True)
class AuditRow:
    """One entry as the audit page shows it."""

    entry_id: str
    recorded_at: datetime
    kind: str
    actor: str
    account: str
    address: str | None
    details: dict[str, str]


@dataclass(frozen=True)
class AuditFilter:
    """What the audit list is narrowed to; each empty field narrows nothing.

    ``username`` finds entries a person made and entries about them; the
    days are UTC days, both included.
    """

    kind: str | None = None
    username: str | None = None
    since: date | None = None
    until: date | None = None


def find_audit_entries(
    c: Cursor,
    wanted: AuditFilter,
    *,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> Page[AuditRow]:
    """The entries matching the filter, newest first, one page of them."""
    where = Where()
    if wanted.kind:
        where.add("kind = ?", wanted.kind)
    if wanted.username:
        name = wanted.username.strip().casefold()
        where.add("(actor = ? OR account = ?)", name, name)
    if wanted.since:
        where.add("recorded_at >= ?", _start_of(wanted.since))
    if wanted.until:
        where.add("recorded_at < ?", _start_of(wanted.until + timedelta(days=1)))
    rows, total, page, per_page = fetch_page(
        c, columns="entry_id, recorded_at, kind, actor, account, address, details",
        source="audit_entries", where=where, order="position DESC", page=page,
        per_page=per_page,
    )  # fmt: skip
    return Page(tuple(_row(r) for r in rows), total, page, per_page)


def _start_of(day: date) -> str:
    return _stamp(datetime.combine(day, time(0)))


def _row(r: Any) -> AuditRow:
    return AuditRow(
        entry_id=r["entry_id"],
        recorded_at=datetime.strptime(r["recorded_at"], _STAMP).replace(tzinfo=UTC),
        kind=r["kind"],
        actor=r["actor"],
        account=r["account"],
        address=r["address"],
        details=json.loads(r["details"]),
    )
