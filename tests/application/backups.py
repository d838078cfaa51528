"""What the backup tests share: backing up and restoring as an operator does.

`tracker backup` and `tracker restore` run through click with the variables
an operator sets; a store is compared event for event as it is stored; a
writer in a process of its own keeps recording cases while a backup is taken,
publishing how far its acknowledged writes have gone. The fixture `new_store`
(another home to restore into) serves the test modules that import it.
"""

from __future__ import annotations

import json
import multiprocessing
import sqlite3
import time
from collections.abc import Callable
from contextlib import closing
from multiprocessing.sharedctypes import Synchronized
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

from projections.case_queries import CaseFilter, find_cases
from projections.views import open_views
from tests.application.builders import submit
from tests.conftest import FAST_HASHER, TODAY
from tests.stores import Store, database_url
from tracker.application import CaseTracker, open_tracker
from tracker.cli_backup import backup
from tracker.config import Settings
from tracker.store_files import bare_store, every_event

Stored = tuple[int, str, int, str, bytes]


def run(command: click.Command, *args: object, **env: object) -> tuple[int, str]:
    """Run a tracker command as an operator would; its exit code and output."""
    result = CliRunner().invoke(
        command, [str(a) for a in args], env={k: str(v) for k, v in env.items()}
    )
    return result.exit_code, result.output


def environment(settings: Settings) -> dict[str, str]:
    """The variables an operator sets for these settings."""
    env = {"TRACKER_HOME": str(settings.home)}
    if settings.database_url:
        env["TRACKER_DB"] = settings.database_url
    if settings.keys_path:
        env["TRACKER_KEYS"] = str(settings.keys_path)
    return env


def tracker_on(settings: Settings) -> CaseTracker:
    """A tracker on the store of these settings, whose 'today' is TODAY."""
    return open_tracker(settings, clock=lambda: TODAY, password_hasher=FAST_HASHER)


def stored_events(settings: Settings) -> list[Stored]:
    """Every event of the store, in order, as it is stored."""
    store = bare_store(settings)
    try:
        return [
            (e.id, str(e.originator_id), e.originator_version, e.topic, e.state)
            for e in every_event(store.recorder)
        ]
    finally:
        store.close()


def manifest_of(folder: Path) -> dict[str, Any]:
    """A backup's manifest, as written."""
    manifest: dict[str, Any] = json.loads((folder / "manifest.json").read_text())
    return manifest


def assert_intact(folder: Path, store: str) -> None:
    """The store's copy in a backup passes its database's own check."""
    if store == "sqlite":
        with closing(sqlite3.connect(folder / "tracker.sqlite3")) as copy:
            assert copy.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    else:
        assert (folder / "tracker.pgdump").read_bytes().startswith(b"PGDMP")


def backed_up(
    settings: Settings, folder: Path, write: Callable[[CaseTracker], object] = submit
) -> None:
    """Record something in a store, then back it up into `folder`."""
    tracker = tracker_on(settings)
    write(tracker)
    tracker.close()
    code, output = run(backup, folder, **environment(settings))
    assert code == 0, output


def keep_writing(
    env: dict[str, str], acknowledged: Synchronized[int], stop: Any
) -> None:
    """In a process of its own: submit, accept and annotate cases until stopped,
    publishing the position of every acknowledged write."""
    tracker = open_tracker(
        Settings.from_environment(env), clock=lambda: TODAY, password_hasher=FAST_HASHER
    )

    def acknowledge() -> None:
        acknowledged.value = tracker.recorder.max_notification_id() or 0

    while not stop.is_set():
        case_id = submit(tracker).case_id
        acknowledge()
        tracker.accept_case(case_id, actor="advocate")
        acknowledge()
        tracker.add_note(case_id, actor="secretary", text="Visited the river bank")
        acknowledge()
    tracker.close()


def wait_until(done: Callable[[], bool], seconds: float = 60) -> None:
    """Poll until `done`, failing after `seconds`."""
    deadline = time.monotonic() + seconds
    while not done():
        assert time.monotonic() < deadline, "the writer did not get that far"
        time.sleep(0.01)


def backed_up_while_writing(settings: Settings, folder: Path) -> tuple[int, str]:
    """Back up while another process writes; what was acknowledged before."""
    open_tracker(settings).close()
    context = multiprocessing.get_context("spawn")
    acknowledged = context.Value("q", 0)
    stop = context.Event()
    writer = context.Process(
        target=keep_writing, args=(environment(settings), acknowledged, stop)
    )
    writer.start()
    try:
        wait_until(lambda: acknowledged.value >= 60)
        before = acknowledged.value
        code, output = run(backup, folder, **environment(settings))
        after = acknowledged.value
        wait_until(lambda: acknowledged.value > after)  # it wrote on afterwards
    finally:
        stop.set()
        writer.join(60)
    assert code == 0, output
    return before, output


def listed_references(tracker: CaseTracker, settings: Settings) -> set[str]:
    """The references the views list (all of them, page by page)."""
    views = open_views(tracker, settings)
    references: set[str] = set()
    with views.reading() as c:
        page, pages = 1, 1
        while page <= pages:
            found = find_cases(c, CaseFilter(), today=TODAY, page=page, per_page=200)
            references |= {row.reference for row in found.rows}
            page, pages = page + 1, found.pages
    views.close()
    return references


@pytest.fixture
def new_store(store: Store, tmp_path: Path) -> Callable[[str], Settings]:
    """Another home (and on PostgreSQL another database) to restore into."""

    def new(name: str) -> Settings:
        env = {"TRACKER_HOME": str(tmp_path / name)}
        if store.kind == "postgresql":
            env["TRACKER_DB"] = database_url(store.new_database())
        return Settings.from_environment(env)

    return new
