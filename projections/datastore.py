"""The views' SQLite file, where every write transaction locks before it reads.

SQLite starts a plain ``BEGIN`` as a reader; a transaction that reads and
then writes must upgrade its lock, and when another process holds the write
lock that upgrade fails at once with "database is locked", without waiting
out the busy timeout (waiting could deadlock). Views read their position
before they write, and several processes (web workers, the projection
worker) open and catch up the same views, so every write transaction here
starts with ``BEGIN IMMEDIATE``: it waits for the write lock first, up to
the timeout, and then nothing it does can be refused half-way.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from eventsourcing.persistence import OperationalError
from eventsourcing.sqlite import SQLiteCursor, SQLiteDatastore, SQLiteTransaction


class _Immediate(SQLiteTransaction):
    """A write transaction that takes the write lock before anything else."""

    def __enter__(self) -> SQLiteCursor:
        cursor = self.connection.cursor()
        try:
            cursor.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            raise OperationalError(error) from error
        return cursor


class ViewsDatastore(SQLiteDatastore):
    """The views database: reads as usual, writes with ``BEGIN IMMEDIATE``."""

    @contextmanager
    def transaction(self, *, commit: bool) -> Iterator[SQLiteCursor]:
        """A transaction; a writing one holds the write lock from its start."""
        if not commit:
            with super().transaction(commit=False) as cursor:
                yield cursor
            return
        with (
            self.get_connection(commit=True) as connection,
            _Immediate(connection, commit=True) as cursor,
            cursor,
        ):
            yield cursor
