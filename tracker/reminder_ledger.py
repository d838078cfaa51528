"""Which deadline reminders went out: one per advocate, referral and day.

A run claims its rows before it sends, so two runs at the same moment cannot
both send the same reminder: a claim is one row, and the database lets only
one writer make it. A sent email marks its rows sent; a failed one releases
them, so the next run tries again. A claim left by a run that died before
either is taken over once it is `STALE_CLAIM_SECONDS` old.

On SQLite the rows live in ``TRACKER_HOME/reminders.sqlite3``; with
``TRACKER_DB=postgresql://…`` in a table of that database. The SQL is
written once: SQLite's ``?`` marks become psycopg's ``%s``.
"""

from __future__ import annotations

import sqlite3
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Protocol
from uuid import uuid4

from tracker.config import Settings
from tracker.errors import StoreUnavailable

LEDGER_FILENAME = "reminders.sqlite3"
# Seconds a writer waits for another's lock before giving up.
BUSY_TIMEOUT_SECONDS = 10
# A claim this old was left by a run that died between claiming and sending
# (a send gives up after 30 s): another run may take it over.
STALE_CLAIM_SECONDS = 10 * 60

TABLE = (
    "CREATE TABLE IF NOT EXISTS tracker_reminders ("
    " account TEXT NOT NULL,"
    " referral_id TEXT NOT NULL,"
    " day TEXT NOT NULL,"
    " claim TEXT NOT NULL,"
    " claimed_at DOUBLE PRECISION NOT NULL,"
    " sent_at DOUBLE PRECISION,"
    " PRIMARY KEY (account, referral_id, day))"
)
CLAIM = (
    "INSERT INTO tracker_reminders (account, referral_id, day, claim, claimed_at)"
    " VALUES (?, ?, ?, ?, ?)"
    " ON CONFLICT (account, referral_id, day) DO UPDATE"
    " SET claim = excluded.claim, claimed_at = excluded.claimed_at"
    " WHERE tracker_reminders.sent_at IS NULL AND tracker_reminders.claimed_at < ?"
)
SENT = (
    "UPDATE tracker_reminders SET sent_at = ?"
    " WHERE account = ? AND referral_id = ? AND day = ? AND claim = ?"
)
RELEASE = (
    "DELETE FROM tracker_reminders"
    " WHERE account = ? AND referral_id = ? AND day = ? AND claim = ?"
    " AND sent_at IS NULL"
)


class Statements(Protocol):
    """Runs one statement inside a transaction: the rows it read and changed."""

    def __call__(
        self, sql: str, params: Sequence[Any] = ()
    ) -> tuple[list[Any], int]: ...


@dataclass
class Claim:
    """The reminders of one advocate and day that this run may send."""

    account: str
    day: date
    token: str
    referral_ids: list[str] = field(default_factory=list)


class ReminderLedger(ABC):
    """The reminders sent (or being sent), over any database with SQL."""

    @abstractmethod
    def _transaction(self) -> AbstractContextManager[Statements]:
        """One transaction: every statement run in it, or none."""

    @abstractmethod
    def close(self) -> None:
        """Let go of the database."""

    def claim(
        self, account: str, referral_ids: Sequence[str], day: date, *, now: float
    ) -> Claim:
        """Claim the reminders of `day` neither sent nor being sent; the claim."""
        claim = Claim(account, day, uuid4().hex)
        stale = now - STALE_CLAIM_SECONDS
        with self._transaction() as run:
            # In one order, so two runs wait for each other, never deadlock.
            for referral_id in sorted(referral_ids):
                row = (account, referral_id, day.isoformat(), claim.token, now, stale)
                if run(CLAIM, row)[1] == 1:
                    claim.referral_ids.append(referral_id)
        return claim

    def mark_sent(self, claim: Claim, *, now: float) -> None:
        """The claimed reminders went out: no run sends them again that day."""
        with self._transaction() as run:
            for referral_id in claim.referral_ids:
                run(SENT, (now, *self._key(claim, referral_id)))

    def release(self, claim: Claim) -> None:
        """The claimed reminders did not go out: the next run may send them."""
        with self._transaction() as run:
            for referral_id in claim.referral_ids:
                run(RELEASE, self._key(claim, referral_id))

    @staticmethod
    def _key(claim: Claim, referral_id: str) -> tuple[str, str, str, str]:
        return (claim.account, referral_id, claim.day.isoformat(), claim.token)

    def sent(self, account: str, day: date) -> set[str]:
        """The referrals an advocate was reminded of on `day`."""
        with self._transaction() as run:
            rows, _ = run(
                "SELECT referral_id FROM tracker_reminders"
                " WHERE account = ? AND day = ? AND sent_at IS NOT NULL",
                (account, day.isoformat()),
            )
        return {str(row[0]) for row in rows}


class SQLiteReminderLedger(ReminderLedger):
    """The ledger in a SQLite file of its own (WAL, busy timeout)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._connection = sqlite3.connect(
            path,
            timeout=BUSY_TIMEOUT_SECONDS,
            isolation_level=None,  # transactions are begun explicitly
        )
        self._connection.execute("PRAGMA journal_mode=WAL")
        with self._transaction() as run:
            run(TABLE)

    @contextmanager
    def _transaction(self) -> Iterator[Statements]:
        # IMMEDIATE: take the write lock first, so no claim fails half-way.
        connection = self._connection
        try:
            connection.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            raise _unavailable(error) from error

        def run(sql: str, params: Sequence[Any] = ()) -> tuple[list[Any], int]:
            cursor = connection.execute(sql, tuple(params))
            return cursor.fetchall(), cursor.rowcount

        try:
            yield run
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        try:
            connection.execute("COMMIT")
        except sqlite3.OperationalError as error:
            raise _unavailable(error) from error

    def close(self) -> None:
        """Close the file."""
        self._connection.close()


class PostgresReminderLedger(ReminderLedger):
    """The ledger in a table of the PostgreSQL database the events are in."""

    def __init__(self, url: str) -> None:
        import psycopg

        self._connection = self._connect(url)
        try:
            with self._transaction() as run:
                run(TABLE)
        except psycopg.errors.UniqueViolation:
            # Another process created it at the same moment.
            with self._transaction() as run:
                run(TABLE)

    @staticmethod
    def _connect(url: str) -> Any:
        import psycopg

        try:
            return psycopg.connect(url, autocommit=True)
        except psycopg.OperationalError as error:
            raise _unavailable(error) from error

    @contextmanager
    def _transaction(self) -> Iterator[Statements]:
        import psycopg

        def run(sql: str, params: Sequence[Any] = ()) -> tuple[list[Any], int]:
            cursor = self._connection.execute(sql.replace("?", "%s"), tuple(params))
            rows = cursor.fetchall() if cursor.description else []
            return rows, cursor.rowcount

        try:
            with self._connection.transaction():
                yield run
        except (psycopg.OperationalError, psycopg.InterfaceError) as error:
            raise _unavailable(error) from error

    def close(self) -> None:
        """Close the connection."""
        self._connection.close()


def _unavailable(error: Exception) -> StoreUnavailable:
    return StoreUnavailable(
        f"the reminders sent are unavailable, try again shortly ({error})"
    )


def open_reminder_ledger(settings: Settings) -> ReminderLedger:
    """The ledger beside the events: SQLite in TRACKER_HOME, or PostgreSQL."""
    if settings.database_url:
        return PostgresReminderLedger(settings.database_url)
    settings.home.mkdir(parents=True, exist_ok=True)
    return SQLiteReminderLedger(settings.home / LEDGER_FILENAME)
