"""The accountability report over a country's million events, beside a COUNT(*).

A store of --events events (three years of 38 forums, `forum_history`) is
generated once, or reused with --store, as `bench_projections` makes it. The
views the benchmark reads (cases, figures) are brought up to date
once, in ``report-views.sqlite3`` beside the store, before anything is timed.

Then, in one run, taking turns so a slow moment of the shared machine falls
on all of them alike, each --repeat times:

* baseline: ``SELECT COUNT(*) FROM cases`` over the cases view;
* json: the year's accountability report for all municipalities (the report
  for the year and the year before, the table per municipality, the
  government responses) read as the web, the API and the command line read
  it (`read_report`: the year before counted on a second connection at the
  same time) and written as the API's JSON;
* pdf: the same report written as the printable PDF.

The first round is reported apart (cold caches); the figures are the median
of the rounds after it. Garbage is collected before each timed call, so one
call does not pay for what the call before it left. Targets: the JSON
under 1 s, the PDF under 5 s.

Run from the project root:  .venv/bin/python -m benchmarks.bench_reports
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.bench_commands import TODAY, tracker_in
from benchmarks.bench_projections import EVENTS, prepared_store
from projections.accountability import Period, read_report
from projections.cases import CasesView
from projections.figures import FiguresView
from projections.views import Views
from web.reports.rendering import report_file

YEAR = 2025  # the generated history runs 2023 to December 2025
TARGETS = {"json": 1.0, "pdf": 5.0}
RESULTS = Path(__file__).parent / "results" / "reports.json"


def report_views(home: Path) -> Views:
    """The report's views of the store in `home`, caught up (not timed)."""
    views = Views(
        tracker_in(home),
        home / "report-views.sqlite3",
        kinds=[CasesView, FiguresView],
    )
    started = time.perf_counter()
    views.catch_up()
    print(f"views up to date in {time.perf_counter() - started:.0f} s (not timed)")
    return views


def timed(views: Views) -> dict[str, Callable[[], Any]]:
    """What is measured, each a call that does it once."""
    period = Period.year(YEAR, today=TODAY)

    def count() -> int:
        with views.reading() as c:
            c.execute("SELECT COUNT(*) FROM cases")
            return int(c.fetchone()[0])

    def made(file_format: str) -> Callable[[], bytes]:
        def make() -> bytes:
            report = read_report(views, period)
            return report_file(report, file_format=file_format, language="sq").content

        return make

    return {"baseline": count, "json": made("json"), "pdf": made("pdf")}


def run(views: Views, repeat: int) -> dict[str, list[float]]:
    """Seconds of each measured call, round by round, in rotating order."""
    calls = timed(views)
    names = list(calls)
    seconds: dict[str, list[float]] = {name: [] for name in names}
    for round_number in range(repeat + 1):
        shift = round_number % len(names)
        for name in names[shift:] + names[:shift]:
            gc.collect()  # not the garbage the call before left behind
            started = time.perf_counter()
            calls[name]()
            seconds[name].append(time.perf_counter() - started)
    return seconds


def summary(seconds: dict[str, list[float]], facts: dict[str, Any]) -> dict[str, Any]:
    """Cold and median (warm) seconds of each, and each over the baseline."""
    baseline = statistics.median(seconds["baseline"][1:])
    rows = {
        name: {
            "cold_s": runs[0],
            "median_s": statistics.median(runs[1:]),
            "over_baseline": statistics.median(runs[1:]) / baseline,
            "runs_s": runs,
        }
        for name, runs in seconds.items()
    }
    return {"store": facts, "year": YEAR, "results": rows}


def show(result: dict[str, Any], sizes: dict[str, int]) -> bool:
    """Print the table and PASS/FAIL against the targets; whether all passed."""
    print(f"\naccountability report {YEAR}, all municipalities")
    print(f"{'what':10}{'cold s':>9}{'median s':>10}{'/ COUNT(*)':>12}{'bytes':>12}")
    for name, row in result["results"].items():
        print(
            f"{name:10}{row['cold_s']:9.3f}{row['median_s']:10.3f}"
            f"{row['over_baseline']:12.0f}{sizes.get(name, 0):12,}"
        )
    passed = True
    for name, target in TARGETS.items():
        median = result["results"][name]["median_s"]
        ok = median < target
        passed &= ok
        print(f"{'PASS' if ok else 'FAIL'}: {name} {median:.3f} s < {target:.0f} s")
    return passed


def main() -> None:
    """Generate or reuse the store, bring the views up, time, print, save."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, help="keep the generated store here")
    parser.add_argument("--events", type=int, default=EVENTS)
    parser.add_argument("--repeat", type=int, default=5)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-reports-") as scratch:
        home = arguments.store or Path(scratch) / "store"
        facts = prepared_store(home, arguments.events)
        views = report_views(home)
        calls = timed(views)
        sizes = {name: len(calls[name]()) for name in TARGETS}
        result = summary(run(views, arguments.repeat), facts)
        views.close()
        views.tracker.close()
    passed = show(result, sizes)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    if not passed:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
