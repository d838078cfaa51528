"""Where sign-in sessions are kept, so the server can end them at once.

A browser holds only a random session id; this store knows it only by its
SHA-256 (a copy of the store lets nobody take over a session), with the
account it is for, when it began, when it was last seen, and the session's
own data (the form token, messages, a sign-in waiting for its code).
Ending a session is deleting its row: every worker and host reads the same
rows, so the very next request of that browser is anonymous.

The store also keeps the last time step each account's second factor used
(`tracker.second_factor`), for the same reason: every process must refuse a
code another process accepted.

On SQLite the rows live in ``TRACKER_HOME/sessions.sqlite3`` (WAL, so
readers never wait for a writer); with ``TRACKER_DB=postgresql://…`` they
live in two tables of that database. The SQL is written once: SQLite's
``?`` marks become psycopg's ``%s``.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

from tracker.config import Settings
from tracker.errors import store_failure
from tracker.store import tables_made_alone

SESSIONS_FILENAME = "sessions.sqlite3"
# Seconds a writer waits for another's lock before giving up.
BUSY_TIMEOUT_SECONDS = 10

TABLES = (
    "CREATE TABLE IF NOT EXISTS tracker_sessions ("
    " digest TEXT PRIMARY KEY,"
    " account_id TEXT,"
    " created_at DOUBLE PRECISION NOT NULL,"
    " last_seen_at DOUBLE PRECISION NOT NULL,"
    " data TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS tracker_sessions_by_account"
    " ON tracker_sessions (account_id)",
    "CREATE INDEX IF NOT EXISTS tracker_sessions_by_last_seen"
    " ON tracker_sessions (last_seen_at)",
    "CREATE TABLE IF NOT EXISTS tracker_second_factor_steps ("
    " account_id TEXT PRIMARY KEY,"
    " last_step BIGINT NOT NULL)",
)


# A request waits this long for a connection to the sessions before it is
# refused (503); the pool's default, 30 s, let an outage hold every worker.
POOL_WAIT_SECONDS = 2.0
_UNAVAILABLE = "the sessions are unavailable"


@dataclass(frozen=True)
class StoredSession:
    """One session's row: times are seconds since 1970 (UTC)."""

    account_id: UUID | None
    created_at: float
    last_seen_at: float
    data: str


class SessionStore:
    """Sessions by the digest of their id, over any database with SQL."""

    def _run(self, sql: str, params: Sequence[Any] = ()) -> tuple[list[Any], int]:
        """Run one statement (its own transaction): rows read, rows changed."""
        raise NotImplementedError

    def close(self) -> None:
        """Let go of the database."""

    def find(self, digest: str) -> StoredSession | None:
        """The session with this digest, if there is one."""
        rows, _ = self._run(
            "SELECT account_id, created_at, last_seen_at, data "
            "FROM tracker_sessions WHERE digest = ?",
            (digest,),
        )
        if not rows:
            return None
        account, created_at, last_seen_at, data = rows[0]
        return StoredSession(
            UUID(account) if account else None,
            float(created_at),
            float(last_seen_at),
            str(data),
        )

    def create(self, digest: str, session: StoredSession) -> None:
        """Keep a new session."""
        self._run(
            "INSERT INTO tracker_sessions VALUES (?, ?, ?, ?, ?)",
            (digest, _text(session.account_id), session.created_at,
             session.last_seen_at, session.data),
        )  # fmt: skip

    def write(
        self, digest: str, *, account_id: UUID | None, last_seen_at: float, data: str
    ) -> bool:
        """Keep a session's new data; False if it was ended meanwhile."""
        _, changed = self._run(
            "UPDATE tracker_sessions SET account_id = ?, last_seen_at = ?, data = ? "
            "WHERE digest = ?",
            (_text(account_id), last_seen_at, data, digest),
        )
        return changed == 1

    def touch(self, digest: str, last_seen_at: float) -> None:
        """Note that a session was used (its idle time starts again)."""
        self._run(
            "UPDATE tracker_sessions SET last_seen_at = ? WHERE digest = ?",
            (last_seen_at, digest),
        )

    def end(self, digest: str) -> None:
        """End one session."""
        self._run("DELETE FROM tracker_sessions WHERE digest = ?", (digest,))

    def end_account(self, account_id: UUID, *, keep: str | None = None) -> int:
        """End every session of an account (but `keep`); how many were ended."""
        _, changed = self._run(
            "DELETE FROM tracker_sessions WHERE account_id = ? AND digest <> ?",
            (account_id.hex, keep or ""),
        )
        return changed

    def count_account(
        self, account_id: UUID, *, seen_after: float, created_after: float
    ) -> int:
        """How many sessions of an account were used and begun since these times."""
        rows, _ = self._run(
            "SELECT COUNT(*) FROM tracker_sessions "
            "WHERE account_id = ? AND last_seen_at >= ? AND created_at >= ?",
            (account_id.hex, seen_after, created_after),
        )
        return int(rows[0][0])

    def purge(self, *, seen_before: float, created_before: float) -> int:
        """Remove sessions idle or old beyond their limits; how many."""
        _, changed = self._run(
            "DELETE FROM tracker_sessions WHERE last_seen_at < ? OR created_at < ?",
            (seen_before, created_before),
        )
        return changed

    def claim_step(self, account_id: UUID, step: int) -> bool:
        """Keep `step` as the account's last used one if it is later; whether it was.

        One statement, so two processes cannot both accept the same code.
        """
        _, changed = self._run(
            "INSERT INTO tracker_second_factor_steps VALUES (?, ?) "
            "ON CONFLICT (account_id) DO UPDATE SET last_step = excluded.last_step "
            "WHERE tracker_second_factor_steps.last_step < excluded.last_step",
            (account_id.hex, step),
        )
        return changed == 1


def _text(account_id: UUID | None) -> str | None:
    return account_id.hex if account_id else None


class SQLiteSessionStore(SessionStore):
    """Sessions in a SQLite file: one connection per thread, WAL, busy timeout."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._opened: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        connection = self._connection()
        for statement in TABLES:
            self._execute(connection, statement, ())

    def _connection(self) -> sqlite3.Connection:
        found: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if found is None:
            found = sqlite3.connect(
                self.path,
                timeout=BUSY_TIMEOUT_SECONDS,
                isolation_level=None,  # each statement commits on its own
                check_same_thread=False,
            )
            found.execute("PRAGMA journal_mode=WAL")
            found.execute("PRAGMA synchronous=NORMAL")
            self._local.connection = found
            with self._lock:
                self._opened.append(found)
        return found

    def _run(self, sql: str, params: Sequence[Any] = ()) -> tuple[list[Any], int]:
        return self._execute(self._connection(), sql, params)

    @staticmethod
    def _execute(
        connection: sqlite3.Connection, sql: str, params: Sequence[Any]
    ) -> tuple[list[Any], int]:
        try:
            cursor = connection.execute(sql, tuple(params))
            return cursor.fetchall(), cursor.rowcount
        except sqlite3.OperationalError as error:
            raise store_failure(error, unavailable=_UNAVAILABLE) from error

    def close(self) -> None:
        """Close every thread's connection."""
        with self._lock:
            for connection in self._opened:
                connection.close()
            self._opened.clear()
        self._local = threading.local()


class PostgresSessionStore(SessionStore):
    """Sessions in two tables of the PostgreSQL database the events are in."""

    def __init__(self, url: str) -> None:
        from psycopg_pool import ConnectionPool

        self.pool = ConnectionPool(
            url, min_size=1, max_size=4, open=True, kwargs={"autocommit": True},
            timeout=POOL_WAIT_SECONDS,
        )  # fmt: skip
        with tables_made_alone(url):
            for statement in TABLES:
                self._run(statement)

    def _run(self, sql: str, params: Sequence[Any] = ()) -> tuple[list[Any], int]:
        import psycopg
        from psycopg_pool import PoolTimeout

        try:
            with self.pool.connection() as connection:
                cursor = connection.execute(sql.replace("?", "%s"), tuple(params))
                rows = cursor.fetchall() if cursor.description else []
                return rows, cursor.rowcount
        except (psycopg.OperationalError, psycopg.InterfaceError, PoolTimeout) as error:
            raise store_failure(error, unavailable=_UNAVAILABLE) from error

    def close(self) -> None:
        """Close the connections."""
        self.pool.close()


def open_session_store(settings: Settings) -> SessionStore:
    """The session store beside the events: SQLite in TRACKER_HOME, or PostgreSQL."""
    if settings.database_url:
        return PostgresSessionStore(settings.database_url)
    settings.home.mkdir(parents=True, exist_ok=True)
    return SQLiteSessionStore(settings.home / SESSIONS_FILENAME)
