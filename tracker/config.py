"""Configuration from the environment: where the store is, and its rules.

``TRACKER_HOME`` (default ``./instance``) holds the SQLite file, uploads and
keys. ``TRACKER_DB`` unset means SQLite in ``TRACKER_HOME``; a
``postgresql://user:password@host:port/dbname`` URL means PostgreSQL.
``TRACKER_DEADLINE_RULES`` overrides deadline rules (see domain.deadlines).
``TRACKER_PROJECTION_BATCH`` is how many events the views apply per
transaction (default 1000).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from domain.errors import InvalidValue

SQLITE_FILENAME = "tracker.sqlite3"
# Seconds a writer waits for another process's write lock before giving up.
SQLITE_LOCK_TIMEOUT_SECONDS = 30
PROJECTION_BATCH = 1000


@dataclass(frozen=True)
class Settings:
    """Everything the tracker reads from its environment."""

    home: Path
    database_url: str | None
    deadline_rules: str
    projection_batch: int = PROJECTION_BATCH

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read the settings, with defaults that need nothing set."""
        environ = os.environ if environ is None else environ
        return cls(
            home=Path(environ.get("TRACKER_HOME") or "instance").resolve(),
            database_url=environ.get("TRACKER_DB") or None,
            deadline_rules=environ.get("TRACKER_DEADLINE_RULES", ""),
            projection_batch=_positive_int(
                environ.get("TRACKER_PROJECTION_BATCH"),
                "TRACKER_PROJECTION_BATCH",
                PROJECTION_BATCH,
            ),
        )

    @property
    def sqlite_path(self) -> Path:
        """The SQLite event store file, when SQLite is used."""
        return self.home / SQLITE_FILENAME

    @property
    def store_description(self) -> str:
        """Where events are kept, for people to read (no password)."""
        if self.database_url:
            parts = urlsplit(self.database_url)
            return f"PostgreSQL {parts.hostname}:{parts.port or 5432}{parts.path}"
        return f"SQLite {self.sqlite_path}"

    def eventsourcing_env(self) -> dict[str, str]:
        """The `eventsourcing` persistence settings these settings stand for."""
        if self.database_url:
            return postgres_env(self.database_url)
        return {
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "SQLITE_DBNAME": str(self.sqlite_path),
            "SQLITE_LOCK_TIMEOUT": str(SQLITE_LOCK_TIMEOUT_SECONDS),
        }


def _positive_int(text: str | None, name: str, default: int) -> int:
    if not text:
        return default
    if not text.strip().isdigit() or int(text) < 1:
        raise InvalidValue(f"{name} must be a whole number above 0", field=name)
    return int(text)


def postgres_env(url: str) -> dict[str, str]:
    """Translate a postgresql:// URL into `eventsourcing` settings."""
    parts = urlsplit(url)
    if parts.scheme not in ("postgresql", "postgres") or not parts.path.strip("/"):
        raise InvalidValue(
            "TRACKER_DB must look like postgresql://user:password@host:5432/dbname",
            field="TRACKER_DB",
        )
    return {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": unquote(parts.path.strip("/")),
        "POSTGRES_HOST": parts.hostname or "127.0.0.1",
        "POSTGRES_PORT": str(parts.port or 5432),
        "POSTGRES_USER": unquote(parts.username or "postgres"),
        "POSTGRES_PASSWORD": unquote(parts.password or ""),
    }
