"""Rebuilding the read models from a million events, and the case list's queries.

A store of --events events (three years of 38 forums, `forum_history`) is
generated once, or reused with --store. Then, in one run:

* ceiling: every notification read a page at a time (the views' batch size)
  and each decoded into its event, nothing written: as fast as a view could
  ever be rebuilt;
* rebuild: each view in VIEW_KINDS rebuilt alone (`Views.rebuild`) and all of
  them in one pass (`Views.catch_up`), each into a fresh views file, with the
  ceiling read again between every two, so each rebuild is compared with the
  ceilings measured just before and just after it;
* queries: `find_cases` with everyday filters over the cases those views hold.

Run from the project root:  .venv/bin/python -m benchmarks.bench_projections
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
from dataclasses import asdict
from importlib.metadata import version
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from benchmarks.bench_commands import TODAY, tracker_in
from benchmarks.forum_history import generate
from projections.case_queries import CaseFilter, find_cases
from projections.catalogue import VIEW_KINDS
from projections.view import View
from projections.views import BATCH, Views
from tracker.application import CaseTracker
from tracker.config import SQLITE_FILENAME

EVENTS = 1_000_000
SEED = 1
TARGET_RATIO = 0.7
TARGET_MEDIAN_MS = 20.0
QUERY_RUNS = 200
# The day the queries ask about: the history ends in December 2025.
ALL_VIEWS = "all views"
THROUGH_READING = "one municipality, reading()"
HISTORY_FACTS = "history.json"
RESULTS = Path(__file__).parent / "results" / "projections.json"
# What people filter the case list by, and the page they ask for.
QUERIES: dict[str, tuple[CaseFilter, int]] = {
    "one municipality": (CaseFilter(municipalities=("PRI",)), 1),
    "municipality + status": (
        CaseFilter(municipalities=("PRI",), status="awaiting_response"),
        1,
    ),
    "category + year": (CaseFilter(category="environment", year=2024), 1),
    "community": (CaseFilter(community="roma"), 1),
    "overdue": (CaseFilter(overdue=True), 1),
    "no filter": (CaseFilter(), 1),
    "page 50 of one year": (CaseFilter(year=2025), 50),
}


# -- the store ---------------------------------------------------------------


def prepared_store(home: Path, events: int) -> dict[str, Any]:
    """What the store in `home` holds, generating it first if it is not there."""
    facts_file = home / HISTORY_FACTS
    if not facts_file.exists():
        if (home / SQLITE_FILENAME).exists():
            sys.exit(f"{home} holds a store this benchmark did not finish; remove it")
        print(f"generating {events:,} events in {home} ...", flush=True)
        # In a child process, so the peak memory measured later is the views'.
        child = multiprocessing.get_context("fork").Process(
            target=_generate, args=(home, events)
        )
        child.start()
        child.join()
        if child.exitcode != 0:
            sys.exit("generating the store failed")
    facts: dict[str, Any] = json.loads(facts_file.read_text())
    if facts["events_asked"] != events:
        sys.exit(f"{home} holds {facts['events_asked']:,} events, not {events:,}")
    print(
        f"store {home}: {facts['events']:,} events, {facts['cases']:,} cases, "
        f"{facts['meetings']:,} meetings, up to {facts['last_day']}; "
        f"generated in {facts['generation_seconds']:.0f} s (not in any figure)"
    )
    return facts


def _generate(home: Path, events: int) -> None:
    home.mkdir(parents=True, exist_ok=True)
    tracker = tracker_in(home)
    started = time.perf_counter()
    report = generate(tracker, events, SEED)
    seconds = time.perf_counter() - started
    tracker.close()
    facts = {**asdict(report), "last_day": report.last_day.isoformat()}
    facts |= {"events_asked": events, "seed": SEED, "generation_seconds": seconds}
    (home / HISTORY_FACTS).write_text(json.dumps(facts, indent=2) + "\n")


# -- ceiling and rebuilds ----------------------------------------------------


def read_ceiling(tracker: CaseTracker, head: int) -> float:
    """Seconds to read every notification in pages and decode each event."""
    recorder, to_event = tracker.recorder, tracker.mapper.to_domain_event
    started = time.perf_counter()
    position = 0
    while position < head:
        page = recorder.select_notifications(position + 1, BATCH, stop=head)
        for notification in page:
            to_event(notification)
        position = page[-1].id
    return time.perf_counter() - started


def timed_rebuild(home: Path, path: Path, kind: type[View] | None) -> dict[str, float]:
    """Events read, seconds and RSS (MiB, before and at the peak) of one rebuild.

    `kind` None is every view in one pass, as a new views file catches up.
    Each rebuild runs in a child process with its own tracker, so its peak
    memory is its own, not what an earlier rebuild left behind.
    """
    parent, child = multiprocessing.Pipe(duplex=False)
    process = multiprocessing.get_context("fork").Process(
        target=_rebuild_in_child, args=(home, path, kind, child)
    )
    process.start()
    figures: dict[str, float] = parent.recv()
    process.join()
    if process.exitcode != 0:
        sys.exit(f"rebuilding {kind.name if kind else ALL_VIEWS} failed")
    return figures


def _rebuild_in_child(
    home: Path, path: Path, kind: type[View] | None, report: Connection
) -> None:
    tracker = tracker_in(home)
    views = Views(tracker, path, kinds=[kind] if kind else None)
    before = peak_rss_mib()
    started = time.perf_counter()
    read = views.rebuild(kind.name) if kind else views.catch_up()
    seconds = time.perf_counter() - started
    report.send(
        {
            "events": read,
            "seconds": seconds,
            "rss_before_mib": before,
            "peak_rss_mib": peak_rss_mib(),
        }
    )
    views.close()
    tracker.close()


def peak_rss_mib() -> float:
    """The process's peak resident memory so far, in MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def one_repeat(
    tracker: CaseTracker, home: Path, scratch: Path, order: list[str]
) -> dict[str, dict[str, float]]:
    """Each rebuild once, in `order`, with the ceiling read before and after."""
    head = tracker.recorder.max_notification_id() or 0
    kinds: dict[str, type[View] | None] = {k.name: k for k in VIEW_KINDS}
    kinds[ALL_VIEWS] = None
    figures: dict[str, dict[str, float]] = {}
    before = read_ceiling(tracker, head)
    for name in order:
        path = scratch / f"{name.replace(' ', '_')}.sqlite3"
        remove_sqlite(path)
        rebuilt = timed_rebuild(home, path, kinds[name])
        after = read_ceiling(tracker, head)
        ceiling = (before + after) / 2
        seconds = rebuilt["seconds"]
        figures[name] = rebuilt | {
            "ceiling_seconds": ceiling,
            "ratio": ceiling / seconds,
        }
        print(
            f"  {name:<10} {seconds:8.1f} s {rebuilt['events'] / seconds:9,.0f} "
            f"events/s {ceiling / seconds:6.2f} x ceiling ({head / ceiling:,.0f}/s) "
            f"RSS {rebuilt['rss_before_mib']:,.0f} -> "
            f"{rebuilt['peak_rss_mib']:,.0f} MiB",
            flush=True,
        )
        if name != ALL_VIEWS:
            remove_sqlite(path)
        before = after
    return figures


def remove_sqlite(path: Path) -> None:
    """Delete a SQLite file and its WAL and shared-memory files."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def summarise_rebuilds(repeats: list[dict[str, dict[str, float]]]) -> dict[str, Any]:
    """Per rebuild: medians over the repeats, every repeat's figures kept."""
    summary: dict[str, Any] = {}
    for name in repeats[0]:
        runs = [repeat[name] for repeat in repeats]
        seconds = statistics.median(run["seconds"] for run in runs)
        ceiling = statistics.median(run["ceiling_seconds"] for run in runs)
        ratio = statistics.median(run["ratio"] for run in runs)
        summary[name] = {
            "events": runs[0]["events"],
            "seconds_median": seconds,
            "per_second": runs[0]["events"] / seconds,
            "ceiling_per_second": runs[0]["events"] / ceiling,
            "ratio_to_ceiling": ratio,
            "peak_rss_mib": max(run["peak_rss_mib"] for run in runs),
            "pass": ratio >= TARGET_RATIO,
            "each_repeat": runs,
        }
    return summary


# -- queries -----------------------------------------------------------------


def time_queries(views: Views, runs: int) -> dict[str, Any]:
    """Milliseconds per query, the filters taking turns, `runs` times each."""
    timings: dict[str, list[float]] = {name: [] for name in [*QUERIES, THROUGH_READING]}
    matching: dict[str, int] = {}
    for _ in range(runs):
        for name, (wanted, page) in QUERIES.items():
            started = time.perf_counter()
            with views.datastore.transaction(commit=False) as c:
                found = find_cases(c, wanted, today=TODAY, page=page)
            timings[name].append((time.perf_counter() - started) * 1000)
            matching[name] = found.total
        wanted, page = QUERIES["one municipality"]
        started = time.perf_counter()
        with views.reading() as c:  # asks for new events first
            found = find_cases(c, wanted, today=TODAY, page=page)
        timings[THROUGH_READING].append((time.perf_counter() - started) * 1000)
        matching[THROUGH_READING] = found.total
    return {
        name: {
            "matching": matching[name],
            "median_ms": statistics.median(ms),
            "p95_ms": statistics.quantiles(ms, n=20)[18],
            "pass": statistics.median(ms) < TARGET_MEDIAN_MS,
        }
        for name, ms in timings.items()
    }


# -- the report --------------------------------------------------------------


def print_rebuilds(rebuilds: dict[str, Any]) -> None:
    """One line per rebuild, as in the README."""
    print(f"{'rebuild':<11}{'events':>9}{'seconds':>9}{'per s':>8}", end="")
    print(f"{'ceiling/s':>11}{'/ ceiling':>11}{'peak RSS MiB':>14}")
    for name, row in rebuilds.items():
        print(
            f"{name:<11}{row['events']:>9}{row['seconds_median']:>9.1f}"
            f"{row['per_second']:>8.0f}{row['ceiling_per_second']:>11.0f}"
            f"{row['ratio_to_ceiling']:>11.2f}{row['peak_rss_mib']:>14.0f}"
            f"  {'PASS' if row['pass'] else 'FAIL'}"
        )
    print(f"target: rebuild >= {TARGET_RATIO} x ceiling")


def print_queries(queries: dict[str, Any], cases: int) -> None:
    """One line per filter, as in the README."""
    print(f"find_cases over {cases:,} cases, {QUERY_RUNS} runs each")
    print(f"{'query':<29}{'matching':>9}{'median ms':>11}{'p95 ms':>8}")
    for name, row in queries.items():
        print(
            f"{name:<29}{row['matching']:>9}{row['median_ms']:>11.2f}"
            f"{row['p95_ms']:>8.2f}  {'PASS' if row['pass'] else 'FAIL'}"
        )
    print(f"target: median < {TARGET_MEDIAN_MS:.0f} ms")


def main() -> None:
    """Prepare the store, time the rebuilds and queries, print and write them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=EVENTS)
    parser.add_argument("--store", type=Path, help="keep the generated store here")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--tmpdir", type=Path, help="where views files go")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.tmpdir) as tmp:
        home = (args.store or Path(tmp, "store")).resolve()
        history = prepared_store(home, args.events)
        tracker = tracker_in(home)
        head = tracker.recorder.max_notification_id() or 0
        print(f"warm-up read: {head / read_ceiling(tracker, head):,.0f} events/s")
        names = [kind.name for kind in VIEW_KINDS] + [ALL_VIEWS]
        repeats = []
        for repeat in range(args.repeat):
            order = names[repeat % len(names) :] + names[: repeat % len(names)]
            print(f"repeat {repeat + 1} of {args.repeat}:", flush=True)
            repeats.append(one_repeat(tracker, home, Path(tmp), order))
        rebuilds = summarise_rebuilds(repeats)
        views = Views(tracker, Path(tmp, "all_views.sqlite3"))
        queries = time_queries(views, QUERY_RUNS)
        views.close()
        tracker.close()
    print_rebuilds(rebuilds)
    print_queries(queries, history["cases"])
    figures = {
        "events": head,
        "history": history,
        "repeats": args.repeat,
        "batch": BATCH,
        "query_runs": QUERY_RUNS,
        "today": TODAY.isoformat(),
        "cpus": os.cpu_count(),
        "arguments": sys.argv[1:],
        "python": sys.version.split()[0],
        "eventsourcing": version("eventsourcing"),
        "sqlite": sqlite3.sqlite_version,
        "targets": {
            "rebuild": f">= {TARGET_RATIO} x ceiling",
            "query": f"median < {TARGET_MEDIAN_MS} ms",
        },
        "rebuilds": rebuilds,
        "queries": queries,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(figures, indent=2) + "\n")
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
