"""The case list and the case page under 20 clients, beside a minimal Flask page.

A store of about 100,000 cases (`forum_history`, as `bench_projections`
makes it) is generated once, or reused with --store, and its views are
brought up to date before anything is served. Then gunicorn serves the
tracker (`web.app:create_app()`) and, the same way and with as many
workers, a one-route Flask app (`benchmarks/minimal_app.py`). Each target
in turn gets --clients connections asking as fast as they are answered,
for --seconds after --warmup seconds; the tracker's pages are asked for
by a signed-in administrator, who sees every case.

Run from the project root:  .venv/bin/python -m benchmarks.bench_web
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any
from urllib.parse import quote

from benchmarks.bench_projections import prepared_store
from benchmarks.gunicorn_process import Gunicorn, machine_busy_seconds
from benchmarks.served_store import PASSWORD, USERNAME, prepared_site
from benchmarks.web_load import Client, Load, LoadResult, run_python, wrk_client

# About 100,000 cases: 8.6 events a case (forum_history.EVENTS_PER_CASE).
EVENTS = 860_000
CLIENTS, SECONDS, WARMUP, REPEAT, SAMPLE = 20, 10, 2, 3, 1_000
TARGET_RATIO = 0.5
TARGET_P99_MS = 50.0
MINIMAL = "minimal page"
TRACKER_APP, MINIMAL_APP = "web.app:create_app()", "benchmarks.minimal_app:app"
# The figures shown as the median of the rounds.
MEDIANS = (
    *("per_second", "ratio", "p50_ms", "p99_ms"),
    *("server_cores", "client_cores", "other_cores"),
)
RESULTS = Path(__file__).parent / "results"


@dataclass(frozen=True)
class Target:
    """A page to load: its name, which server, the paths asked for in turn."""

    name: str
    app: str
    paths: tuple[str, ...]


def targets(references: list[str]) -> list[Target]:
    """The minimal page, the case list's first page and page 500, case pages."""
    return [
        Target(MINIMAL, MINIMAL_APP, ("/",)),
        Target("case list", TRACKER_APP, ("/cases",)),
        Target("case list, page 500", TRACKER_APP, ("/cases?page=500",)),
        Target(
            "case page",
            TRACKER_APP,
            tuple(f"/cases/{quote(reference)}" for reference in references),
        ),
    ]


# -- serving and loading -----------------------------------------------------


def check_pages(server: Gunicorn, cookie: str, wanted: list[Target]) -> None:
    """Each target's first paths answer 200 (not the sign-in page) before timing."""
    for target in (t for t in wanted if t.app == TRACKER_APP):
        for path in target.paths[:3]:
            try:
                status, body = server.get(path, cookie)
            except OSError as error:
                status, body = 0, str(error)
            if status != 200 or 'name="password"' in body:
                server.ensure_running()
                sys.exit(f"GET {path} answered {status or body}; not measuring that")


def one_round(
    servers: dict[str, Gunicorn],
    cookie: str,
    order: list[Target],
    client: Client,
    args: argparse.Namespace,
) -> dict[str, dict[str, float]]:
    """Each target once, in `order`: warm-up, then the measured run."""
    figures: dict[str, dict[str, float]] = {}
    for target in order:
        server = servers[target.app]
        server.ensure_running()
        if args.warmup > 0:
            client(Load(server.port, target.paths, cookie, args.clients, args.warmup))
        cpu_before, busy_before = server.cpu_seconds(), machine_busy_seconds()
        result = client(
            Load(server.port, target.paths, cookie, args.clients, args.seconds)
        )
        server_cpu = server.cpu_seconds() - cpu_before
        busy = machine_busy_seconds() - busy_before
        figures[target.name] = figure = row(result, server_cpu, busy)
        print(
            f"  {target.name:<20} {figure['per_second']:8.0f}/s"
            f"  p50 {figure['p50_ms']:6.1f}  p99 {figure['p99_ms']:6.1f} ms"
            f"  errors {figure['errors']:.0f}  CPU server {figure['server_cores']:.2f}"
            f" client {figure['client_cores']:.2f} other {figure['other_cores']:.2f}",
            flush=True,
        )
    for figure in figures.values():
        figure["ratio"] = figure["per_second"] / figures[MINIMAL]["per_second"]
    return figures


def row(result: LoadResult, server_cpu: float, busy: float) -> dict[str, float]:
    """One measured run as plain figures, CPU in cores busy on average.

    `busy` is the whole machine's CPU time: what neither the server nor the
    client used went to other processes (or to the kernel's networking).
    """
    return asdict(result) | {
        "per_second": result.per_second,
        "errors": result.not_2xx + result.socket_errors,
        "server_cores": server_cpu / result.seconds,
        "client_cores": result.client_cpu_seconds / result.seconds,
        "other_cores": (busy - server_cpu - result.client_cpu_seconds) / result.seconds,
    }


def summarise(rounds: list[dict[str, dict[str, float]]]) -> dict[str, Any]:
    """Per target: medians over the rounds, errors summed, every round kept."""
    summary: dict[str, Any] = {}
    for name in rounds[0]:
        runs = [each[name] for each in rounds]

        def median(key: str, runs: list[dict[str, float]] = runs) -> float:
            return statistics.median(run[key] for run in runs)

        figures = {key: median(key) for key in MEDIANS}
        summary[name] = figures | {
            "errors": sum(run["errors"] for run in runs),
            "pass": figures["ratio"] >= TARGET_RATIO
            and figures["p99_ms"] < TARGET_P99_MS,
            "each_round": runs,
        }
    return summary


# -- the report --------------------------------------------------------------


def print_table(summary: dict[str, Any]) -> None:
    """One line per target, as in the README."""
    print(
        f"{'target':<21}{'per s':>7}{'/ minimal':>10}{'p50 ms':>8}{'p99 ms':>8}", end=""
    )
    print(f"{'errors':>7}{'CPU: server':>12}{'client':>7}{'other':>6}")
    for name, figures in summary.items():
        print(
            f"{name:<21}{figures['per_second']:>7.0f}{figures['ratio']:>10.2f}"
            f"{figures['p50_ms']:>8.1f}{figures['p99_ms']:>8.1f}{figures['errors']:>7}"
            f"{figures['server_cores']:>12.2f}{figures['client_cores']:>7.2f}"
            f"{figures['other_cores']:>6.2f}"
            f"  {'PASS' if figures['pass'] else 'FAIL'}"
        )
    print(f"target: >= {TARGET_RATIO} x the minimal page's requests/s, p99 < ", end="")
    print(f"{TARGET_P99_MS:.0f} ms; CPU in cores busy (of {os.cpu_count()})")
    for name, figures in summary.items():
        if name != MINIMAL:
            ratios = " ".join(f"{run['ratio']:.2f}" for run in figures["each_round"])
            print(f"{name} / minimal page in each round: {ratios}")


def arguments() -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=EVENTS)
    parser.add_argument("--store", type=Path, help="keep the generated store here")
    parser.add_argument("--tmpdir", type=Path, help="where a store not kept goes")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--clients", type=int, default=CLIENTS)
    # Whole seconds: wrk takes no fractions.
    parser.add_argument("--seconds", type=int, default=SECONDS)
    parser.add_argument("--warmup", type=int, default=WARMUP)
    parser.add_argument("--repeat", type=int, default=REPEAT)
    parser.add_argument("--sample", type=int, default=SAMPLE, help="case pages")
    parser.add_argument(
        "--client",
        choices=["wrk", "python"],
        default="wrk" if shutil.which("wrk") else "python",
    )
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 2)
    return parser.parse_args()


def main() -> None:
    """Prepare the store, serve both apps, load each page, print and write."""
    args = arguments()
    client = wrk_client(args.threads) if args.client == "wrk" else run_python
    with tempfile.TemporaryDirectory(dir=args.tmpdir) as tmp:
        home = (args.store or Path(tmp, "store")).resolve()
        history = prepared_store(home, args.events)
        cases, references = prepared_site(home, args.sample)
        wanted = targets(references)
        env = {k: v for k, v in os.environ.items() if k != "TRACKER_DB"}
        env["TRACKER_HOME"] = str(home)
        servers = {
            app: Gunicorn(app, args.workers, env, Path(tmp, f"gunicorn-{n}.log"))
            for n, app in enumerate((TRACKER_APP, MINIMAL_APP))
        }
        try:
            for server in servers.values():
                server.wait_until_serving("/")
            cookie = servers[TRACKER_APP].sign_in(USERNAME, PASSWORD)
            check_pages(servers[TRACKER_APP], cookie, wanted)
            print(
                f"{cases:,} cases; {args.workers} gunicorn workers, {args.clients} "
                f"clients ({args.client}), {args.seconds:g} s each after "
                f"{args.warmup:g} s of warm-up, {args.repeat} rounds",
                flush=True,
            )
            rounds = []
            for turn in range(args.repeat):
                order = wanted[turn % len(wanted) :] + wanted[: turn % len(wanted)]
                print(f"round {turn + 1} of {args.repeat}:", flush=True)
                rounds.append(one_round(servers, cookie, order, client, args))
        finally:
            for server in servers.values():
                server.stop()
    summary = summarise(rounds)
    print_table(summary)
    write_results(args, history, cases, len(references), summary)


def write_results(
    args: argparse.Namespace,
    history: dict[str, Any],
    cases: int,
    sampled: int,
    summary: dict[str, Any],
) -> None:
    """The figures, the arguments and the machine, as JSON under results/."""
    figures = {
        "arguments": sys.argv[1:],
        "options": {
            k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()
        },
        "history": history,
        "cases": cases,
        "case_pages_sampled": sampled,
        "cpus": os.cpu_count(),
        "python": sys.version.split()[0],
        "gunicorn": version("gunicorn"),
        "flask": version("flask"),
        "targets": {
            "throughput": f">= {TARGET_RATIO} x {MINIMAL}",
            "p99": f"< {TARGET_P99_MS} ms",
        },
        "pages": summary,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"web-{time.strftime('%Y%m%dT%H%M%S')}.json"
    path.write_text(json.dumps(figures, indent=2) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
