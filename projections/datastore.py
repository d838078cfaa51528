"""The views' database: a SQLite file beside the events, or PostgreSQL.

Views and queries write their SQL once, in what both databases understand
(``?`` for parameters, ``ON CONFLICT``, ``COALESCE``, ISO dates as text),
and run it through a `Cursor` that knows its `Dialect`. The few things that
differ are spelled by the dialect: column types, whole days between two
dates, joining values into a list, and full-text search (projections.search).

SQLite starts a plain ``BEGIN`` as a reader; a transaction that reads and
then writes must upgrade its lock, and when another process holds the write
lock that upgrade fails at once with "database is locked", without waiting
out the busy timeout (waiting could deadlock). Views read their position
before they write, and several processes (web workers, the projection
worker) open and catch up the same views, so every SQLite write transaction
here starts with ``BEGIN IMMEDIATE``: it waits for the write lock first, up
to the timeout, and then nothing it does can be refused half-way.

On PostgreSQL the views' tables sit in the events' database, and writers
need no such lock: each batch starts by moving its view's position with a
compare-and-set (`projections.view`), which waits for, then refuses, a
writer that got there first.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any, Protocol

from eventsourcing.persistence import OperationalError
from eventsourcing.sqlite import SQLiteCursor, SQLiteDatastore, SQLiteTransaction

from projections.dialect import SQLITE, Dialect


def stored_day(text: str | None) -> date | None:
    """A date as the views store it (ISO text), or None."""
    return date.fromisoformat(text) if text else None


class Cursor(Protocol):
    """What views and queries use of a database cursor."""

    dialect: Dialect

    def execute(
        self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ...
    ) -> None:
        """Run one statement (``?`` parameters, or ``:name`` ones from a mapping)."""

    def executemany(self, sql: str, params: Sequence[Sequence[Any]]) -> None:
        """Run one statement for each set of parameters."""

    def fetchone(self) -> Any:
        """The next row (by index or by column name), or None."""

    def fetchall(self) -> list[Any]:
        """The remaining rows."""

    def __iter__(self) -> Iterator[Any]:
        """The remaining rows, one at a time."""

    @property
    def rowcount(self) -> int:
        """Rows the last statement changed."""

    def column_names(self) -> list[str]:
        """The names of the last query's columns."""


class ViewsDatabase(Protocol):
    """Where views keep their tables: transactions on one database."""

    dialect: Dialect

    @property
    def description(self) -> str:
        """Where the views are, for people to read (no password)."""

    def transaction(self, *, commit: bool) -> Any:
        """A transaction (a context giving a `Cursor`); rolled back unless commit."""

    def creating(self) -> Any:
        """A writing transaction that alone, among all processes, creates tables."""

    def close(self) -> None:
        """Let the connections go."""


class SQLiteViewsCursor(SQLiteCursor):
    """A SQLite cursor that says its dialect."""

    dialect = SQLITE

    @property
    def rowcount(self) -> int:
        """Rows the last statement changed."""
        return int(self.sqlite_cursor.rowcount)

    def column_names(self) -> list[str]:
        """The names of the last query's columns."""
        return [column[0] for column in self.sqlite_cursor.description]

    def __iter__(self) -> Iterator[Any]:
        """The remaining rows, one at a time."""
        return iter(self.sqlite_cursor)


class _Transaction(SQLiteTransaction):
    """A transaction whose cursor says its dialect; a writing one locks first."""

    def __enter__(self) -> SQLiteViewsCursor:
        cursor = SQLiteViewsCursor(self.connection.cursor().sqlite_cursor)
        try:
            cursor.execute("BEGIN IMMEDIATE" if self.commit else "BEGIN")
        except sqlite3.OperationalError as error:
            raise OperationalError(error) from error
        return cursor


class SQLiteViews(SQLiteDatastore):
    """The views' SQLite file: reads as usual, writes with ``BEGIN IMMEDIATE``."""

    dialect = SQLITE

    @property
    def description(self) -> str:
        """The file, for people to read."""
        return f"SQLite {self.pool.db_name}"

    @contextmanager
    def transaction(self, *, commit: bool) -> Iterator[SQLiteViewsCursor]:
        """A transaction; a writing one holds the write lock from its start."""
        with (
            self.get_connection(commit=commit) as connection,
            _Transaction(connection, commit=commit) as cursor,
            cursor,
        ):
            yield cursor

    def creating(self) -> Any:
        """A writing transaction: ``BEGIN IMMEDIATE`` already keeps others out."""
        return self.transaction(commit=True)
