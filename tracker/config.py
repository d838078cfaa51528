"""Configuration from the environment: where the store is, and its rules.

``TRACKER_HOME`` (default ``./instance``) holds the SQLite file, uploads and
keys. ``TRACKER_DB`` unset means SQLite in ``TRACKER_HOME``; a
``postgresql://user:password@host:port/dbname`` URL means PostgreSQL.
``TRACKER_DEADLINE_RULES`` overrides deadline rules (see domain.deadlines).
``TRACKER_SESSION_IDLE_MINUTES`` (30) and ``TRACKER_SESSION_MAX_HOURS`` (12)
end a signed-in session unused that long, or that long after sign-in.
``TRACKER_PROJECTION_BATCH`` is how many events the views apply per
transaction (default 1000). ``TRACKER_KEYS`` is the file of the personal-data
keys (default ``TRACKER_HOME/keys/personal-keys.sqlite3``): keep it apart
from the event store and its backups. ``TRACKER_STORE_KEY`` (optional, 32
bytes in base64) encrypts every stored event and snapshot at rest.
"""

from __future__ import annotations

import os
from base64 import b64decode
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from domain.errors import InvalidValue

SQLITE_FILENAME = "tracker.sqlite3"
SECOND_FACTOR_KEY_FILENAME = "keys/second-factor.key"
KEYS_FILENAME = "keys/personal-keys.sqlite3"
STORE_KEY_BYTES = 32
# Seconds a writer waits for another process's write lock before giving up.
SQLITE_LOCK_TIMEOUT_SECONDS = 30
PROJECTION_BATCH = 1000
# The PostgreSQL advisory lock a process holds while it makes the tables
# (any number, the same in every process).
TABLES_LOCK = 8_203_104
# A signed-in session ends after this long unused, and this long after sign-in.
SESSION_IDLE_MINUTES = 30
SESSION_MAX_HOURS = 12


@dataclass(frozen=True)
class Settings:
    """Everything the tracker reads from its environment."""

    home: Path
    database_url: str | None
    deadline_rules: str
    projection_batch: int = PROJECTION_BATCH
    keys_path: Path | None = None
    store_key: str | None = None
    session_idle_minutes: int = SESSION_IDLE_MINUTES
    session_max_hours: int = SESSION_MAX_HOURS

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
            keys_path=_path(environ.get("TRACKER_KEYS")),
            store_key=_store_key(environ.get("TRACKER_STORE_KEY")),
            session_idle_minutes=_positive_int(
                environ.get("TRACKER_SESSION_IDLE_MINUTES"),
                "TRACKER_SESSION_IDLE_MINUTES",
                SESSION_IDLE_MINUTES,
            ),
            session_max_hours=_positive_int(
                environ.get("TRACKER_SESSION_MAX_HOURS"),
                "TRACKER_SESSION_MAX_HOURS",
                SESSION_MAX_HOURS,
            ),
        )

    @property
    def personal_keys_path(self) -> Path:
        """The file of the personal-data keys (apart from the events)."""
        return self.keys_path or self.home / KEYS_FILENAME

    @property
    def second_factor_key_path(self) -> Path:
        """The key sealing second-factor secrets (apart from the events)."""
        return self.home / SECOND_FACTOR_KEY_FILENAME

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
            env = postgres_env(self.database_url)
        else:
            env = {
                "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                "SQLITE_DBNAME": str(self.sqlite_path),
                "SQLITE_LOCK_TIMEOUT": str(SQLITE_LOCK_TIMEOUT_SECONDS),
            }
        if self.store_key:
            env["CIPHER_TOPIC"] = "eventsourcing.cryptography:AESCipher"
            env["CIPHER_KEY"] = self.store_key
        return env


def _path(text: str | None) -> Path | None:
    return Path(text).resolve() if text else None


def _store_key(text: str | None) -> str | None:
    if not text:
        return None
    try:
        key = b64decode(text.strip(), validate=True)
    except ValueError:
        key = b""
    if len(key) != STORE_KEY_BYTES:
        raise InvalidValue(
            f"TRACKER_STORE_KEY must be {STORE_KEY_BYTES} random bytes in base64 "
            "(make one with: openssl rand -base64 32)",
            field="TRACKER_STORE_KEY",
        )
    return text.strip()


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
        # An unreachable server is reported in seconds, not after minutes of
        # the library's retries (longer than gunicorn lets a request take).
        "POSTGRES_CONNECT_TIMEOUT": "2",
    }
