"""A projection worker killed with SIGKILL mid-batch resumes to a clean rebuild."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from projections.views import VIEWS_FILENAME, Views, open_views
from tests.application.builders import event_count
from tests.projections.tables import dump
from tests.stores import Store
from tracker.application import CaseTracker

KILLS = 5
# Small batches, so that a worker has many transactions to be killed between.
BATCH = "100"


def start_worker(store: Store, home: Path) -> subprocess.Popen[bytes]:
    """`tracker projections run` in its own process, as an operator starts it."""
    return subprocess.Popen(
        [sys.executable, "-m", "tracker", "projections", "run", "--poll", "0.1"],
        env={**os.environ, **store.environ(home), "TRACKER_PROJECTION_BATCH": BATCH},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def positions(views: Views) -> list[int]:
    """Every view's position, as the worker left it."""
    return [status.position for status in views.status()]


def wait_until_it_moves(
    views: Views, before: int, worker: subprocess.Popen[bytes]
) -> None:
    """Wait until the worker has committed a batch (or has ended)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and worker.poll() is None:
        if min(positions(views), default=0) > before:
            return
        time.sleep(0.01)


@pytest.mark.slow
def test_a_worker_killed_mid_batch_resumes_to_the_clean_rebuild(
    store: Store, demo_tracker: CaseTracker, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    # The views the worker keeps: the ones the web app reads.
    watched = open_views(demo_tracker, store.settings(home))
    # The demo's views come built: empty them (indexes kept) and start them
    # again from the first event.
    with watched.writing() as c:
        for view in watched.live.values():
            for table in view.table_statements():
                c.execute(f"DELETE FROM {table}")
            c.execute(
                "UPDATE tracking SET notification_id = 0 WHERE application_name = ?",
                (view.tracking_name,),
            )
    head = event_count(demo_tracker)
    rng = random.Random(20261121)
    caught_midway = 0
    for _ in range(KILLS):
        before = min(positions(watched), default=0)
        worker = start_worker(store, home)
        wait_until_it_moves(watched, before, worker)
        time.sleep(rng.uniform(0.0, 0.15))
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
        at = positions(watched)
        caught_midway += any(0 < p < head for p in at)
        if all(p == head for p in at):
            break
    print(f"{KILLS} kills, {caught_midway} while views were part-way")

    watched.catch_up()
    clean = store.views(demo_tracker, tmp_path / "clean.sqlite3")
    clean.catch_up()

    if store.kind == "sqlite":
        with sqlite3.connect(home / VIEWS_FILENAME) as connection:
            assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert caught_midway >= 1, "no kill landed while the worker was catching up"
    assert dump(watched) == dump(clean)
