"""The store is locked or unreachable for a while (issue 9): requests fail
cleanly, and the same app serves them again once it is back.

SQLite: another process holds an exclusive lock on the events file (and,
in `make faults`, on the views file). PostgreSQL: the app and the
projection worker reach the server through a relay that is cut (every
connection closed, new ones refused) and later put back on the same port.

While the store is away, the requests a forum's people send (web pages,
web forms, API reads and writes; one after the other on SQLite, as one
web process serves them, and at once on PostgreSQL, as several do) are
all answered: served when they need nothing the outage took, else refused
cleanly — 503 with the reason (API), the failure page or the form as
typed with a message in the reader's language (web) — never a 500, and
nothing of a refused change is stored. Once the store is back, the same
requests succeed, the projection worker (`tracker projections run`,
started before) is still running and catches up, all without restarting
anything.

Requests wait for a locked SQLite file as long as its busy timeout, and the
`eventsourcing` library tries an unreachable PostgreSQL 10 times, each
waiting up to its pool timeout: both are set short here (1 s) with the
library's own settings, ``TRACKER_SQLITE_LOCK_TIMEOUT`` and
``TRACKER_POSTGRES_CONNECT_TIMEOUT``. Each run prints ``OUTAGE store=…
cycles=… requests=… server_errors=0 max_fail_seconds=…``.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from flask import Flask

from projections.views import VIEWS_FILENAME
from tests.application.builders import submit
from tests.faults.outages import (
    API_READS,
    API_WRITES,
    FROM_VIEWS,
    RECOVERY_SECONDS,
    WAIT,
    WEB_FORMS,
    WEB_PAGES,
    Served,
    Tally,
    forum_on,
    not_served,
    refused_unclean,
    send_at_once,
    send_in_turn,
    served,
)
from tests.faults.scale import rounds
from tests.postgres import URL, needs_postgres
from tests.stores import Store, create_database, database_url, drop_database
from tests.web.store_outage import Relay
from tracker.config import SQLITE_FILENAME

pytestmark = pytest.mark.faults

CYCLES = rounds(1, 3)


# -- SQLite: another process holds the lock ------------------------------------

HOLDER = """
import sqlite3, sys
held = [sqlite3.connect(p, isolation_level=None, timeout=30) for p in sys.argv[1:]]
for connection in held:
    connection.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
sys.stdin.readline()
"""


@contextmanager
def locked_by_another_process(*files: Path) -> Iterator[None]:
    """Another process holds an exclusive lock on each file until the block ends."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, *map(str, files)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert holder.stdout is not None
    assert holder.stdin is not None
    assert holder.stdout.readline().strip() == "locked"
    try:
        yield
    finally:
        holder.stdin.close()  # it exits, and its locks go with it
        holder.wait(timeout=30)


def test_a_locked_sqlite_store_refuses_cleanly_and_serves_again_once_released(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRACKER_SQLITE_LOCK_TIMEOUT", WAIT)
    settings = Store("sqlite").settings(tmp_path / "home")
    tally = Tally()
    requests = {**WEB_PAGES, **WEB_FORMS, **API_READS, **API_WRITES}
    with served(settings, {"TRACKER_SQLITE_LOCK_TIMEOUT": WAIT}) as on:
        forum = forum_on(on.app)
        for cycle in range(CYCLES):
            # The events file; in every other cycle, the views file instead.
            events_locked = cycle % 2 == 0
            locked = SQLITE_FILENAME if events_locked else VIEWS_FILENAME
            send_in_turn(forum, API_READS, "before")  # the views caught up
            before = on.head()
            with locked_by_another_process(settings.home / locked):
                if not events_locked:
                    submit(on.other)  # the views have something to catch up
                answers = send_in_turn(forum, requests, f"locked {cycle}")
            tally.add(answers)
            assert refused_unclean(on.app, answers) == []
            if events_locked:  # reads go on (WAL); every write is refused
                assert set(not_served(answers)) == {*WEB_FORMS, *API_WRITES}
                assert on.head() == before  # and nothing of them kept
            else:  # writes go on; what the views must catch up for cannot
                assert set(not_served(answers)) == FROM_VIEWS
            again = send_in_turn(forum, requests, f"released {cycle}")
            tally.add(again)
            assert not_served(again) == []
            assert on.worker.running(), on.worker.log.read_text()
            submit(on.other)
            assert on.worker.catches_up(on.views), on.worker.log.read_text()
    assert tally.server_errors == 0
    print(tally.line("sqlite", CYCLES))


# -- PostgreSQL: the server goes away -------------------------------------------


class Outage(Relay):
    """A relay to PostgreSQL that can be cut, then put back on the same port."""

    def restore(self) -> None:
        """Accept connections again, on the port the app knows."""
        self.listener = socket.create_server(("127.0.0.1", self.port))
        with self.lock:
            self.open.clear()
        threading.Thread(target=self._accept, daemon=True).start()


@contextmanager
def served_through_outage(home: Path) -> Iterator[tuple[Served, Outage]]:
    """The app and worker on a database of their own, through a relay; the
    other tracker and the views straight to it."""
    database = create_database()
    direct = database_url(database)
    parts = urlsplit(direct)
    outage = Outage((parts.hostname or "127.0.0.1", parts.port or 5432))
    user = urlsplit(URL).netloc.rpartition("@")[0]
    netloc = f"{user}@127.0.0.1:{outage.port}" if user else f"127.0.0.1:{outage.port}"
    relayed = urlunsplit(parts._replace(netloc=netloc))
    environ = {"TRACKER_DB": relayed, "TRACKER_POSTGRES_CONNECT_TIMEOUT": WAIT}
    try:
        with served(Store("sqlite").settings(home, TRACKER_DB=direct), environ) as on:
            yield on, outage
    finally:
        drop_database(database)


def healthy_again(app: Flask) -> bool:
    """Whether /healthz says the store is back, asked until it does."""
    deadline = time.monotonic() + RECOVERY_SECONDS
    while time.monotonic() < deadline:
        if app.test_client().get("/healthz").status_code == 200:
            return True
        time.sleep(0.5)
    return False


@pytest.mark.slow
@needs_postgres
def test_an_unreachable_postgresql_refuses_cleanly_and_serves_again_once_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRACKER_POSTGRES_CONNECT_TIMEOUT", WAIT)
    tally = Tally()
    requests = {**API_READS, **API_WRITES}
    with served_through_outage(tmp_path / "home") as (on, outage):
        forum = forum_on(on.app)
        for cycle in range(CYCLES):
            before = on.head()
            outage.cut()
            answers = send_at_once(forum, requests, f"unreachable {cycle}")
            tally.add(answers)
            assert refused_unclean(on.app, answers) == []
            assert set(not_served(answers)) == set(requests)
            assert on.head() == before  # nothing refused was kept
            submit(on.other)  # recorded while the worker cannot see it
            assert on.worker.running(), on.worker.log.read_text()
            outage.restore()
            assert healthy_again(on.app)
            again = send_at_once(forum, requests, f"back {cycle}")
            tally.add(again)
            assert not_served(again) == []
            submit(on.other)
            assert on.worker.catches_up(on.views), on.worker.log.read_text()
    assert tally.server_errors == 0
    print(tally.line("postgresql", CYCLES))


@pytest.mark.slow
@needs_postgres
def test_web_pages_and_forms_while_postgresql_is_unreachable_are_refused_cleanly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRACKER_POSTGRES_CONNECT_TIMEOUT", WAIT)
    requests = {**WEB_PAGES, **WEB_FORMS}
    with served_through_outage(tmp_path / "home") as (on, outage):
        forum = forum_on(on.app)
        outage.cut()
        answers = send_at_once(forum, requests, "unreachable")
        assert refused_unclean(on.app, answers, signed_in_known=False) == []
        outage.restore()
        assert healthy_again(on.app)
        assert not_served(send_at_once(forum, requests, "back")) == []
