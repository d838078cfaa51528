"""Commands per second through CaseTracker, beside bare save() and raw SQLite.

Three paths, each in a fresh SQLite file with the same durability settings
(WAL journal, synchronous as eventsourcing leaves it), one transaction per
command, interleaved within every repeat so machine noise hits all alike:

* application: submit, accept, refer and respond to N cases through commands;
* bare save(): the same events, built beforehand, saved with CaseTracker.save();
* raw SQLite: one row of a typical event's size per BEGIN/COMMIT.

Run from the project root:  .venv/bin/python -m benchmarks.bench_commands
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import date
from importlib.metadata import version
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.domain import Aggregate, CanMutateAggregate
from eventsourcing.sqlite import SQLiteRecorder

from domain.case import Case
from domain.case_register import CaseRegister
from domain.deadlines import due_date
from tracker.application import CaseTracker, open_tracker
from tracker.config import Settings

TODAY = date(2026, 1, 1)
MUNICIPALITY = "STR"
RAISED_ON = date(2025, 3, 3)
REQUEST_KIND = "public_documents"
# What every benchmark case says; the commands and the domain take the same words.
CASE_TEXT: dict[str, Any] = {
    "actor": "secretary",
    "title": "River pollution",
    "description": "The river below the village is polluted by a quarry.",
    "category": "environment",
    "communities": ["serb", "albanian"],
    "raised_on": RAISED_ON,
}
REFERRAL: dict[str, Any] = {
    "actor": "advocate",
    "institution_kind": "mayor",
    "institution_name": "Mayor of Štrpce",
    "request_kind": REQUEST_KIND,
    "sent_on": date(2025, 3, 28),
}
RESPONSE: dict[str, Any] = {
    "actor": "advocate",
    "received_on": date(2025, 4, 10),
    "kind": "commitment",
    "summary": "The mayor will order the quarry to stop.",
}
# Accept is not one of the named commands, but refer needs an accepted case;
# it is timed and counted, so every path is measured per transaction.
COMMANDS = ("submit", "accept", "refer", "respond")
TARGET_RATIO = 0.8
# Cases each path runs before the next takes its turn.
BLOCK = 25
RESULTS = Path(__file__).parent / "results" / "commands.json"
SYNCHRONOUS = {"0": "OFF", "1": "NORMAL", "2": "FULL", "3": "EXTRA"}

# One command's events and the aggregates save() sees them with (for snapshots).
Step = tuple[Sequence[CanMutateAggregate[UUID]], tuple[Aggregate, ...]]


def tracker_in(home: Path) -> CaseTracker:
    """A CaseTracker on a new SQLite file in `home`, as the application opens it."""
    settings = Settings.from_environment({"TRACKER_HOME": str(home)})
    return open_tracker(settings, clock=lambda: TODAY)


def run_application(tracker: CaseTracker, cases: int) -> float:
    """Seconds to run the four commands for each of `cases` cases."""
    started = time.perf_counter()
    for _ in range(cases):
        case_id = tracker.submit_case(municipality=MUNICIPALITY, **CASE_TEXT).case_id
        tracker.accept_case(case_id, actor="advocate", priority="high")
        referral_id = tracker.refer_case(case_id, **REFERRAL).referral_id
        tracker.record_response(case_id, referral_id, **RESPONSE)
    return time.perf_counter() - started


def build_steps(tracker: CaseTracker, cases: int) -> list[Step]:
    """The events each command would write, built in memory with the domain."""
    register = CaseRegister(municipality=MUNICIPALITY, year=RAISED_ON.year)
    rule = tracker.deadline_rules[REQUEST_KIND]
    due_on = due_date(rule, REFERRAL["sent_on"], tracker.holidays)
    steps: list[Step] = []
    for _ in range(cases):
        case_id, referral_id = uuid4(), uuid4()
        case = Case.submit(
            case_id=case_id,
            reference=register.number(case_id),
            municipality_code=MUNICIPALITY,
            language="sq",
            **CASE_TEXT,
        )
        # Register first, then case: the order submit_case saves them in.
        submitted = [*register.collect_events(), *case.collect_events()]
        steps.append((submitted, (register, case)))
        case.accept(actor="advocate", priority="high")
        steps.append((case.collect_events(), (case,)))
        case.refer(referral_id=referral_id, due_on=due_on, **REFERRAL)
        steps.append((case.collect_events(), (case,)))
        case.record_response(response_id=uuid4(), referral_id=referral_id, **RESPONSE)
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


class RawSQLite:
    """A stored_events-shaped table written one row per BEGIN/COMMIT."""

    def __init__(self, path: Path, transactions: int, facts: dict[str, Any]) -> None:
        self.connection = sqlite3.connect(path, isolation_level=None)
        self.connection.execute(f"PRAGMA journal_mode={facts['journal_mode']}")
        self.connection.execute(f"PRAGMA synchronous={facts['synchronous']}")
        self.connection.execute(
            "CREATE TABLE stored_events (originator_id TEXT, originator_version "
            "INTEGER, topic TEXT, state BLOB, "
            "PRIMARY KEY (originator_id, originator_version))"
        )
        payload = bytes(facts["payload_bytes"])
        streams = [uuid4().hex for _ in range(transactions // len(COMMANDS) + 1)]
        self.rows = [
            (
                streams[n // len(COMMANDS)],
                n % len(COMMANDS) + 1,
                "Case.Referred",
                payload,
            )
            for n in range(transactions)
        ]

    def run(self, rows: slice) -> float:
        """Seconds to insert those rows, each in its own transaction."""
        started = time.perf_counter()
        for row in self.rows[rows]:
            self.connection.execute("BEGIN")
            self.connection.execute("INSERT INTO stored_events VALUES (?,?,?,?)", row)
            self.connection.execute("COMMIT")
        return time.perf_counter() - started

    def close(self) -> None:
        """Close the connection."""
        self.connection.close()


def durability(tracker: CaseTracker) -> dict[str, str]:
    """The journal mode and synchronous level of the tracker's own connection."""
    recorder = tracker.recorder
    assert isinstance(recorder, SQLiteRecorder)
    settings: dict[str, str] = {}
    with recorder.datastore.transaction(commit=False) as cursor:
        for pragma in ("journal_mode", "synchronous"):
            cursor.execute(f"PRAGMA {pragma}")
            settings[pragma] = str(cursor.fetchone()[0])
    settings["synchronous"] = SYNCHRONOUS[settings["synchronous"]]
    return settings


def one_repeat(
    cases: int, scratch: Path | None, order: Sequence[str]
) -> tuple[dict[str, float], dict[str, Any]]:
    """Time each path once, each in a fresh SQLite file, block by block.

    The paths take turns every BLOCK cases, so a slow moment of the shared
    disk falls on all of them alike rather than on whichever ran then.
    """
    seconds = dict.fromkeys(order, 0.0)
    with tempfile.TemporaryDirectory(dir=scratch) as tmp:
        application = tracker_in(Path(tmp, "application"))
        bare = tracker_in(Path(tmp, "bare"))
        steps = build_steps(bare, cases)
        facts = {"payload_bytes": mean_event_bytes(bare, steps), **durability(bare)}
        raw = RawSQLite(Path(tmp, "raw.sqlite3"), len(steps), facts)
        for first in range(0, cases, BLOCK):
            block = min(BLOCK, cases - first)
            writes = slice(first * len(COMMANDS), (first + block) * len(COMMANDS))
            for path in order:
                if path == "application":
                    seconds[path] += run_application(application, block)
                elif path == "bare save()":
                    seconds[path] += run_bare_save(bare, steps[writes])
                else:
                    seconds[path] += raw.run(writes)
        raw.close()
        application.close()
        bare.close()
    return seconds, facts


def summarise(timings: dict[str, list[float]], transactions: int) -> dict[str, Any]:
    """Per path: median seconds, transactions per second and the two ratios."""
    rate = {p: transactions / statistics.median(s) for p, s in timings.items()}
    return {
        path: {
            "transactions": transactions,
            "seconds_median": statistics.median(seconds),
            "seconds_each_repeat": seconds,
            "per_second": rate[path],
            "ratio_to_bare_save": rate[path] / rate["bare save()"],
            "ratio_to_raw_sqlite": rate[path] / rate["raw SQLite"],
            # Each repeat's own ratio: the paths ran side by side within it.
            "ratio_to_bare_save_each_repeat": [
                bare / own
                for own, bare in zip(seconds, timings["bare save()"], strict=True)
            ],
        }
        for path, seconds in timings.items()
    }


def print_table(paths: dict[str, Any]) -> None:
    """Print one line per path, as in the README."""
    print(f"{'path':<13}{'transactions':>13}{'seconds':>9}", end="")
    print(f"{'per s':>8}{'/ bare':>8}{'/ raw':>7}")
    for path, row in paths.items():
        print(
            f"{path:<13}{row['transactions']:>13}{row['seconds_median']:>9.3f}"
            f"{row['per_second']:>8.0f}{row['ratio_to_bare_save']:>8.2f}"
            f"{row['ratio_to_raw_sqlite']:>7.2f}"
        )


def main() -> None:
    """Run the three paths, print the table and write the JSON figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--tmpdir", type=Path, help="where the SQLite files go")
    args = parser.parse_args()
    names = ["application", "bare save()", "raw SQLite"]
    timings: dict[str, list[float]] = {name: [] for name in names}
    facts: dict[str, Any] = {}
    for repeat in range(args.repeat):
        order = names[repeat % len(names) :] + names[: repeat % len(names)]
        seconds, facts = one_repeat(args.cases, args.tmpdir, order)
        for name, elapsed in seconds.items():
            timings[name].append(elapsed)
    paths = summarise(timings, args.cases * len(COMMANDS))
    passed = paths["application"]["ratio_to_bare_save"] >= TARGET_RATIO
    print(f"{args.cases} cases x {len(COMMANDS)} commands: {', '.join(COMMANDS)}")
    print_table(paths)
    each = paths["application"]["ratio_to_bare_save_each_repeat"]
    print("application / bare save() in each repeat:", *(f"{r:.2f}" for r in each))
    print(
        f"{'PASS' if passed else 'FAIL'}: application >= {TARGET_RATIO} x bare save()"
    )
    print(f"same for all three: {facts}")
    figures = {
        "cases": args.cases,
        "repeats": args.repeat,
        "commands": COMMANDS,
        **facts,
        "arguments": sys.argv[1:],
        "python": sys.version.split()[0],
        "eventsourcing": version("eventsourcing"),
        "sqlite": sqlite3.sqlite_version,
        "target": f"application >= {TARGET_RATIO} x bare save()",
        "pass": passed,
        "paths": paths,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(figures, indent=2) + "\n")
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
