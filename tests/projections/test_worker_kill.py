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

from projections.views import VIEWS_FILENAME, Views
from tests.application.builders import event_count
from tests.projections.tables import dump
from tracker.application import CaseTracker

KILLS = 5
# Small batches, so that a worker has many transactions to be killed between.
BATCH = "100"


def start_worker(home: Path) -> subprocess.Popen[bytes]:
    """`tracker projections run` in its own process, as an operator starts it."""
    return subprocess.Popen(
        [sys.executable, "-m", "tracker", "projections", "run", "--poll", "0.1"],
        env={
            **os.environ,
            "TRACKER_HOME": str(home),
            "TRACKER_PROJECTION_BATCH": BATCH,
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def positions(path: Path) -> list[int]:
    """Every view's position, read straight from the views file."""
    if not path.exists():
        return []
    with sqlite3.connect(path) as connection:
        try:
            rows = connection.execute(
                "SELECT notification_id FROM tracking "
                "WHERE application_name != '__migration__'"
            ).fetchall()
        except sqlite3.OperationalError:  # the worker has not made its tables yet
            return []
        return [row[0] for row in rows]


def wait_until_it_moves(
    path: Path, before: int, worker: subprocess.Popen[bytes]
) -> None:
    """Wait until the worker has committed a batch (or has ended)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and worker.poll() is None:
        if min(positions(path), default=0) > before:
            return
        time.sleep(0.01)


@pytest.mark.slow
def test_a_worker_killed_mid_batch_resumes_to_the_clean_rebuild(
    demo_tracker: CaseTracker, tmp_path: Path
) -> None:
    home = Path(demo_tracker.env["SQLITE_DBNAME"]).parent
    views_file = home / VIEWS_FILENAME
    head = event_count(demo_tracker)
    rng = random.Random(20261121)
    caught_midway = 0
    for _ in range(KILLS):
        before = min(positions(views_file), default=0)
        worker = start_worker(home)
        wait_until_it_moves(views_file, before, worker)
        time.sleep(rng.uniform(0.0, 0.15))
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
        at = positions(views_file)
        caught_midway += any(0 < p < head for p in at)
        if all(p == head for p in at):
            break
    print(f"{KILLS} kills, {caught_midway} while views were part-way")

    resumed = Views(demo_tracker, views_file)
    resumed.catch_up()
    clean = Views(demo_tracker, tmp_path / "clean.sqlite3")
    clean.catch_up()

    with sqlite3.connect(views_file) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert caught_midway >= 1, "no kill landed while the worker was catching up"
    assert dump(views_file) == dump(clean.path)
