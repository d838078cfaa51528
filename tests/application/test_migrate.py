"""`tracker migrate --to postgresql://…`: the demo's SQLite store on PostgreSQL.

The same events in the same order, the snapshots with them, the personal
data still readable with the keys that stay in TRACKER_HOME, and views built
on PostgreSQL that give the same case list and report as SQLite's.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from projections.accountability import read_report
from projections.case_queries import CaseFilter, CaseRow, find_cases
from projections.periods import Period
from projections.views import Views, open_views
from tests.application.backups import environment, run, tracker_on
from tests.conftest import TODAY, Demo
from tests.postgres import needs_postgres
from tests.stores import Store, create_database, database_url, drop_database
from tracker.cli_backup import migrate
from tracker.config import Settings
from tracker.store_files import as_stored, bare_store, every_event, tally_postgres

pytestmark = [
    needs_postgres,
    pytest.mark.sqlite_only("migrate copies a SQLite store to PostgreSQL"),
]
NAME = "Arben Migruar-Unik 6620"
TITLE = "Wells dry in Laplje Selo"


@pytest.fixture
def target() -> Iterator[str]:
    """An empty PostgreSQL database to migrate into, dropped after."""
    name = create_database()
    yield database_url(name)
    drop_database(name)


@pytest.fixture
def source(demo_store: Demo, store: Store, tmp_path: Path) -> Settings:
    """The demo on SQLite, and a long case of a named person (snapshotted)."""
    settings = demo_store.copy(store, tmp_path / "home")
    tracker = tracker_on(settings)
    case_id = tracker.submit_case(
        actor="secretary", municipality="GRA", title=TITLE,
        description="Three wells are dry since August.", category="public_services",
        communities=["serb", "roma"], raised_on=date(2025, 9, 1),
        submitter={"name": NAME},
    ).case_id  # fmt: skip
    for number in range(30):
        tracker.add_note(case_id, actor="secretary", text=f"Visit {number}")
    tracker.close()
    return settings


def stored(settings: Settings) -> list[tuple[str, int, str, bytes]]:
    """The store's events in order: whose, which version, kind, state."""
    store = bare_store(settings)
    try:
        return [as_stored(event) for event in every_event(store.recorder)]
    finally:
        store.close()


def every_case(views: Views) -> list[CaseRow]:
    """The views' whole case list, newest raised first."""
    rows: list[CaseRow] = []
    with views.reading() as c:
        page, pages = 1, 1
        while page <= pages:
            found = find_cases(c, CaseFilter(), today=TODAY, page=page, per_page=200)
            rows += found.rows
            page, pages = page + 1, found.pages
    return rows


def what_the_views_say(settings: Settings) -> tuple[object, ...]:
    """The case list, and the 2025 report for all and for one municipality."""
    tracker = tracker_on(settings)
    views = open_views(tracker, settings)
    year = Period.year(2025, today=TODAY)
    try:
        return (
            every_case(views),
            read_report(views, year),
            read_report(views, year, municipality="GRA"),
        )
    finally:
        views.close()
        tracker.close()


def test_the_migrated_store_has_the_same_events_in_order_and_the_same_views(
    source: Settings, target: str
) -> None:
    on_sqlite = what_the_views_say(source)
    code, output = run(migrate, "--to", target, **environment(source))
    assert code == 0, output
    on_postgres = replace(source, database_url=target)

    events = stored(source)
    assert stored(on_postgres) == events
    with closing(sqlite3.connect(source.sqlite_path)) as c:
        snapshots = c.execute("SELECT COUNT(*) FROM stored_snapshots").fetchone()[0]
    assert snapshots > 0
    assert tally_postgres(target).snapshots == snapshots
    assert f"Copied {len(events):,} events and {snapshots:,} snapshots" in output
    tracker = tracker_on(on_postgres)
    [named] = [c for c in map(tracker.case, tracker.case_ids()) if c.title == TITLE]
    assert named.submitter.name == NAME  # type: ignore[union-attr]
    assert len(named.notes) == 30
    tracker.close()
    assert what_the_views_say(on_postgres) == on_sqlite


def test_a_database_that_holds_events_is_not_migrated_into(
    source: Settings, target: str
) -> None:
    assert run(migrate, "--to", target, **environment(source))[0] == 0
    copied = tally_postgres(target)
    code, output = run(migrate, "--to", target, **environment(source))
    assert code == 1
    assert "holds events already" in output
    assert tally_postgres(target) == copied


def test_migrate_reads_the_sqlite_store_only(source: Settings, target: str) -> None:
    on_postgres = environment(replace(source, database_url=target))
    code, output = run(migrate, "--to", target, **on_postgres)
    assert code == 1
    assert "unset TRACKER_DB" in output
    code, output = run(migrate, "--to", "mysql://db/cases", **environment(source))
    assert code == 1
    assert "postgresql://" in output
