"""Commands per second and projection lag under 20 clients: 1 or 4 workers, 2 stores.

Each configuration (SQLite or PostgreSQL, 1 or --workers gunicorn workers)
gets a fresh store (a new TRACKER_HOME; on PostgreSQL a throw-away database
too), made as its users make one, with a secretary of Graçanicë and an API
token. `tracker serve --workers N` serves it and `tracker projections run`
keeps its views caught up. Then --clients connections submit cases through
the API (`POST /api/v1/cases`, one command each) as fast as they are
answered, for --seconds after --warmup seconds, while /healthz is read every
half second for the views' lag (it does not catch them up). After the load:
how long until no view lags. The 1-worker run of each store is the baseline
of its --workers run, SQLite the baseline of PostgreSQL; with --repeat, each
round measures all in a rotating order, and the table shows the medians.

Run from the project root:  .venv/bin/python -m benchmarks.bench_serving
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

from benchmarks.bench_web import row
from benchmarks.gunicorn_process import (
    Background,
    Gunicorn,
    machine_busy_seconds,
    projection_worker,
    tracker_serve,
)
from benchmarks.served_store import (
    CATCH_UP_LIMIT,
    SAMPLE_SECONDS,
    LagSampler,
    case_submissions,
    caught_up,
    database_processes,
    forum_codes,
    postgres_unreachable,
    secretary_token,
    standing,
    throwaway_database,
)
from benchmarks.web_load import Load, run_python

CLIENTS, SECONDS, QUICK_SECONDS, WARMUP, WORKERS, POLL, REPEAT = 20, 20, 5, 2, 4, 0.5, 1
STORES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


@dataclass(frozen=True)
class Configuration:
    """One way of serving: the store, and how many gunicorn workers."""

    store: str
    workers: int

    @property
    def name(self) -> str:
        """As the table shows it: `SQLite, 4 workers`."""
        plural = "s" if self.workers != 1 else ""
        return f"{STORES[self.store]}, {self.workers} worker{plural}"


Results = dict[Configuration, dict[str, Any]]


# -- one configuration --------------------------------------------------------


@contextmanager
def store_environment(
    configuration: Configuration, tmp: Path
) -> Iterator[dict[str, str]]:
    """The environment of a fresh store: a new home, a throw-away database."""
    home = tmp / f"{configuration.store}-{configuration.workers}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    env["TRACKER_HOME"] = str(home)
    if configuration.store == "sqlite":
        yield env
        return
    with throwaway_database("bench_serving") as url:
        yield env | {"TRACKER_DB": url}


def measure(
    configuration: Configuration, args: argparse.Namespace, tmp: Path
) -> dict[str, Any]:
    """Serve a fresh store this way, load it, and note the figures."""
    codes = forum_codes(args.municipalities)
    with store_environment(configuration, tmp) as env:
        token = secretary_token(env, codes)
        home = Path(env["TRACKER_HOME"])
        serve = ("tracker serve", configuration.workers, env, home / "serve.log")
        with (
            projection_worker(env, home / "worker.log", args.poll) as worker,
            Gunicorn(*serve, command=tracker_serve) as server,
        ):
            server.wait_until_serving("/healthz")
            load = case_submissions(
                server.port, token, codes, args.clients, args.seconds
            )
            if args.warmup > 0:
                warm = run_python(replace(load, seconds=args.warmup))
                if warm.not_2xx or warm.socket_errors:
                    server.ensure_running()
                    sys.exit(f"the warm-up's commands failed\n{server.log_tail()}")
                caught_up(server.port, time.monotonic())
            return loaded(server, worker, load, env.get("TRACKER_DB"))


def loaded(
    server: Gunicorn, worker: Background, load: Load, database: str | None
) -> dict[str, Any]:
    """The measured load, the lag during it and the catch-up after it."""
    head_before, _ = standing(server.port)
    backends = database_processes(database) if database else {}
    cpu = server.cpu_seconds(), worker.cpu_seconds(), machine_busy_seconds()
    sampler = LagSampler(server.port)
    sampler.start()
    result = run_python(load)
    samples = sampler.stop()
    server_cpu = server.cpu_seconds() - cpu[0]
    worker_cpu = worker.cpu_seconds() - cpu[1]
    busy = machine_busy_seconds() - cpu[2]
    after = database_processes(database) if database else {}
    # A backend gone during the load takes its CPU time with it.
    database_cpu = sum(used - backends.get(pid, 0.0) for pid, used in after.items())
    # bench_web's figures, its server being the web, worker and database.
    figures = row(result, server_cpu + worker_cpu + database_cpu, busy)
    catch_up = caught_up(server.port, result.ended)
    server.ensure_running()
    worker.ensure_running()
    lags = [lag for _, _, lag in samples]
    ids = standing(server.port)[0] - head_before
    return figures | {
        "server_cores": server_cpu / result.seconds,
        "worker_cores": worker_cpu / result.seconds,
        "database_cores": database_cpu / result.seconds if database else None,
        "ids_per_command": ids / max(1, result.requests),
        "lag_max": max(lags),
        "lag_mean": statistics.fmean(lags),
        "caught_up_seconds": catch_up,
        "lag_samples": samples,
    }


# -- the report ---------------------------------------------------------------


def ratios(results: Results) -> dict[str, float]:
    """Commands per second over the baseline of the same run, where both ran."""
    rate = {(c.store, c.workers): f["per_second"] for c, f in results.items()}
    found = {}
    for (store, workers), per_second in rate.items():
        if workers != 1 and (store, 1) in rate:
            name = f"{STORES[store]}, {workers} workers / 1 worker"
            found[name] = per_second / rate[store, 1]
    for (store, workers), per_second in rate.items():
        if store == "postgresql" and ("sqlite", workers) in rate:
            name = f"PostgreSQL / SQLite, {workers} worker{'s' * (workers > 1)}"
            found[name] = per_second / rate["sqlite", workers]
    return found


COLUMNS = (
    # heading, width, key, format
    *(("configuration", 23, "", ""), ("cmd/s", 7, "per_second", ".0f")),
    *(("p50 ms", 8, "p50_ms", ".1f"), ("p99 ms", 8, "p99_ms", ".1f")),
    *(("errors", 7, "errors", "d"), ("lag max", 8, "lag_max", ".0f")),
    *(("mean", 7, "lag_mean", ".1f"), ("to 0 s", 7, "caught_up_seconds", ".2f")),
    *(("CPU: web", 9, "server_cores", ".2f"), ("worker", 7, "worker_cores", ".2f")),
    *(("database", 9, "database_cores", ".2f"), ("client", 7, "client_cores", ".2f")),
    *(("other", 6, "other_cores", ".2f"), ("ids/cmd", 8, "ids_per_command", ".1f")),
)
# The figures shown as the median of the rounds (errors are summed).
MEDIANS = tuple(key for _, _, key, _ in COLUMNS[1:])


def medians(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Each figure's median over the rounds (None if one lacks it), every round."""
    middle = {
        key: None
        if any(run[key] is None for run in runs)
        else statistics.median(run[key] for run in runs)
        for key in MEDIANS
    }
    return middle | {"errors": sum(run["errors"] for run in runs), "rounds": runs}


def print_table(results: Results, found: dict[str, list[float]]) -> None:
    """One line per configuration, then the ratios, as in the README."""
    print(f"{COLUMNS[0][0]:<{COLUMNS[0][1]}}", end="")
    print("".join(f"{heading:>{width}}" for heading, width, _, _ in COLUMNS[1:]))
    for configuration, figures in results.items():
        print(f"{configuration.name:<{COLUMNS[0][1]}}", end="")
        for _, width, key, shape in COLUMNS[1:]:
            value = figures[key]
            print(f"{'-' if value is None else format(value, shape):>{width}}", end="")
        print()
    for name, each in found.items():
        rounds = " ".join(f"{ratio:.2f}" for ratio in each)
        print(f"{name}: {statistics.median(each):.2f} x the commands/s ({rounds})")
    print(
        "medians of the rounds (ratios: of each round). lag: notification ids "
        f"behind the log's head, from /healthz every {SAMPLE_SECONDS} s of the load;"
        " to 0 s: from the last answer until no view lags (- not in "
        f"{CATCH_UP_LIMIT:.0f} s). CPU: cores busy (of {os.cpu_count()}): web, "
        "projection worker, PostgreSQL's backends for the store, clients, all else."
        " ids/cmd: the log's ids used per command"
    )


def write_json(
    path: Path, args: argparse.Namespace, results: Results, found: dict[str, Any]
) -> None:
    """The figures, the options and the machine, as JSON."""
    path.parent.mkdir(parents=True, exist_ok=True)
    packages = ("gunicorn", "flask", "eventsourcing", "psycopg")
    written = {
        "date": datetime.now().isoformat(timespec="seconds"),
        "command": " ".join(["python -m benchmarks.bench_serving", *sys.argv[1:]]),
        "options": {
            k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()
        },
        "cpus": os.cpu_count(),
        "python": sys.version.split()[0],
        "versions": {name: version(name) for name in packages},
        "configurations": {
            c.name: {"store": c.store, "workers": c.workers} | f
            for c, f in results.items()
        },
        "ratios": found,
    }
    path.write_text(json.dumps(written, indent=2) + "\n")
    print(f"wrote {path}")


def arguments() -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=CLIENTS)
    parser.add_argument("--workers", type=int, default=WORKERS, help="beside 1")
    parser.add_argument(
        "--seconds", type=float, help=f"of load ({SECONDS}; --quick {QUICK_SECONDS})"
    )
    parser.add_argument(
        "--warmup", type=float, help=f"seconds before ({WARMUP}; --quick 1)"
    )
    parser.add_argument("--quick", action="store_true", help="a short run")
    parser.add_argument("--repeat", type=int, default=REPEAT, help="rounds")
    parser.add_argument(
        "--municipalities", type=int, default=1, help="client i submits for the i-th"
    )
    parser.add_argument("--poll", type=float, default=POLL, help="the SQLite worker's")
    parser.add_argument(
        "--stores", nargs="+", choices=list(STORES), default=list(STORES)
    )
    parser.add_argument("--json", type=Path, help="write the figures here too")
    parser.add_argument("--tmpdir", type=Path, help="where the stores go")
    args = parser.parse_args()
    if args.seconds is None:
        args.seconds = QUICK_SECONDS if args.quick else SECONDS
    if args.warmup is None:
        args.warmup = 1 if args.quick else WARMUP
    return args


def main() -> None:
    """Measure each configuration in turn, each round, print the table and JSON."""
    args = arguments()
    why = postgres_unreachable() if "postgresql" in args.stores else None
    if why:
        print(f"PostgreSQL skipped: {why}", flush=True)
        args.stores.remove("postgresql")
    wanted = [
        Configuration(store, n) for store in args.stores for n in (1, args.workers)
    ]
    print(
        f"{args.clients} clients submitting cases "
        f"({', '.join(forum_codes(args.municipalities))}) for "
        f"{args.seconds:g} s after {args.warmup:g} s of warm-up, each configuration "
        "on a fresh store",
        flush=True,
    )
    rounds: list[Results] = []
    with tempfile.TemporaryDirectory(dir=args.tmpdir) as tmp:
        for turn in range(args.repeat):
            print(f"round {turn + 1} of {args.repeat}:", flush=True)
            order = wanted[turn % len(wanted) :] + wanted[: turn % len(wanted)]
            rounds.append({})
            for configuration in order:
                here = Path(tmp, f"round-{turn + 1}")
                rounds[-1][configuration] = f = measure(configuration, args, here)
                print(
                    f"  {configuration.name:<22} {f['per_second']:6.0f} commands/s,"
                    f" lag max {f['lag_max']} mean {f['lag_mean']:.1f}",
                    flush=True,
                )
    summary = {c: medians([each[c] for each in rounds]) for c in wanted}
    found = {name: [ratios(each)[name] for each in rounds] for name in ratios(summary)}
    print_table(summary, found)
    if args.json:
        write_json(args.json, args, summary, found)


if __name__ == "__main__":
    main()
