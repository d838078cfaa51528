"""What every read model shares: its own tables, its position, exactly-once.

A view has tables of its own in the views database (projections.datastore),
and its position in the ``tracking`` table there. A batch of events and the
view's new position are written in one transaction, and the transaction
starts by moving the position from where this batch began to where it ends
(compare-and-set): if another worker moved it first, nothing is written and
the batch is read again. So an event is applied exactly once however many
workers run, and a worker killed in the middle of a batch leaves the view as
it was before the batch.

For a rebuild the same view is built beside the live one, in tables whose
names end in ``__next`` and with its own position; when it has caught up,
`swap` puts it in the live one's place in one transaction. The copy has no
secondary indexes while it is built: `swap` builds them in one pass each,
far cheaper than keeping them up to date through a million events.

A view may keep rows in memory between batches (`projections.rows`). They
are valid only for the position its last batch committed: `advance` forgets
them when the view is elsewhere, and `Views` calls `forget` when a batch fails.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.domain import DomainEventProtocol
from eventsourcing.utils import get_topic

from projections.datastore import Cursor, ViewsDatabase
from projections.rows import Rows

NEXT = "__next"
# Each view's position: the last event it applied.
TRACKING = (
    "CREATE TABLE IF NOT EXISTS tracking "
    "(application_name TEXT PRIMARY KEY, notification_id BIGINT NOT NULL)"
)

# One event as the views see it: its position in the log, and the event.
Positioned = tuple[int, DomainEventProtocol[UUID]]
Handler = Callable[[Cursor, Any], None]


class PositionMoved(Exception):
    """Another worker applied these events first; read them again."""


class View:
    """A read model: tables of its own, kept in step with the events.

    Subclasses give ``name``, ``tables`` and ``indexes`` (CREATE statements in
    which ``{s}`` stands for the name suffix, empty for the live tables) and
    map event classes to handlers in `handlers`. Statements that write use
    the same ``{s}``; `sql` holds them formatted for this copy of the view.
    """

    name: ClassVar[str]
    tables: ClassVar[dict[str, str]]
    indexes: ClassVar[dict[str, str]] = {}
    statements: ClassVar[dict[str, str]] = {}

    def __init__(self, database: ViewsDatabase, *, suffix: str = "") -> None:
        self.database = database
        self.suffix = suffix
        self.sql = {key: text.format(s=suffix) for key, text in self.statements.items()}
        self._handlers = self.handlers()
        self.topics = frozenset(get_topic(kind) for kind in self._handlers)
        # The position the rows in memory were written at (None: none kept).
        self._rows_at: int | None = None

    def rows(self) -> list[Rows]:
        """The tables this view keeps rows of in memory (none by default)."""
        return []

    @property
    def tracking_name(self) -> str:
        """The name its position is kept under."""
        return self.name + self.suffix

    def handlers(self) -> dict[type[Any], Handler]:
        """The event classes this view reads, each with what it writes."""
        raise NotImplementedError

    def table_statements(self) -> dict[str, str]:
        """This view's CREATE TABLE statements, by table (in any database)."""
        return self.tables

    @property
    def shape(self) -> str:
        """A fingerprint of this view's tables and indexes, as this code makes them."""
        ddl = "\n".join([*self.table_statements().values(), *self.indexes.values()])
        return hashlib.sha256(ddl.encode()).hexdigest()[:16]

    def create_table(self) -> None:
        """Make the tables, or find them made; safe with other processes at once."""
        with self.database.creating() as c:
            self._create_table(c)

    def _create_table(self, c: Cursor) -> None:
        c.execute(TRACKING)
        if not self._reshaped(c):
            c.execute(
                "INSERT INTO tracking VALUES (?, 0) "
                "ON CONFLICT (application_name) DO NOTHING",
                (self.tracking_name,),
            )
            return
        # Tables of another shape, from an earlier version: start again.
        self.clear(c)
        for ddl in self.indexes.values():
            c.execute(c.dialect.table(ddl.format(s=self.suffix)))
        c.execute(
            "INSERT INTO view_shapes VALUES (?, ?) ON CONFLICT (name) "
            "DO UPDATE SET shape = excluded.shape",
            (self.tracking_name, self.shape),
        )

    def _reshaped(self, c: Cursor) -> bool:
        """Whether the tables may have been made by code that shaped them otherwise.

        Without a recorded shape (a new file, or one older than the record)
        they are dropped too: there is nothing to lose that a catch-up will
        not bring back.
        """
        c.execute(
            "CREATE TABLE IF NOT EXISTS view_shapes "
            "(name TEXT PRIMARY KEY, shape TEXT NOT NULL)"
        )
        c.execute("SELECT shape FROM view_shapes WHERE name = ?", (self.tracking_name,))
        found = c.fetchone()
        return found is None or str(found[0]) != self.shape

    def advance(self, c: Cursor, start: int, end: int) -> None:
        """Move the position from `start` to `end`, or refuse if it moved."""
        c.execute(
            "UPDATE tracking SET notification_id = ? "
            "WHERE application_name = ? AND notification_id = ?",
            (end, self.tracking_name, start),
        )
        if c.rowcount != 1:
            raise PositionMoved(f"{self.tracking_name} is no longer at {start}")
        if self._rows_at != start:
            self.forget()
        self._rows_at = end

    def forget(self) -> None:
        """Drop the rows kept in memory: the tables may no longer match them."""
        self._rows_at = None
        for rows in self.rows():
            rows.forget()

    def apply(self, c: Cursor, events: Sequence[Positioned]) -> None:
        """Apply a batch of events, in the caller's transaction."""
        mine = [(n, e) for n, e in events if type(e) in self._handlers]
        self.prepare(c, mine)
        for _, event in mine:
            self._handlers[type(event)](c, event)

    def prepare(self, c: Cursor, events: Sequence[Positioned]) -> None:
        """Before a batch's events: read what they need (nothing by default)."""

    def finish(self, c: Cursor) -> None:
        """Before the transaction commits: write the rows changed in memory."""
        for rows in self.rows():
            rows.write(c)

    def clear(self, c: Cursor) -> None:
        """Drop this copy's tables and start its position again from zero."""
        # The position's row first: a worker catching up holds it while it
        # writes the tables, so waiting for it here, before any statement on
        # the tables, can never wait in a circle.
        c.execute(
            "INSERT INTO tracking VALUES (?, 0) ON CONFLICT (application_name) "
            "DO UPDATE SET notification_id = 0",
            (self.tracking_name,),
        )
        self._drop_tables(c)
        for ddl in self.table_statements().values():
            c.execute(c.dialect.table(ddl.format(s=self.suffix)))
        self.forget()

    def _drop_tables(self, c: Cursor) -> None:
        for table in self.table_statements():
            c.execute(f"DROP TABLE IF EXISTS {table}{self.suffix}")

    def swap(self, c: Cursor, live: View) -> None:
        """Put this rebuilt copy in place of the live view (one transaction)."""
        for table in self.table_statements():
            c.execute(f"DROP TABLE IF EXISTS {table}")
            c.execute(f"ALTER TABLE {table}{self.suffix} RENAME TO {table}")
        for index, ddl in self.indexes.items():
            c.execute(f"DROP INDEX IF EXISTS {index}{self.suffix}")
            c.execute(c.dialect.table(ddl.format(s="")))
        c.execute(
            "UPDATE tracking SET notification_id = ? WHERE application_name = ?",
            (self.position_in(c), live.tracking_name),
        )
        c.execute(
            "UPDATE tracking SET notification_id = 0 WHERE application_name = ?",
            (self.tracking_name,),
        )
        live.forget()

    def position_in(self, c: Cursor) -> int:
        """The position as this transaction sees it."""
        c.execute(
            "SELECT notification_id FROM tracking WHERE application_name = ?",
            (self.tracking_name,),
        )
        row = c.fetchone()
        return int(row[0]) if row else 0
