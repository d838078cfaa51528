"""`tracker projections run`: its own process, woken by new events, stopped by TERM.

On PostgreSQL it listens to the event log (a subscription); on SQLite it
polls. With a poll of a whole minute, only the subscription can bring the
views up to date within seconds on PostgreSQL.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from projections.views import Views, open_views
from tests.application.builders import submit
from tests.stores import Store
from tracker.application import CaseTracker


def start_worker(store: Store, home: Path, poll: str) -> subprocess.Popen[str]:
    """The worker, as an operator starts it."""
    return subprocess.Popen(
        [sys.executable, "-m", "tracker", "projections", "run", "--poll", poll],
        env={**os.environ, **store.environ(home)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def caught_up_within(views: Views, seconds: float) -> float | None:
    """Seconds until every view has applied every event (None: not in time)."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if all(status.lag == 0 for status in views.status()):
            return time.monotonic() - started
        time.sleep(0.05)
    return None


@pytest.mark.slow
def test_the_worker_keeps_the_views_current_and_stops_when_told(
    store: Store, tracker: CaseTracker, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    watched = open_views(tracker, store.settings(home))
    # A minute's poll: on SQLite the worker still catches up at its start
    # and after each poll; a subscription wakes it at once.
    poll = "60" if store.kind == "postgresql" else "0.1"
    worker = start_worker(store, home, poll)
    try:
        assert caught_up_within(watched, 30) is not None
        time.sleep(1)  # the worker is now waiting for events
        for _ in range(3):
            submit(tracker)
        assert caught_up_within(watched, 10) is not None, "the worker slept on"
    finally:
        worker.send_signal(signal.SIGTERM)
        _, errors = worker.communicate(timeout=30)
    assert worker.returncode == 0, errors
    assert "Projection worker stopped." in errors
    watched.close()


def test_a_stop_asked_before_the_worker_runs_is_kept(
    store: Store, tracker: CaseTracker, tmp_path: Path
) -> None:
    # A TERM that lands between the handler being set and `run` starting.
    views = open_views(tracker, store.settings(tmp_path / "home"))
    views.stop_running()
    rescued = threading.Event()

    def way_out() -> None:
        """The test's own stop, if the first one was forgotten."""
        rescued.set()
        views.stop_running()

    stopper = threading.Timer(30, way_out)
    stopper.start()
    try:
        views.run(poll_seconds=0.1)
    finally:
        stopper.cancel()
        views.close()
    assert not rescued.is_set(), "the worker ran on after being stopped"
