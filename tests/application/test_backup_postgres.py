"""What is particular to a PostgreSQL backup: what the dump leaves out.

The backup taken while another process writes, restored event for event, a
damaged dump, the refusals and the keys run on PostgreSQL with the other
tests of test_backup.py (every test there runs on both stores). These tests
use databases of their own on 127.0.0.1:5432, dropped after.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest

from projections.views import open_views
from tests.application.backups import (
    backed_up,
    environment,
    listed_references,
    run,
    stored_events,
    tracker_on,
)
from tests.application.builders import submit
from tests.postgres import needs_postgres
from tests.stores import Store, database_url
from tracker.cli_backup import backup, restore
from tracker.config import Settings
from tracker.session_store import PostgresSessionStore
from tracker.store_files import run_tool

pytestmark = needs_postgres


@pytest.fixture
def postgres_home(tmp_path: Path) -> Iterator[Callable[[str], Settings]]:
    """A home folder with a PostgreSQL database of its own, dropped after."""
    databases = Store("postgresql")

    def new(name: str) -> Settings:
        return Settings.from_environment(
            {
                "TRACKER_HOME": str(tmp_path / name),
                "TRACKER_DB": database_url(databases.new_database()),
            }
        )

    yield new
    databases.drop()


def dumped_tables(dump: Path) -> set[str]:
    """The tables a custom-format dump holds."""
    listed = subprocess.run(
        ["pg_restore", "--list", str(dump)], capture_output=True, text=True, check=True
    ).stdout
    return {
        line.split()[-2]
        for line in listed.splitlines()
        if not line.startswith(";") and " TABLE public " in line
    }


def test_the_dump_holds_the_events_and_snapshots_but_no_view_or_session(
    postgres_home: Callable[[str], Settings], tmp_path: Path
) -> None:
    settings = postgres_home("home")
    tracker = tracker_on(settings)
    references = {submit(tracker).reference for _ in range(3)}
    views = open_views(tracker, settings)
    views.catch_up()
    views.close()
    sessions = PostgresSessionStore(str(settings.database_url))
    sessions.close()
    tracker.close()

    assert run(backup, tmp_path / "backup", **environment(settings))[0] == 0
    dump = tmp_path / "backup" / "tracker.pgdump"
    assert dumped_tables(dump) == {"tracker_events", "tracker_snapshots"}

    # Replaced, the events come back; views are rebuilt, sessions untouched.
    tracker = tracker_on(settings)
    submit(tracker, municipality="GRA")
    tracker.close()
    code, output = run(
        restore, tmp_path / "backup", "--replace", **environment(settings)
    )
    assert code == 0, output
    tracker = tracker_on(settings)
    assert listed_references(tracker, settings) == references
    tracker.close()
    with psycopg.connect(str(settings.database_url)) as connection:
        kept = connection.execute("SELECT to_regclass('tracker_sessions')").fetchone()
    assert kept == ("tracker_sessions",)


def test_a_sqlite_backup_is_not_restored_into_postgresql(
    postgres_home: Callable[[str], Settings], tmp_path: Path
) -> None:
    on_sqlite = Settings.from_environment({"TRACKER_HOME": str(tmp_path / "lite")})
    backed_up(on_sqlite, tmp_path / "backup")
    settings = postgres_home("home")
    code, output = run(restore, tmp_path / "backup", **environment(settings))
    assert code == 1
    assert "then run tracker migrate" in output
    assert stored_events(settings) == []


def test_the_password_reaches_the_tools_in_their_environment_alone() -> None:
    url = "postgresql://forum:s%40cret@127.0.0.1:5432/cases"
    arguments = ["PGPASSWORD", "PGUSER", "PGDATABASE"]
    printed = run_tool("printenv", arguments, url).split()
    assert printed == ["s@cret", "forum", "cases"]
