"""The views in PostgreSQL: the events' database, through the same `Cursor`.

Values go in and come out as the views' SQLite code knows them: dates as ISO
text, truth as 0 or 1, sums as whole numbers, rows readable by index or by
column name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import psycopg
from eventsourcing.postgres import PostgresDatastore
from psycopg import sql

from projections.dialect import POSTGRES, Dialect
from tracker.config import TABLES_LOCK, postgres_env

# Connections each process keeps for its views, and how many more it may open.
POOL_SIZE = 2
POOL_OVERFLOW = 8


class PostgresRow:
    """One row, by index or by column name, as SQLite's rows are read."""

    __slots__ = ("_names", "_values")

    def __init__(self, names: dict[str, int], values: tuple[Any, ...]) -> None:
        self._names = names
        self._values = values

    def __getitem__(self, key: int | str) -> Any:
        if isinstance(key, str):
            return self._values[self._names[key]]
        return self._values[key]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def keys(self) -> list[str]:
        """The column names, in order."""
        return list(self._names)


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _row_factory(cursor: Any) -> Callable[[Sequence[Any]], PostgresRow]:
    names = {column.name: i for i, column in enumerate(cursor.description or ())}

    def make(values: Sequence[Any]) -> PostgresRow:
        return PostgresRow(names, tuple(_plain(value) for value in values))

    return make


def _parameter(value: Any) -> Any:
    # As Python's sqlite3 stores them: the views compare dates as ISO text.
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, datetime):
        return value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and "\x00" in value:
        # PostgreSQL text cannot hold NUL, and a view that cannot write an
        # event's row would stop at it for good: the views show U+FFFD.
        return value.replace("\x00", "\ufffd")
    return value


class PostgresViewsCursor:
    """A psycopg cursor that takes the views' SQL and gives their values."""

    dialect: Dialect = POSTGRES

    def __init__(self, cursor: psycopg.Cursor[PostgresRow]) -> None:
        self._cursor = cursor

    def execute(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> None:
        """Run one statement (``?`` parameters, or ``:name`` ones from a mapping)."""
        if isinstance(params, Mapping):
            named = {name: _parameter(value) for name, value in params.items()}
            self._cursor.execute(POSTGRES.named_statement(sql), named)
        else:
            listed = [_parameter(value) for value in params]
            self._cursor.execute(POSTGRES.statement(sql), listed)

    def executemany(self, sql: str, params: Sequence[Sequence[Any]]) -> None:
        """Run one statement for each set of parameters."""
        if params:
            self._cursor.executemany(
                POSTGRES.statement(sql),
                [[_parameter(value) for value in row] for row in params],
            )

    def fetchone(self) -> PostgresRow | None:
        """The next row, or None."""
        return self._cursor.fetchone()

    def fetchall(self) -> list[PostgresRow]:
        """The remaining rows."""
        return self._cursor.fetchall()

    def __iter__(self) -> Iterator[PostgresRow]:
        """The remaining rows, one at a time."""
        return iter(self._cursor)

    @property
    def rowcount(self) -> int:
        """Rows the last statement changed."""
        return self._cursor.rowcount

    def column_names(self) -> list[str]:
        """The names of the last query's columns."""
        return [column.name for column in self._cursor.description or ()]


class PostgresViews:
    """The views' tables in the PostgreSQL database of the events."""

    dialect: Dialect = POSTGRES

    def __init__(self, url: str, *, schema: str = "public") -> None:
        env = postgres_env(url)
        # Another schema holds a second set of views (a rebuild to compare).
        if not schema.isidentifier():
            raise ValueError(f"not a schema name: {schema!r}")
        self.schema = schema
        self.datastore = PostgresDatastore(
            dbname=env["POSTGRES_DBNAME"],
            host=env["POSTGRES_HOST"],
            port=env["POSTGRES_PORT"],
            user=env["POSTGRES_USER"],
            password=env["POSTGRES_PASSWORD"],
            pool_size=POOL_SIZE,
            max_overflow=POOL_OVERFLOW,
            pre_ping=True,
        )

    @property
    def description(self) -> str:
        """The database and schema, for people to read (no password)."""
        info = self.datastore.pool.kwargs
        assert isinstance(info, dict)  # nosec B101 (narrows a type)
        where = f"{info['host']}:{info['port']}/{info['dbname']}"
        return f"PostgreSQL {where} (schema {self.schema})"

    @contextmanager
    def transaction(self, *, commit: bool) -> Iterator[PostgresViewsCursor]:
        """A transaction; one that only reads sees one snapshot throughout."""
        with (
            self.datastore.get_connection() as connection,
            connection.transaction(force_rollback=not commit),
        ):
            cursor = connection.cursor(row_factory=_row_factory)
            if not commit:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            if self.schema != "public":
                cursor.execute(
                    sql.SQL("SET LOCAL search_path TO {}").format(
                        sql.Identifier(self.schema)
                    )
                )
            yield PostgresViewsCursor(cursor)

    @contextmanager
    def creating(self) -> Iterator[PostgresViewsCursor]:
        """A transaction that alone, among all processes, creates tables."""
        with self.transaction(commit=True) as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(?)", (TABLES_LOCK,))
            # A name checked to be an identifier, not input.
            cursor.execute(f'CREATE SCHEMA IF NOT EXISTS "{self.schema}"')  # nosec B608
            yield cursor

    def close(self) -> None:
        """Let the connections go."""
        self.datastore.close()
