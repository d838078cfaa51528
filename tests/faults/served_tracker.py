"""The tracker served as docker-compose.yml runs it, and killed with SIGKILL.

`served` starts `tracker init`, the gunicorn web (`tracker serve --workers
2`) and the projection worker (`tracker projections run`) with the compose
file's commands and settings (tests/deployment/processes.py), on the
default SQLite store or in a throwaway PostgreSQL database, and makes an
advocate with an API token as `tracker users` makes them.

The `Killer` sends SIGKILL, at random moments, to a gunicorn worker (the
master starts another) or to the projection worker (started again at
once, as compose's restart policy does). A `KeyedClient` sends each write
with its own Idempotency-Key and sends the same request again, with the
same key, until the tracker answers it for good.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import signal
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import psycopg

from benchmarks.gunicorn_process import children
from tests.deployment.processes import Deployment, deploy, throwaway_database
from tracker.application import open_tracker
from tracker.config import Settings

ADVOCATE = "advocate"
# Who makes the account, as `tracker users` names someone at the command line.
OPERATOR = "cli:operator"
# Seconds one request may take before the client gives it up and retries.
REQUEST_SECONDS = 30
# Seconds one write is retried for before the client gives up on it.
PATIENCE_SECONDS = 30
# A 409 that says the lost first attempt was carried out (web.api.idempotency).
CARRIED_OUT = "already carried out"
# Answers after which the same request is sent again: the write was not
# made, or may have been (no answer, a 5xx), or its first attempt is still
# running, or a save at the same moment made it stale (409s saying so).
RETRIED_STATUSES = frozenset({0, 500, 502, 503, 504})
RETRIED_CONFLICTS = ("is running", "try again")


@dataclass
class Served:
    """The compose file's processes, running, and an advocate's API token."""

    deployment: Deployment
    database_url: str | None
    token: str


@contextmanager
def served(kind: str, root: Path) -> Iterator[Served]:
    """The tracker served on a store of `kind`, with an advocate to write as."""
    if kind == "sqlite":
        with deploy(root, database_url=None) as deployment:
            yield with_advocate(deployment, None)
        return
    with throwaway_database() as url, deploy(root, url) as deployment:
        yield with_advocate(deployment, url)


def with_advocate(deployment: Deployment, url: str | None) -> Served:
    """Make the advocate and its token as `tracker users create` and `token` do.

    In this process, with the web's settings: two commands fewer to start.
    """
    tracker = open_tracker(Settings.from_environment(deployment.services["web"][1]))
    try:
        tracker.create_account(
            actor=OPERATOR, username=ADVOCATE, password=deployment.password,
            role="advocate",
        )  # fmt: skip
        issued = tracker.issue_token(ADVOCATE, actor=OPERATOR, label="kills")
    finally:
        tracker.close()
    return Served(deployment, url, issued.token)


# -- killing --------------------------------------------------------------------


def web_workers(deployment: Deployment) -> list[int]:
    """The gunicorn workers: the children of the web's master process."""
    return children(deployment.processes["web"].pid)


def kill_web_worker(deployment: Deployment, rng: random.Random) -> bool:
    """SIGKILL one gunicorn worker, chosen at random; whether there was one."""
    assert deployment.processes["web"].poll() is None, "gunicorn's master stopped"
    workers = web_workers(deployment)
    if not workers:
        return False
    try:
        os.kill(rng.choice(workers), signal.SIGKILL)
    except ProcessLookupError:
        return False
    return True


def kill_projection_worker(deployment: Deployment) -> None:
    """SIGKILL the projection worker, then start it again as compose would."""
    worker = deployment.processes["worker"]
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=10)
    deployment.start("worker")


def wait_for_web_workers(deployment: Deployment, count: int = 2) -> None:
    """Wait (a while at most) until the master has as many workers as it should."""
    deadline = time.monotonic() + 20
    while len(web_workers(deployment)) < count and time.monotonic() < deadline:
        time.sleep(0.05)


class Killer(threading.Thread):
    """SIGKILLs `kills` processes at random moments, then stops."""

    def __init__(
        self, deployment: Deployment, kills: int, pause: tuple[float, float], seed: int
    ) -> None:
        super().__init__(name="killer", daemon=True)
        self.deployment, self.pause = deployment, pause
        self.rng = random.Random(seed)  # nosec B311 - a test's moments, not secrets
        # A third of the kills at least take the projection worker.
        worker_kills = max(1, kills // 3)
        self.plan = ["worker"] * worker_kills + ["web"] * (kills - worker_kills)
        self.rng.shuffle(self.plan)
        self.done: Counter[str] = Counter()
        self.failure: BaseException | None = None

    def run(self) -> None:
        """Kill, one planned process after the other."""
        try:
            for target in self.plan:
                wait_for_web_workers(self.deployment)
                time.sleep(self.rng.uniform(*self.pause))
                if target == "worker":
                    kill_projection_worker(self.deployment)
                    self.done["worker"] += 1
                else:
                    while not kill_web_worker(self.deployment, self.rng):
                        wait_for_web_workers(self.deployment)
                    self.done["web"] += 1
        except BaseException as error:
            self.failure = error


# -- keyed writes ----------------------------------------------------------------


@dataclass
class Write:
    """One logical write: a request, its key, and how sending it went."""

    key: str
    path: str
    body: dict[str, Any]
    case_id: str | None = None  # the case a step is taken on
    if_match: int | None = None  # the case's version the step expects
    outcome: str = ""  # acknowledged, carried_out, refused or gave_up
    answer: dict[str, Any] = field(default_factory=dict)
    attempts: int = 0
    busy: int = 0  # answers "the first request with this key is running"
    replayed: bool = False  # the last answer was the kept answer of an earlier try
    failures: list[str] = field(default_factory=list)

    @property
    def landed(self) -> bool:
        """Whether the tracker said it made the write (now or on an earlier try)."""
        return self.outcome in ("acknowledged", "carried_out")


class KeyedClient:
    """A program writing through the API, retrying each write under its own key."""

    def __init__(self, url: str, token: str, seed: int) -> None:
        where = urlsplit(url)
        self.host, self.port = where.hostname or "127.0.0.1", where.port or 80
        self.headers = {
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
        }
        self.rng = random.Random(seed)  # nosec B311 - backoff jitter

    def send(self, write: Write) -> Write:
        """Send the write until it is answered for good, or patience runs out."""
        body = json.dumps(write.body).encode()
        headers = {**self.headers, "Idempotency-Key": write.key}
        if write.if_match is not None:
            headers["If-Match"] = f'"{write.if_match}"'
        deadline = time.monotonic() + PATIENCE_SECONDS
        pause = 0.05
        while True:
            write.attempts += 1
            status, answer = self._post(write, body, headers)
            if self._settled(write, status, answer):
                return write
            if time.monotonic() + pause > deadline:
                write.outcome = "gave_up"
                return write
            time.sleep(pause * self.rng.uniform(0.5, 1.5))
            pause = min(pause * 2, 0.5)

    def _post(
        self, write: Write, body: bytes, headers: dict[str, str]
    ) -> tuple[int, dict[str, Any] | str]:
        """One attempt: the status and JSON answer, or 0 and why it failed."""
        connection = http.client.HTTPConnection(
            self.host, self.port, timeout=REQUEST_SECONDS
        )
        try:
            connection.request("POST", write.path, body, headers)
            response = connection.getresponse()
            text = response.read()
            write.replayed = response.getheader("Idempotent-Replayed") == "true"
        except (OSError, http.client.HTTPException) as error:
            return 0, f"{type(error).__name__}: {error}"
        finally:
            connection.close()
        try:
            return response.status, json.loads(text)
        except ValueError:
            return response.status, text.decode(errors="replace")[:200]

    @staticmethod
    def _settled(write: Write, status: int, answer: dict[str, Any] | str) -> bool:
        """Record a final answer on the write; False when it must be sent again."""
        reasons = [
            str(error.get("reason", ""))
            for error in (
                answer.get("errors") or [] if isinstance(answer, dict) else []
            )
        ]
        if 200 <= status < 300 and isinstance(answer, dict):
            write.outcome, write.answer = "acknowledged", answer
            return True
        if status == 409 and any(r.startswith(CARRIED_OUT) for r in reasons):
            write.outcome = "carried_out"
            return True
        write.busy += status == 409 and any("is running" in r for r in reasons)
        conflict = any(part in r for r in reasons for part in RETRIED_CONFLICTS)
        if status in RETRIED_STATUSES or (status == 409 and conflict):
            write.failures.append(f"{status} {answer}"[:300])
            return False
        write.outcome, write.answer = "refused", {"status": status, "answer": answer}
        return True


# -- the database's own checks ------------------------------------------------------

SQLITE_HEADER = b"SQLite format 3\x00"
# The SQLite files of a served store, each checked after the kills.
SQLITE_FILES = {"tracker.sqlite3", "views.sqlite3", "idempotency.sqlite3"}
# What amcheck reads: every btree index and every table, outside the catalogs.
AMCHECKED = """
    SELECT c.oid, n.nspname || '.' || c.relname, c.relkind
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_am a ON a.oid = c.relam
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
      AND n.nspname NOT LIKE 'pg_toast%'
      AND ((c.relkind = 'i' AND a.amname = 'btree') OR c.relkind IN ('r', 'm'))
"""


def sqlite_integrity(root: Path) -> dict[str, str]:
    """Every SQLite file under `root` → what PRAGMA integrity_check says of it."""
    checked = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        with path.open("rb") as file:
            if file.read(16) != SQLITE_HEADER:
                continue
        with closing(sqlite3.connect(path)) as database:
            rows = database.execute("PRAGMA integrity_check").fetchall()
        checked[path.name] = "; ".join(str(row[0]) for row in rows)
    return checked


def postgres_integrity(url: str) -> tuple[int, list[str]]:
    """amcheck over the database's btree indexes and tables: how many, what broke."""
    problems = []
    with psycopg.connect(url, autocommit=True) as database:
        database.execute("CREATE EXTENSION IF NOT EXISTS amcheck")
        relations = database.execute(AMCHECKED).fetchall()
        for oid, name, kind in relations:
            try:
                if kind == "i":
                    database.execute("SELECT bt_index_check(%s, true)", (oid,))
                else:
                    found = database.execute(
                        "SELECT blkno, msg FROM verify_heapam(%s)", (oid,)
                    ).fetchall()
                    problems += [f"{name} block {b}: {m}" for b, m in found]
            except psycopg.Error as error:
                problems.append(f"{name}: {error}")
    return len(relations), problems


def database_damage(running: Served) -> list[str]:
    """What the database's own checks find wrong (SQLite, or PostgreSQL's amcheck)."""
    if running.database_url is None:
        checked = sqlite_integrity(running.deployment.root)
        assert checked.keys() >= SQLITE_FILES, checked
        return [f"{name}: {said}" for name, said in checked.items() if said != "ok"]
    relations, problems = postgres_integrity(running.database_url)
    assert relations > 0, "amcheck found nothing to check"
    return problems
