"""`bench_load`'s figures: each phase's rates, errors and answer times, printed.

The load's figures are shown beside the baseline's, and divided by them.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from benchmarks.load_clients import KINDS, Latencies, Tally, merged

PERCENTILES = {"p50_ms": 0.50, "p95_ms": 0.95, "p99_ms": 0.99}


def percentiles(latencies: Latencies) -> dict[str, float | None]:
    """p50, p95 and p99 of the answer times, in milliseconds."""
    return {name: latencies.percentile(share) for name, share in PERCENTILES.items()}


def figures(tally: Tally, seconds: float) -> dict[str, Any]:
    """A phase's requests, rates, errors and answer times, overall and per kind."""
    requests, errors = sum(tally.requests.values()), sum(tally.errors.values())
    kinds = {
        kind: {
            "requests": tally.requests[kind],
            "errors": tally.errors_of(kind),
            "conflicts": tally.conflicts[kind],
        }
        | percentiles(tally.latencies[kind])
        for kind in KINDS
    }
    return {
        "seconds": seconds,
        "requests": requests,
        "per_second": requests / seconds,
        "writes_per_second": sum(tally.writes.values()) / seconds,
        "errors": errors,
        "error_rate": errors / max(1, requests),
        "conflicts": sum(tally.conflicts.values()),
        "kinds": kinds,
        "error_answers": dict(tally.errors.most_common()),
    } | percentiles(merged(list(tally.latencies.values())))


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def _ratio(load: float | None, baseline: float | None) -> str:
    return "-" if not load or not baseline else f"{load / baseline:.2f}"


def print_phases(baseline: dict[str, Any], load: dict[str, Any]) -> None:
    """Both phases, overall, then per kind, with the load over the baseline."""
    print(
        f"{'phase':<20}{'requests':>9}{'req/s':>8}{'writes/s':>9}{'errors':>7}", end=""
    )
    print(f"{'error %':>8}{'conflicts':>10}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}")
    for name, f in (("baseline, 1 session", baseline), ("load", load)):
        print(
            f"{name:<20}{f['requests']:>9}{f['per_second']:>8.1f}"
            f"{f['writes_per_second']:>9.2f}{f['errors']:>7}"
            f"{100 * f['error_rate']:>8.2f}{f['conflicts']:>10}"
            + "".join(f"{_ms(f[key]):>8}" for key in PERCENTILES)
        )
    print(
        f"{'load / baseline':<20}{'':>9}"
        f"{_ratio(load['per_second'], baseline['per_second']):>8}"
        f"{_ratio(load['writes_per_second'], baseline['writes_per_second']):>9}"
        f"{'':>25}" + "".join(f"{_ratio(load[k], baseline[k]):>8}" for k in PERCENTILES)
    )
    print(f"{'kind':<12}{'requests':>9}{'errors':>7}{'conflicts':>10}", end="")
    print(
        f"{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}   1 session: {'p50':>6}{'p99':>7}",
        end="",
    )
    print(f"{'p50 x':>7}{'p99 x':>7}")
    for kind in KINDS:
        mine, alone = load["kinds"][kind], baseline["kinds"][kind]
        print(
            f"{kind:<12}{mine['requests']:>9}{mine['errors']:>7}{mine['conflicts']:>10}"
            + "".join(f"{_ms(mine[key]):>8}" for key in PERCENTILES)
            + f"{'':>14}{_ms(alone['p50_ms']):>6}{_ms(alone['p99_ms']):>7}"
            f"{_ratio(mine['p50_ms'], alone['p50_ms']):>7}"
            f"{_ratio(mine['p99_ms'], alone['p99_ms']):>7}"
        )


def print_report(result: dict[str, Any]) -> None:
    """The phases, the views' lag, the CPU, the errors and the store's check."""
    baseline, load, check = result["baseline"], result["load"], result["check"]
    print_phases(baseline, load)
    caught = load["caught_up_seconds"]
    print(
        f"lag in the load: max {load['lag_max']}, mean {load['lag_mean']:.1f} ids; "
        f"none {'-' if caught is None else f'{caught:.2f}'} s after the last answer"
    )
    for name, f in (("baseline", baseline), ("load", load)):
        cores = " ".join(f"{k} {v:.2f}" for k, v in f["cores"].items())
        print(f"CPU in the {name}, cores busy of {os.cpu_count()}: {cores}")
    for name, f in (("baseline", baseline), ("load", load)):
        for what, count in f["error_answers"].items():
            print(f"  error in the {name}: {what} x {count}")
    print_check(check)


def print_check(check: dict[str, int]) -> None:
    """The writes answered as done, found in the store or not; the cases listed."""
    print(
        f"check: {check['answered']} writes answered as done: {check['found']} in "
        f"the store, {check['missing']} missing, {check['beyond']} saved beyond"
    )
    before, new = check["cases_before"], check["new_cases"]
    unexplained = check["cases_listed"] - before - new
    print(
        f"cases listed: {check['cases_listed']} = {before} before + {new} new "
        "answered as done" + (f" + {unexplained} unexplained" if unexplained else "")
    )


def write_json(
    path: Path, args: argparse.Namespace, started: str, result: dict[str, Any]
) -> None:
    """The figures, the options and the machine, as JSON."""
    path.parent.mkdir(parents=True, exist_ok=True)
    options = {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()}
    written = {
        "date": started,
        "command": " ".join(["python -m benchmarks.bench_load", *sys.argv[1:]]),
        "options": options,
        "cpus": os.cpu_count(),
        "python": sys.version.split()[0],
    } | result
    path.write_text(json.dumps(written, indent=2) + "\n")
    print(f"wrote {path}")
