"""Commands per second through CaseTracker, beside bare save() and raw SQLite.

Three paths, each in a fresh SQLite file with the same durability settings
(WAL journal, synchronous as eventsourcing leaves it), one transaction per
command, interleaved within every repeat so machine noise hits all alike:

* application: submit, accept, refer and respond to N cases through commands;
* bare save(): the same events, built beforehand, saved with CaseTracker.save();
* raw SQLite: one row of a typical event's size per BEGIN/COMMIT.

Run from the project root:  PYTHONPATH=. python benchmarks/bench_commands.py
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from importlib.metadata import version
from pathlib import Path
from typing import Any
from uuid import uuid4

from eventsourcing.domain import Aggregate
from eventsourcing.sqlite import SQLiteRecorder

from domain.case import Case
from domain.case_register import CaseRegister
from domain.deadlines import due_date
from tracker.application import CaseTracker
from tracker.config import Settings

TODAY = date(2026, 1, 1)
MUNICIPALITY = "STR"
RAISED_ON = date(2025, 3, 3)
SENT_ON = date(2025, 3, 28)
RECEIVED_ON = date(2025, 4, 10)
REQUEST_KIND = "public_documents"
# Accept is not one of the named commands, but refer needs an accepted case;
# it is timed and counted, so every path is measured per transaction.
COMMANDS = ("submit", "accept", "refer", "respond")
TARGET_RATIO = 0.8
RESULTS = Path(__file__).parent / "results" / "commands.json"

# One command's events and the aggregates save() sees them with (for snapshots).
Step = tuple[list[Any], tuple[Aggregate, ...]]


@dataclass(frozen=True)
class Measurement:
    """One path's median timing over the repeats."""

    path: str
    transactions: int
    seconds: list[float]

    @property
    def median(self) -> float:
        """The median elapsed seconds."""
        return statistics.median(self.seconds)

    @property
    def per_second(self) -> float:
        """Transactions (commands) per second at the median."""
        return self.transactions / self.median


def open_tracker(home: Path) -> CaseTracker:
    """A CaseTracker on a new SQLite file in `home`, as the application makes it."""
    home.mkdir(parents=True, exist_ok=True)
    env = Settings.from_environment({"TRACKER_HOME": str(home)}).eventsourcing_env()
    return CaseTracker(env, clock=lambda: TODAY)


def run_application(tracker: CaseTracker, cases: int) -> float:
    """Seconds to run the four commands for each of `cases` cases."""
    started = time.perf_counter()
    for number in range(cases):
        submitted = tracker.submit_case(
            actor="secretary",
            municipality=MUNICIPALITY,
            title=f"River pollution {number}",
            description="The river below the village is polluted by a quarry.",
            category="environment",
            communities=["serb", "albanian"],
            raised_on=RAISED_ON,
        )
        tracker.accept_case(submitted.case_id, actor="advocate", priority="high")
        referral = tracker.refer_case(
            submitted.case_id,
            actor="advocate",
            institution_kind="mayor",
            institution_name="Mayor of Štrpce",
            request_kind=REQUEST_KIND,
            sent_on=SENT_ON,
        )
        tracker.record_response(
            submitted.case_id,
            referral.referral_id,
            actor="advocate",
            received_on=RECEIVED_ON,
            kind="commitment",
            summary="The mayor will order the quarry to stop.",
        )
    return time.perf_counter() - started


def build_steps(tracker: CaseTracker, cases: int) -> list[Step]:
    """The events each command would write, built in memory with the domain."""
    register = CaseRegister(municipality=MUNICIPALITY, year=RAISED_ON.year)
    due_on = due_date(tracker.deadline_rules[REQUEST_KIND], SENT_ON, tracker.holidays)
    steps: list[Step] = []
    for number in range(cases):
        case_id = uuid4()
        case = Case.submit(
            case_id=case_id,
            actor="secretary",
            reference=register.number(case_id),
            municipality_code=MUNICIPALITY,
            title=f"River pollution {number}",
            description="The river below the village is polluted by a quarry.",
            category="environment",
            communities=["serb", "albanian"],
            raised_on=RAISED_ON,
            language="sq",
        )
        # Register first, then case: the order submit_case saves them in.
        steps.append((register.collect_events() + case.collect_events(), (register, case)))
        case.accept(actor="advocate", priority="high")
        steps.append((case.collect_events(), (case,)))
        referral_id = uuid4()
        case.refer(
            actor="advocate",
            referral_id=referral_id,
            institution_kind="mayor",
            institution_name="Mayor of Štrpce",
            request_kind=REQUEST_KIND,
            sent_on=SENT_ON,
            due_on=due_on,
        )
        steps.append((case.collect_events(), (case,)))
        case.record_response(
            actor="advocate",
            response_id=uuid4(),
            referral_id=referral_id,
            received_on=RECEIVED_ON,
            kind="commitment",
            summary="The mayor will order the quarry to stop.",
        )
        steps.append((case.collect_events(), (case,)))
    return steps


def run_bare_save(tracker: CaseTracker, steps: Sequence[Step]) -> float:
    """Seconds to save prebuilt events, one save() (transaction) per command."""
    started = time.perf_counter()
    for events, aggregates in steps:
        # The aggregates carry no pending events; save() only looks up their
        # types, so register snapshots are taken just as the commands take them.
        tracker.save(*events, *aggregates)
    return time.perf_counter() - started


def mean_event_bytes(tracker: CaseTracker, steps: Sequence[Step]) -> int:
    """The mean length of the stored state of the events in `steps`."""
    sizes = [
        len(tracker.mapper.to_stored_event(event).state)
        for events, _ in steps
        for event in events
    ]
    return round(statistics.mean(sizes))


def run_raw_sqlite(path: Path, transactions: int, payload_bytes: int) -> float:
    """Seconds to insert one stored_events-shaped row per BEGIN/COMMIT."""
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute(
        "CREATE TABLE stored_events (originator_id TEXT, originator_version "
        "INTEGER, topic TEXT, state BLOB, "
        "PRIMARY KEY (originator_id, originator_version))"
    )
    topic = "domain.case:Case.Referred"
    rows = [
        (uuid4().hex, version, topic, bytes(payload_bytes))
        for _ in range(transactions // len(COMMANDS) + 1)
        for version in range(1, len(COMMANDS) + 1)
    ][:transactions]
    started = time.perf_counter()
    for row in rows:
        connection.execute("BEGIN")
        connection.execute("INSERT INTO stored_events VALUES (?,?,?,?)", row)
        connection.execute("COMMIT")
    elapsed = time.perf_counter() - started
    connection.close()
    return elapsed


def durability(tracker: CaseTracker) -> dict[str, str]:
    """The journal mode and synchronous level of the tracker's own connection."""
    recorder = tracker.recorder
    assert isinstance(recorder, SQLiteRecorder)
    with recorder.datastore.transaction(commit=False) as cursor:
        cursor.execute("PRAGMA journal_mode")
        journal = str(cursor.fetchone()[0])
        cursor.execute("PRAGMA synchronous")
        synchronous = {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}[cursor.fetchone()[0]]
    return {"journal_mode": journal, "synchronous": synchronous}


def one_repeat(
    cases: int, scratch: Path | None, order: Sequence[str]
) -> tuple[dict[str, float], dict[str, Any]]:
    """Time each path once, in `order`, each in a fresh SQLite file."""
    seconds: dict[str, float] = {}
    facts: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(dir=scratch) as tmp:
        application = open_tracker(Path(tmp, "application"))
        bare = open_tracker(Path(tmp, "bare"))
        steps = build_steps(bare, cases)
        facts = {"payload_bytes": mean_event_bytes(bare, steps), **durability(bare)}
        runs: dict[str, Callable[[], float]] = {
            "application": lambda: run_application(application, cases),
            "bare save()": lambda: run_bare_save(bare, steps),
            "raw SQLite": lambda: run_raw_sqlite(
                Path(tmp, "raw.sqlite3"), len(steps), facts["payload_bytes"]
            ),
        }
        for path in order:
            seconds[path] = runs[path]()
        application.close()
        bare.close()
    return seconds, facts


def report(measurements: dict[str, Measurement], cases: int) -> bool:
    """Print the table; return whether the application meets the target."""
    bare = measurements["bare save()"].per_second
    raw = measurements["raw SQLite"].per_second
    print(f"{cases} cases x {len(COMMANDS)} commands ({', '.join(COMMANDS)})")
    print(f"{'path':<13}{'transactions':>13}{'seconds':>10}{'per s':>10}"
          f"{'/ bare':>9}{'/ raw':>8}")
    for m in measurements.values():
        print(f"{m.path:<13}{m.transactions:>13}{m.median:>10.3f}"
              f"{m.per_second:>10.0f}{m.per_second / bare:>9.2f}"
              f"{m.per_second / raw:>8.2f}")
    passed = measurements["application"].per_second >= TARGET_RATIO * bare
    verdict = "PASS" if passed else "FAIL"
    print(f"{verdict}: application >= {TARGET_RATIO} x bare save()")
    return passed


def main() -> None:
    """Run the three paths, print the table and write the JSON figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--tmpdir", type=Path, help="where the SQLite files go")
    args = parser.parse_args()
    paths = ["application", "bare save()", "raw SQLite"]
    timings: dict[str, list[float]] = {path: [] for path in paths}
    facts: dict[str, Any] = {}
    for repeat in range(args.repeat):
        order = paths[repeat % 3 :] + paths[: repeat % 3]
        seconds, facts = one_repeat(args.cases, args.tmpdir, order)
        for path, elapsed in seconds.items():
            timings[path].append(elapsed)
    transactions = args.cases * len(COMMANDS)
    measurements = {p: Measurement(p, transactions, timings[p]) for p in paths}
    passed = report(measurements, args.cases)
    print(f"durability: {facts}")
    write_json(measurements, facts, args.cases, passed)


def write_json(
    measurements: dict[str, Measurement], facts: dict[str, Any], cases: int, ok: bool
) -> None:
    """Write the figures to benchmarks/results/commands.json."""
    bare = measurements["bare save()"].per_second
    raw = measurements["raw SQLite"].per_second
    figures = {
        "cases": cases,
        "commands": COMMANDS,
        **facts,
        "python": sys.version.split()[0],
        "eventsourcing": version("eventsourcing"),
        "sqlite": sqlite3.sqlite_version,
        "target": f"application >= {TARGET_RATIO} x bare save()",
        "pass": ok,
        "paths": {
            m.path: {
                "transactions": m.transactions,
                "seconds_median": m.median,
                "seconds_each_repeat": m.seconds,
                "per_second": m.per_second,
                "ratio_to_bare_save": m.per_second / bare,
                "ratio_to_raw_sqlite": m.per_second / raw,
            }
            for m in measurements.values()
        },
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(figures, indent=2) + "\n")
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
