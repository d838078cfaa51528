"""The event store copied the way its database copies itself.

SQLite: `sqlite3.Connection.backup` copies the store in one read transaction,
so the copy is the store as it stood at one moment although other processes
keep writing (WAL lets them). The copy is switched to a rollback journal (one
self-contained file), checked with ``PRAGMA integrity_check`` and counted. It
is brought back by the same online backup run the other way: the live file
is overwritten in one transaction, so a failure leaves it as it was.

PostgreSQL: a repeatable-read transaction exports its snapshot, the events
are counted in it, and ``pg_dump --snapshot`` dumps that same moment. Only
the tables of events and snapshots are dumped: views are rebuilt, sessions
are not kept. ``pg_restore --single-transaction --clean`` brings them back
whole or not at all. The tools get the connection in ``PG*`` variables (the
password too), never on their command line.
"""

from __future__ import annotations

import os
import shutil
import sqlite3

# pg_dump and pg_restore, run without a shell.
import subprocess  # nosec B404
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eventsourcing.persistence import ApplicationRecorder, Notification, StoredEvent

from tracker.application import CaseTracker
from tracker.backup_folder import BackupDamaged, BackupRefused
from tracker.config import SQLITE_LOCK_TIMEOUT_SECONDS, Settings, postgres_env
from tracker.errors import StoreUnavailable
from tracker.personal_keys import PersonalKeys
from tracker.store import unavailable_store_reported

if TYPE_CHECKING:  # psycopg is only needed (and imported) for PostgreSQL
    import psycopg

    Connection = psycopg.Connection[tuple[Any, ...]]

SQLITE_COPY = "tracker.sqlite3"
POSTGRES_DUMP = "tracker.pgdump"
# The tables eventsourcing keeps events and snapshots in: ``stored_*`` on
# SQLite, ``<application name>_*`` on PostgreSQL (in its default schema).
SQLITE_TABLES = ("stored_events", "stored_snapshots")
POSTGRES_TABLES = (f"{CaseTracker.name}_events", f"{CaseTracker.name}_snapshots")
POSTGRES_SCHEMA = "public"
# Events read at a time when the whole log is read.
PAGE = 500


@dataclass(frozen=True)
class Tally:
    """How many events and snapshots a store holds, and its newest position."""

    events: int
    last_notification_id: int
    snapshots: int


def store_kind(settings: Settings) -> str:
    """Which database holds the events: "sqlite" or "postgresql"."""
    return "postgresql" if settings.database_url else "sqlite"


def store_file(settings: Settings) -> str:
    """The name of the store's copy in a backup folder."""
    return POSTGRES_DUMP if settings.database_url else SQLITE_COPY


def bare_store(
    settings: Settings, *, sqlite_file: Path | None = None, keys: Path | None = None
) -> CaseTracker:
    """The tracker's store, to count, copy and read events (keys only if given)."""
    env = settings.eventsourcing_env()
    if sqlite_file is not None:
        env["SQLITE_DBNAME"] = str(sqlite_file)
    settings.home.mkdir(parents=True, exist_ok=True)
    if settings.database_url:
        with _connected(settings.database_url):
            pass  # unreachable: said at once, not after the pool's wait
    with unavailable_store_reported():
        return CaseTracker(env, personal_keys=PersonalKeys(keys) if keys else None)


def every_event(recorder: ApplicationRecorder) -> Iterator[Notification]:
    """The store's events in the order they were recorded."""
    for page in every_page(recorder):
        yield from page


def every_page(recorder: ApplicationRecorder) -> Iterator[Sequence[Notification]]:
    """The store's events in the order they were recorded, a page at a time."""
    after = 0
    while True:
        with unavailable_store_reported():
            page = recorder.select_notifications(after + 1, PAGE)
        if page:
            yield page
        if len(page) < PAGE:
            return
        after = page[-1].id


def as_stored(event: StoredEvent) -> tuple[str, int, str, bytes]:
    """What an event is, wherever it is stored: whose, which version, kind, state."""
    return (
        str(event.originator_id),
        event.originator_version,
        event.topic,
        event.state,
    )


# -- SQLite --------------------------------------------------------------------


def copy_sqlite(store: Path, copy: Path) -> Tally:
    """An online backup of the store into `copy`, checked and counted."""
    online_copy(store, copy)
    return checked_sqlite(copy)


def online_copy(database: Path, copy: Path) -> None:
    """Copy a SQLite database while others write to it, into one file."""
    with (
        closing(
            sqlite3.connect(database, timeout=SQLITE_LOCK_TIMEOUT_SECONDS)
        ) as source,
        closing(sqlite3.connect(copy)) as target,
    ):
        source.backup(target)
        target.execute("PRAGMA journal_mode = DELETE")


def require_intact(copy: Path) -> None:
    """Refuse a SQLite file that fails ``PRAGMA integrity_check``."""
    try:
        with closing(read_only(copy)) as c:
            problems = [str(row[0]) for row in c.execute("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as error:
        problems = [str(error)]
    if problems != ["ok"]:
        raise BackupDamaged(f"{copy} fails SQLite's integrity check: {problems[0]}")


def checked_sqlite(copy: Path) -> Tally:
    """Count the events of a SQLite copy that passes its integrity check."""
    require_intact(copy)
    events, snapshots = SQLITE_TABLES
    try:
        with closing(read_only(copy)) as c:
            count, last = c.execute(
                f"SELECT COUNT(*), COALESCE(MAX(rowid), 0) FROM {events}"  # noqa: S608  # nosec B608
            ).fetchone()
            kept = c.execute(f"SELECT COUNT(*) FROM {snapshots}").fetchone()[0]  # noqa: S608  # nosec B608
    except sqlite3.DatabaseError as error:
        raise BackupDamaged(f"{copy} holds no event store: {error}") from None
    return Tally(int(count), int(last), int(kept))


def sqlite_into_place(copy: Path, store: Path) -> None:
    """Overwrite the store with a copy, in one transaction (online backup)."""
    store.parent.mkdir(parents=True, exist_ok=True)
    with (
        closing(sqlite3.connect(copy)) as source,
        closing(sqlite3.connect(store, timeout=SQLITE_LOCK_TIMEOUT_SECONDS)) as target,
    ):
        source.backup(target)


def read_only(path: Path) -> sqlite3.Connection:
    """A connection that reads a SQLite file and writes nothing beside it."""
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


# -- PostgreSQL ----------------------------------------------------------------


def dump_postgres(url: str, dump: Path) -> Tally:
    """A ``pg_dump`` of the events and snapshots as they stood at one moment."""
    import psycopg

    with _connected(url) as connection:
        connection.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        connection.read_only = True
        with connection.transaction():
            row = connection.execute("SELECT pg_export_snapshot()").fetchone()
            assert row is not None  # nosec B101
            tally = _tally(connection)
            tables = [f"--table={POSTGRES_SCHEMA}.{table}" for table in POSTGRES_TABLES]
            run_tool(
                "pg_dump",
                ["--format=custom", f"--snapshot={row[0]}", *tables, f"--file={dump}"],
                url,
            )
    return tally


def check_dump(dump: Path, url: str) -> None:
    """Refuse a dump ``pg_restore`` cannot read."""
    try:
        run_tool("pg_restore", ["--list", str(dump)], url)
    except BackupRefused as error:
        raise BackupDamaged(f"{dump} cannot be read: {error.message}") from None


def restore_postgres(dump: Path, url: str) -> None:
    """Replace the events and snapshots by the dump's, in one transaction."""
    database = postgres_env(url)["POSTGRES_DBNAME"]
    run_tool(
        "pg_restore",
        [
            "--single-transaction", "--clean", "--if-exists", "--no-owner",
            "--no-acl", f"--dbname={database}", str(dump),
        ],
        url,
    )  # fmt: skip


def tally_postgres(url: str) -> Tally:
    """How many events and snapshots the PostgreSQL store holds."""
    with _connected(url) as connection:
        return _tally(connection)


def _tally(connection: Connection) -> Tally:
    from psycopg import sql

    events, snapshots = (sql.Identifier(POSTGRES_SCHEMA, t) for t in POSTGRES_TABLES)
    counted = connection.execute(
        sql.SQL(
            "SELECT COUNT(*), COALESCE(MAX(notification_id), 0), "
            "(SELECT COUNT(*) FROM {}) FROM {}"
        ).format(snapshots, events)
    ).fetchone()
    assert counted is not None  # nosec B101  # an aggregate gives one row
    events_count, last, kept = counted
    return Tally(int(events_count), int(last), int(kept))


@contextmanager
def _connected(url: str) -> Iterator[Connection]:
    import psycopg

    env = postgres_env(url)
    try:
        connection = psycopg.connect(
            host=env["POSTGRES_HOST"], port=env["POSTGRES_PORT"],
            user=env["POSTGRES_USER"], password=env["POSTGRES_PASSWORD"] or None,
            dbname=env["POSTGRES_DBNAME"], connect_timeout=10,
        )  # fmt: skip
    except psycopg.OperationalError as error:
        raise StoreUnavailable(f"cannot reach PostgreSQL: {error}") from None
    with connection:
        yield connection


def run_tool(tool: str, arguments: list[str], url: str) -> str:
    """Run a PostgreSQL client program on the database of `url`; its output."""
    program = shutil.which(tool)
    if program is None:
        raise BackupRefused(
            f"{tool} is not installed: a PostgreSQL store needs PostgreSQL's "
            "client programs (pg_dump, pg_restore)"
        )
    env = postgres_env(url)
    environ = os.environ | {
        "PGHOST": env["POSTGRES_HOST"],
        "PGPORT": env["POSTGRES_PORT"],
        "PGUSER": env["POSTGRES_USER"],
        "PGDATABASE": env["POSTGRES_DBNAME"],
    }
    if env["POSTGRES_PASSWORD"]:
        environ["PGPASSWORD"] = env["POSTGRES_PASSWORD"]
    # A program found on PATH, arguments of our own making, no shell.
    done = subprocess.run(  # noqa: S603  # nosec B603
        [program, *arguments], env=environ, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        said = done.stderr.strip().splitlines() or [f"exit status {done.returncode}"]
        errors = [line for line in said if "error:" in line] or said
        raise BackupRefused(f"{tool} failed: {errors[0]}")
    return done.stdout
