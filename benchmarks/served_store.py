"""The store `bench_web` serves: views caught up, an administrator, references.

Whatever the store (new, or kept with --store and used before), before
anything is served its views are brought up to the last event, so no
request pays for catching up, and it holds the administrator the requests
are made as, with a second factor whose secret the benchmark knows.
`web_costs` reads the same store the same way.

`bench_serving` serves fresh, empty stores instead, each made as its users
make one (`tracker init`, `tracker users create`, `tracker users token`), on
SQLite or in a throw-away PostgreSQL database, and reads how far their views
lag behind the events from /healthz while they are loaded.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import secrets
import socket
import subprocess  # nosec B404
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
from psycopg import sql

from benchmarks.bench_commands import TODAY, tracker_in
from benchmarks.gunicorn_process import SECOND_FACTOR, cpu_seconds
from benchmarks.web_load import Load
from domain.reference import MUNICIPALITIES_BY_CODE
from projections.case_queries import CaseFilter, find_cases
from projections.views import open_views
from tracker.accounts import AccountNotFound
from tracker.application import CaseTracker
from tracker.config import Settings
from tracker.second_factor import SecondFactorKey

SEED = 1
USERNAME, PASSWORD = "benchmark", "load from seven forums at once"
# Where throw-away databases are made (from the `test` database), and who
# submits cases through the API in a fresh store: a secretary of Graçanicë.
POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"
SECRETARY, MUNICIPALITY = "bench-secretary", "GRA"
CASES = "/api/v1/cases"
NEW_CASE = {
    "municipality": MUNICIPALITY,
    "title": "Polluted river in Llapllasellë",
    "description": "Waste is dumped into the river by the bridge.",
    "category": "environment",
    "communities": ["albanian", "serb"],
    "raised_on": "2026-01-05",
}


def prepared_site(home: Path, sample: int) -> tuple[int, list[str]]:
    """Views caught up and the benchmark's account made; cases, some references."""
    tracker = tracker_in(home)
    add_account(tracker)
    settings = Settings.from_environment({"TRACKER_HOME": str(home)})
    add_second_factor(tracker, settings)
    views = open_views(tracker, settings)
    started = time.perf_counter()
    for status in views.status():
        if status.position == 0:  # a new views file is filled faster by rebuilding
            print(f"rebuilding view {status.name} ...", flush=True)
            views.rebuild(status.name)
    views.catch_up()
    print(f"views caught up in {time.perf_counter() - started:.0f} s (not timed)")
    with views.datastore.transaction(commit=False) as c:
        cases = find_cases(c, CaseFilter(), today=TODAY, per_page=1).total
        # A sample of pages, not a secret.
        rng = random.Random(SEED)  # nosec B311
        references = [
            row.reference
            for page in rng.sample(range(1, cases // 20 + 1), max(1, sample // 20))
            for row in find_cases(
                c, CaseFilter(), today=TODAY, page=page, per_page=20
            ).rows
        ]
    views.close()
    tracker.close()
    return cases, references


def add_account(tracker: CaseTracker) -> None:
    """The administrator the requests are made as, unless the store has it."""
    try:
        tracker.account(USERNAME)
    except AccountNotFound:
        tracker.create_account(
            actor="bench_web", username=USERNAME, password=PASSWORD, role="admin"
        )


def add_second_factor(tracker: CaseTracker, settings: Settings) -> None:
    """The administrator's second factor, a secret the benchmark knows, if none yet."""
    account = tracker.account(USERNAME)
    if not account.second_factor:
        key = SecondFactorKey(settings.second_factor_key_path)
        sealed = key.seal(SECOND_FACTOR, account.account_id)
        tracker.enrol_second_factor(
            account.account_id, actor="bench_web", sealed_secret=sealed
        )


# -- fresh stores, as bench_serving serves them --------------------------------


def postgres_unreachable(url: str = POSTGRES) -> str | None:
    """Why the PostgreSQL server of `url` cannot be used, or None if it answers."""
    where = urlsplit(url)
    try:
        socket.create_connection((where.hostname, where.port or 5432), 3).close()
    except OSError as error:
        return f"{where.hostname}:{where.port or 5432} is unreachable ({error})"
    return None


@contextmanager
def throwaway_database(prefix: str, url: str = POSTGRES) -> Iterator[str]:
    """A new, empty PostgreSQL database, dropped afterwards; its URL."""
    name = f"{prefix}_{secrets.token_hex(4)}"
    with psycopg.connect(url, autocommit=True) as server:
        server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield urlsplit(url)._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(url, autocommit=True) as server:
            server.execute(
                sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name))
            )


def database_processes(url: str) -> dict[int, float]:
    """The PostgreSQL server's processes serving the database of `url`: CPU seconds.

    Only the backends connected to it now (not the server's shared processes,
    which other databases' work uses too).
    """
    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(POSTGRES, autocommit=True) as server:
        asked = "SELECT pid FROM pg_stat_activity WHERE datname = %s"
        pids = [pid for (pid,) in server.execute(asked, (name,))]
    return {pid: cpu_seconds(pid) for pid in pids}


def tracker_command(env: dict[str, str], *arguments: str, typed: str = "") -> str:
    """Run `tracker ARGUMENTS` in `env`; what it printed on standard output."""
    finished = subprocess.run(  # nosec B603
        [sys.executable, "-m", "tracker", *arguments],
        env=env,
        input=typed,
        capture_output=True,
        text=True,
    )
    if finished.returncode != 0:
        sys.exit(f"tracker {' '.join(arguments)} failed:\n{finished.stderr}")
    return finished.stdout


def secretary_token(
    env: dict[str, str], municipalities: Sequence[str] = (MUNICIPALITY,)
) -> str:
    """Make a fresh store in `env` and a secretary in it; the secretary's API token."""
    tracker_command(env, "init")
    tracker_command(
        env,
        *("users", "create", SECRETARY, "--role", "secretary", "--password-stdin"),
        *(part for code in municipalities for part in ("--municipality", code)),
        typed=PASSWORD + "\n",
    )
    return tracker_command(env, "users", "token", SECRETARY, "--label", "bench").strip()


def forum_codes(count: int) -> list[str]:
    """The municipalities cases are submitted for: Graçanicë, then the others."""
    others = [code for code in MUNICIPALITIES_BY_CODE if code != MUNICIPALITY]
    return [MUNICIPALITY, *others][:count]


def case_submissions(
    port: int, token: str, codes: list[str], clients: int, seconds: float
) -> Load:
    """Clients submitting new cases through the API, client i for codes[i % len]."""
    headers = (
        ("Authorization", f"Bearer {token}"),
        ("Content-Type", "application/json"),
    )
    bodies = tuple(json.dumps(NEW_CASE | {"municipality": c}).encode() for c in codes)
    return Load(port, (CASES,), "", clients, seconds, "POST", bodies, headers)


# -- how far the served store's views lag, as /healthz tells -------------------

SAMPLE_SECONDS = 0.5  # between two readings of /healthz during a load
CATCH_UP_SECONDS, CATCH_UP_LIMIT = 0.05, 300.0  # between readings after it
# The clients' processes are forked while the sampler runs. A process forked
# while /healthz is being asked would hold that connection open after it is
# closed here, and gunicorn's sync worker, before it takes the next request,
# waits up to 2 s for the client to close: so no fork while asking.
_ASKING = threading.Lock()
os.register_at_fork(
    before=_ASKING.acquire,
    after_in_parent=_ASKING.release,
    after_in_child=_ASKING.release,
)


def standing(port: int) -> tuple[int, int]:
    """The head of the event log and the lag of the view furthest behind."""
    with _ASKING:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            connection.request("GET", "/healthz")
            answer = connection.getresponse()
            body = answer.read()
        finally:
            connection.close()
    if answer.status != 200:
        raise RuntimeError(f"/healthz answered {answer.status}: {body.decode()}")
    found = json.loads(body)
    return int(found["head"]), int(found["max_lag"])


class LagSampler(threading.Thread):
    """/healthz every SAMPLE_SECONDS until stopped: (seconds in, head, lag)."""

    def __init__(self, port: int) -> None:
        super().__init__(daemon=True)
        self.port = port
        self.samples: list[tuple[float, int, int]] = []
        self.finished = threading.Event()
        self.failure: Exception | None = None

    def run(self) -> None:
        """Sample on a fixed beat (a slow answer delays only the next)."""
        started = time.monotonic()
        while not self.finished.is_set():
            try:
                head, lag = standing(self.port)
            except (OSError, RuntimeError) as failure:
                self.failure = failure
                return
            self.samples.append((round(time.monotonic() - started, 3), head, lag))
            beat = len(self.samples) * SAMPLE_SECONDS
            self.finished.wait(max(0.0, started + beat - time.monotonic()))

    def stop(self) -> list[tuple[float, int, int]]:
        """Stop sampling; every sample taken (or why sampling failed)."""
        self.finished.set()
        self.join()
        if self.failure is not None:
            raise self.failure
        return self.samples


def caught_up(port: int, since: float) -> float | None:
    """Seconds from `since` (monotonic) until no view lags; None if not in time."""
    while time.monotonic() - since < CATCH_UP_LIMIT:
        if standing(port)[1] == 0:
            return time.monotonic() - since
        time.sleep(CATCH_UP_SECONDS)
    return None
