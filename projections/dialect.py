"""What differs between SQLite and PostgreSQL in the views' SQL, said once.

The views' statements are written in SQLite's spelling where the two agree
on meaning (``?`` parameters, ``INTEGER``, ``REAL``); PostgreSQL's dialect
turns them into its own before they run. What has no common spelling
(whole days between ISO dates, a comma-joined list) is asked of the dialect.
"""

from __future__ import annotations

import re
from functools import lru_cache


class Dialect:
    """SQLite's SQL: statements run as written."""

    name = "sqlite"
    # A join whose tables are read in the order written (SQLite's planner
    # takes CROSS JOIN as that order; PostgreSQL plans every join itself).
    join_in_order = "CROSS JOIN"

    def table(self, ddl: str) -> str:
        """A CREATE TABLE statement in this database's types."""
        return ddl

    def statement(self, sql: str) -> str:
        """A statement as this database's driver takes it."""
        return sql

    def named_statement(self, sql: str) -> str:
        """A statement with ``:name`` parameters as this database's driver takes it."""
        return sql

    def days_between(self, later: str, earlier: str) -> str:
        """Whole days from one ISO date column to another."""
        return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"

    def joined(self, expression: str) -> str:
        """The values of a group, joined with commas (NULLs left out)."""
        return f"group_concat({expression})"

    def listed(self) -> str:
        """A query of the ``value``s of a JSON list given as one parameter."""
        return "SELECT value FROM json_each(?)"


class PostgresDialect(Dialect):
    """PostgreSQL's SQL: ``%s`` parameters, 64-bit integers, no ``WITHOUT ROWID``."""

    name = "postgresql"
    join_in_order = "JOIN"

    def table(self, ddl: str) -> str:
        """A CREATE TABLE statement with PostgreSQL's types."""
        return _postgres_table(ddl)

    def statement(self, sql: str) -> str:
        """``?`` parameters as ``%s``, and a literal ``%`` doubled."""
        return _postgres_statement(sql)

    def named_statement(self, sql: str) -> str:
        """``:name`` parameters as ``%(name)s``, and a literal ``%`` doubled."""
        return _NAMED.sub(r"%(\1)s", sql.replace("%", "%%"))

    def days_between(self, later: str, earlier: str) -> str:
        """Whole days from one ISO date column to another."""
        return f"(CAST({later} AS DATE) - CAST({earlier} AS DATE))"

    def joined(self, expression: str) -> str:
        """The values of a group, joined with commas (NULLs left out)."""
        return f"string_agg(CAST({expression} AS TEXT), ',')"

    def listed(self) -> str:
        """A query of the ``value``s of a JSON list given as one parameter."""
        return "SELECT value FROM json_array_elements_text(CAST(? AS JSON)) AS value"


_TYPES = (
    (re.compile(r"\bINTEGER\b"), "BIGINT"),
    (re.compile(r"\bREAL\b"), "DOUBLE PRECISION"),
    (re.compile(r"\bBLOB\b"), "BYTEA"),
    (re.compile(r"\)\s*WITHOUT ROWID"), ")"),
)  # fmt: skip


_NAMED = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")


@lru_cache(maxsize=256)
def _postgres_table(ddl: str) -> str:
    for pattern, replacement in _TYPES:
        ddl = pattern.sub(replacement, ddl)
    return ddl


@lru_cache(maxsize=4096)
def _postgres_statement(sql: str) -> str:
    # No statement of the views holds a literal '?'; every one is a parameter.
    return sql.replace("%", "%%").replace("?", "%s")


SQLITE = Dialect()
POSTGRES = PostgresDialect()
