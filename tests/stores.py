"""The two stores every test of the store runs against: SQLite and PostgreSQL.

A test that asks (directly or through a fixture) for ``store`` runs once on
each: on a SQLite file in its own folder, and on a PostgreSQL database of
its own, created for it on the server at 127.0.0.1:5432 and dropped after.
Without that server the PostgreSQL runs are skipped, with the reason.
A test marked ``sqlite_only("why")`` runs on SQLite alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit
from uuid import uuid4

import psycopg
from psycopg import sql

from projections.postgres import PostgresViews
from projections.view import View
from projections.views import BATCH, Views
from tests.postgres import URL
from tracker.application import CaseTracker
from tracker.config import Settings

KINDS = ("sqlite", "postgresql")


def database_url(name: str) -> str:
    """The URL of a database on the test server."""
    parts = urlsplit(URL)
    return urlunsplit(parts._replace(path=f"/{name}"))


# Making and dropping databases waits for the whole server (DROP DATABASE for
# every backend to take note): a server that cannot is a failed test, not a
# run that never ends.
_SERVER_LIMITS = "-c statement_timeout=60000 -c lock_timeout=30000"


def _server() -> psycopg.Connection[tuple[object, ...]]:
    return psycopg.connect(
        URL, autocommit=True, connect_timeout=10, options=_SERVER_LIMITS
    )


def create_database(template: str | None = None) -> str:
    """A new, empty database (or a copy of `template`); its name."""
    name = f"tracker_test_{uuid4().hex[:16]}"
    statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
    if template is not None:
        statement += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
    with _server() as server:
        server.execute(statement)
    return name


def drop_database(name: str) -> None:
    """Drop a test database, whoever is still connected to it."""
    with _server() as server:
        server.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)
            )
        )


@dataclass
class Store:
    """Where one test keeps its events and views."""

    kind: str
    database: str | None = None
    _made: list[str] = field(default_factory=list)

    @property
    def url(self) -> str | None:
        """The PostgreSQL URL (None on SQLite); the database is made when asked."""
        if self.kind != "postgresql":
            return None
        if self.database is None:
            self.database = self.new_database()
        return database_url(self.database)

    def environ(self, home: Path) -> dict[str, str]:
        """The environment a tracker on this store is given."""
        found = {"TRACKER_HOME": str(home)}
        if self.url:
            found["TRACKER_DB"] = self.url
        return found

    def settings(self, home: Path, **more: str) -> Settings:
        """The settings of a tracker on this store."""
        return Settings.from_environment({**self.environ(home), **more})

    def copy_of(self, template: str | None) -> None:
        """Start from a copy of a prepared database (PostgreSQL only)."""
        if self.kind == "postgresql" and template is not None:
            self.database = self.new_database(template)

    def new_database(self, template: str | None = None) -> str:
        """Another database of this test's, dropped after it."""
        name = create_database(template)
        self._made.append(name)
        return name

    def views(
        self,
        tracker: CaseTracker,
        where: Path,
        kinds: Sequence[type[View]] | None = None,
        *,
        batch: int = BATCH,
    ) -> Views:
        """Views of their own: a SQLite file at `where`, or a schema named so."""
        url = self.url
        schema = where.stem.replace("-", "_")
        database = where if url is None else PostgresViews(url, schema=schema)
        return Views(tracker, database, kinds, batch=batch)

    def drop(self) -> None:
        """Drop every database this test made."""
        for name in self._made:
            drop_database(name)
        self._made.clear()
