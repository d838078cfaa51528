"""Web workers and the projection worker killed with SIGKILL under write load.

The compose file's processes serve the tracker (`served_tracker`) while
programs write through the API: new cases, each accepted, then notes and
advocacy actions on them (half of these steps with If-Match, the version
the last answer gave), every write under an Idempotency-Key of its own
that is also written into its text, so copies can be counted. A program
sends a write again, with the same key, after a dropped connection, a 5xx,
or a 409 saying the first attempt is still running, until it is answered
for good: made (2xx, or 409 "already carried out" when the answer of an
attempt that made it was lost). Meanwhile gunicorn workers and the
projection worker are killed at random moments, many times.

Afterwards every write is made and stored exactly once (none refused, none
given up on, none twice); every SQLite file passes `PRAGMA
integrity_check` (PostgreSQL: amcheck on every index and table), no
notification id is used twice and every record's versions are 1..n; the
views the worker kept equal views built again from the same events. Each
run prints its figures on a line beginning ``KILLS`` (RELIABILITY.md).
"""

from __future__ import annotations

import random
import re
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.persistence import Notification

from projections.postgres import PostgresViews
from projections.views import Views, open_views
from tests.faults.scale import rounds
from tests.faults.served_tracker import (
    KeyedClient,
    Killer,
    Served,
    Write,
    database_damage,
    served,
)
from tests.postgres import needs_postgres
from tests.projections.tables import dump
from tracker.application import CaseTracker, open_tracker
from tracker.config import Settings

pytestmark = [pytest.mark.faults, pytest.mark.slow]

KILLS = rounds(4, 60)
PROGRAMS = 4
# Seconds between two kills, at random within these bounds.
PAUSE = (0.2, 0.9)
# Of a program's writes, the share that logs a new case.
NEW_CASES = 0.25
# Of the steps on a case, the share sent with If-Match (when the version is known).
IF_MATCH = 0.5
TODAY = date.today()
MARKER = re.compile(r"\[(k\d+-\d+)\]")


def new_case(key: str) -> Write:
    """A case logged in Graçanicë, its key in its title."""
    return Write(key, "/api/v1/cases", {
        "municipality": "GRA", "title": f"Street lamps out by the school [{key}]",
        "description": "Raised by Albanian and Serb members of the forum.",
        "category": "infrastructure", "communities": ["albanian", "serb"],
        "raised_on": str(TODAY - timedelta(days=3)),
    })  # fmt: skip


def acceptance(key: str, case_id: str) -> Write:
    """The case accepted, so that advocacy can be recorded on it."""
    body = {"decision": "accept", "priority": "normal"}
    return Write(key, f"/api/v1/cases/{case_id}/triage", body, case_id)


def note(key: str, case_id: str) -> Write:
    """A note on the case, its key in its text."""
    body = {"text": f"Called the directorate again [{key}]"}
    return Write(key, f"/api/v1/cases/{case_id}/notes", body, case_id)


def action(key: str, case_id: str) -> Write:
    """A letter sent for the case, its key in its description."""
    body = {"kind": "letter", "taken_on": str(TODAY), "communities": ["serb"],
            "description": f"Letter to the mayor [{key}]"}  # fmt: skip
    return Write(key, f"/api/v1/cases/{case_id}/actions", body, case_id)


class Program(threading.Thread):
    """A program writing through the API until told to stop."""

    def __init__(self, number: int, url: str, token: str, seed: int) -> None:
        super().__init__(name=f"program-{number}", daemon=True)
        self.number, self.stop = number, threading.Event()
        self.client = KeyedClient(url, token, seed + number)
        self.rng = random.Random(seed + number)  # nosec B311
        self.writes: list[Write] = []
        self.accepted: list[str] = []
        # Each case's version, as the last answer on it gave it (None: not known).
        self.versions: dict[str, int | None] = {}
        self.failure: BaseException | None = None

    def key(self) -> str:
        """A key no other write of the run has."""
        return f"k{self.number}-{len(self.writes)}"

    def run(self) -> None:
        """Write, one write after the other, until stopped."""
        try:
            while not self.stop.is_set():
                self.write_next()
        except BaseException as error:
            self.failure = error

    def write_next(self) -> None:
        """A new case (then its acceptance), or a step on an accepted case."""
        if not self.accepted or self.rng.random() < NEW_CASES:
            case = self.sent(new_case(self.key()))
            if case.outcome == "acknowledged":
                case_id = str(case.answer["id"])
                if self.sent(acceptance(self.key(), case_id)).landed:
                    self.accepted.append(case_id)
            return
        step = self.rng.choice((note, action))
        self.sent(step(self.key(), self.rng.choice(self.accepted)))

    def sent(self, write: Write) -> Write:
        """Send one write, some with If-Match as known; keep it for the checks."""
        self.writes.append(write)
        if write.case_id and self.rng.random() < IF_MATCH:
            write.if_match = self.versions.get(write.case_id)
        self.client.send(write)
        case_id = write.case_id or write.answer.get("id")
        if case_id:
            self.versions[str(case_id)] = write.answer.get("version")
        return write


def loaded_with_kills(running: Served, seed: int) -> tuple[list[Write], Counter[str]]:
    """Programs write while processes are killed; every write, and the kills."""
    url = running.deployment.url
    programs = [Program(n, url, running.token, seed) for n in range(PROGRAMS)]
    killer = Killer(running.deployment, KILLS, PAUSE, seed)
    for thread in (*programs, killer):
        thread.start()
    killer.join()
    time.sleep(PAUSE[1])  # the last kill's retries, under load
    for program in programs:
        program.stop.set()
    for program in programs:
        program.join()
    failures = [p.failure for p in programs if p.failure] + [killer.failure]
    assert failures == [None], failures
    return [w for p in programs for w in p.writes], killer.done


def caught_up(running: Served) -> dict[str, Any]:
    """/healthz once the projection worker has applied every event."""
    deployment = running.deployment
    return deployment.wait_for(lambda: (h := deployment.health())["max_lag"] == 0 and h)


def read_back(
    tracker: CaseTracker, writes: list[Write], markers: dict[str, list[UUID]]
) -> list[str]:
    """What is wrong with the landed writes, read back through the application."""
    wrong = []
    histories: dict[str, list[str]] = {}
    for write in (w for w in writes if w.landed and MARKER.search(str(w.body))):
        stored_in = markers.get(write.key, [])
        if write.case_id is None:
            wrong += case_read_back(tracker, write, stored_in)
            continue
        if write.case_id not in histories:
            history = tracker.case_history(UUID(write.case_id))
            histories[write.case_id] = MARKER.findall(str(history))
        times = histories[write.case_id].count(write.key)
        if times != 1 or stored_in != [UUID(write.case_id)]:
            wrong.append(f"{write.key}: {times} in its case's history, in {stored_in}")
    return wrong


def case_read_back(
    tracker: CaseTracker, write: Write, stored_in: list[UUID]
) -> list[str]:
    """What is wrong with a landed new case: missing, or not the one answered."""
    if not stored_in:
        return [f"{write.key}: no case has it"]
    if write.outcome == "carried_out":  # its answer, with its id, was lost
        return []
    case = tracker.case(UUID(write.answer["id"]))
    if stored_in != [case.case_id] or case.reference != write.answer["reference"]:
        return [
            f"{write.key}: {case.reference} in {stored_in}, answered {write.answer}"
        ]
    return []


# -- the store afterwards ---------------------------------------------------------


def notifications(tracker: CaseTracker) -> Iterator[Notification]:
    """Every event in the log, in order."""
    start = 1
    while batch := tracker.recorder.select_notifications(start, 500):
        yield from batch
        start = batch[-1].id + 1


def stored_markers(tracker: CaseTracker) -> dict[str, list[UUID]]:
    """Each key written into a text → the records it is stored in, once per event."""
    found: dict[str, list[UUID]] = defaultdict(list)
    for notification in notifications(tracker):
        event = tracker.mapper.to_domain_event(notification)
        texts = " ".join(v for v in vars(event).values() if isinstance(v, str))
        for key in MARKER.findall(texts):
            found[key].append(event.originator_id)
    return found


def log_faults(tracker: CaseTracker) -> list[str]:
    """Notification ids used twice, and records whose versions are not 1..n."""
    ids: Counter[int] = Counter()
    versions: dict[UUID | str, list[int]] = defaultdict(list)
    for notification in notifications(tracker):
        ids[notification.id] += 1
        versions[notification.originator_id].append(notification.originator_version)
    twice = [f"notification {n} {c} times" for n, c in ids.items() if c > 1]
    gaps = [
        f"{record}: versions {sorted(found)}"
        for record, found in versions.items()
        if sorted(found) != list(range(1, len(found) + 1))
    ]
    return twice + gaps


def content(views: Views) -> dict[str, list[tuple[object, ...]]]:
    """The rows of the views' own tables (not what sits beside them in PostgreSQL)."""
    tables = {t for view in views.live.values() for t in view.table_statements()}
    return {t: rows for t, rows in dump(views).items() if t in tables}


def views_unlike_a_rebuild(
    tracker: CaseTracker, settings: Settings, where: Path
) -> list[str]:
    """The tables in which the served views differ from views built from scratch."""
    clean_database = (
        PostgresViews(settings.database_url, schema="clean_rebuild")
        if settings.database_url
        else where
    )
    served_views = open_views(tracker, settings)
    clean = Views(tracker, clean_database)
    try:
        clean.catch_up()
        kept, built = content(served_views), content(clean)
    finally:
        served_views.close()
        clean.close()
    assert built["cases"], "the rebuild holds no case"
    return sorted(t for t in built.keys() | kept.keys() if kept.get(t) != built.get(t))


def summary(kind: str, writes: list[Write], kills: Counter[str], copies: int) -> str:
    """The run's figures on one line."""
    outcomes = Counter(w.outcome for w in writes)
    failed = Counter(f.split(" ", 1)[0] for w in writes for f in w.failures)
    checked = sum(1 for w in writes if w.landed and MARKER.search(str(w.body)))
    return (
        f"KILLS store={kind} kills={kills.total()} web={kills['web']} "
        f"worker={kills['worker']} writes={len(writes)} "
        f"writes_acked={outcomes['acknowledged']} "
        f"replayed={sum(w.replayed for w in writes if w.landed)} "
        f"acked_by_retry={outcomes['carried_out']} writes_checked={checked} "
        f"retries={sum(w.attempts - 1 for w in writes)} "
        f"no_answer={failed['0']} busy_answers={sum(w.busy for w in writes)} "
        f"server_errors={sum(n for s, n in failed.items() if s.startswith('5'))} "
        f"gave_up={outcomes['gave_up']} refused={outcomes['refused']} "
        f"duplicates={copies}"
    )


@pytest.mark.parametrize(
    "kind", ["sqlite", pytest.param("postgresql", marks=needs_postgres)]
)
def test_killed_workers_lose_no_acknowledged_write_and_write_none_twice(
    kind: str, tmp_path: Path
) -> None:
    seed = random.SystemRandom().randrange(10**6)
    with served(kind, tmp_path / "served") as running:
        writes, kills = loaded_with_kills(running, seed)
        caught_up(running)
        assert running.deployment.stop() == {"web": 0, "worker": 0}
        settings = Settings.from_environment(running.deployment.services["web"][1])
        tracker = open_tracker(settings)
        try:
            markers = stored_markers(tracker)
            copies = sum(len(where) - 1 for where in markers.values())
            print(f"\n{summary(kind, writes, kills, copies)} seed={seed}")
            assert {k: len(at) for k, at in markers.items() if len(at) != 1} == {}
            assert read_back(tracker, writes, markers) == []
            lost = unsettled(writes)
            assert lost == [], "never said to be made:\n" + "\n".join(map(str, lost))
            assert log_faults(tracker) == []
            clean = tmp_path / "clean.sqlite3"
            assert views_unlike_a_rebuild(tracker, settings, clean) == []
        finally:
            tracker.close()
        assert database_damage(running) == []
    assert kills.total() == KILLS


def unsettled(writes: list[Write]) -> list[tuple[object, ...]]:
    """The writes the tracker never said it made, and their last answers."""
    return [
        (w.key, w.outcome, w.answer, w.failures[-2:]) for w in writes if not w.landed
    ]
