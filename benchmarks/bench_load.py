"""Fifty sessions for minutes on a served store: errors, throughput, p99, lag.

A fresh store (SQLite; a throw-away PostgreSQL database with --store
postgresql) gets the demo's seven forums (`tracker demo --seed 1`) and an
account for each of the load's people; `tracker serve` serves it and
`tracker projections run` keeps its views caught up, as deployed. Then
--sessions sessions at once (people signed in at browsers, programs with
API tokens: `load_sessions`) run their errands, reads and writes, with a
pause of --think seconds on average after each, for --seconds. The
baseline, in the same run: the same sessions' errands taken by one client
at a time, without pauses (the same mix, nobody else waiting), for
--baseline seconds, half before the load and half after it. At the end,
every write answered as done is looked for in the store.

Run from the project root:  .venv/bin/python -m benchmarks.bench_load
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from benchmarks.gunicorn_process import (
    SECOND_FACTOR,
    Background,
    Gunicorn,
    machine_busy_seconds,
    projection_worker,
    tracker_serve,
)
from benchmarks.load_clients import FORK_SECONDS, ClientProcesses, Plan, Tally
from benchmarks.load_report import figures, print_report, write_json
from benchmarks.load_sessions import Session, drive
from benchmarks.served_store import (
    PASSWORD,
    LagSampler,
    caught_up,
    database_processes,
    postgres_unreachable,
    throwaway_database,
    tracker_command,
)
from projections.case_queries import CaseFilter, find_cases
from projections.views import open_views
from tracker.application import open_tracker
from tracker.config import Settings
from tracker.demo import FORUM_COMMUNITIES
from tracker.second_factor import SecondFactorKey

SESSIONS, API_SESSIONS = 50, 15
SECONDS, BASELINE, THINK = 180, 30, 1.0
WORKERS, POLL = 2, 0.5  # as deployed: docker-compose.yml's web and worker
SEED = 1
FORUMS = tuple(FORUM_COMMUNITIES)
# The people at browsers take these roles in turn, the programs these.
WEB_ROLES = ("secretary", "advocate", "viewer", "secretary", "coordinator")
API_ROLES = ("secretary", "advocate")


@dataclass
class Measured:
    """One phase of load: what the sessions saw, how long, the CPU it took."""

    tally: Tally
    seconds: float
    cpu: dict[str, float]  # web, worker, database, client, other: seconds
    lags: list[tuple[float, int, int]] = field(default_factory=list)

    def add(self, other: Measured) -> None:
        """Count another phase of the same kind in this one (the baseline's halves)."""
        self.tally.merge(other.tally)
        self.seconds += other.seconds
        self.cpu = {k: self.cpu[k] + other.cpu[k] for k in self.cpu}


# -- the store and its people -------------------------------------------------


@contextmanager
def store_environment(store: str, tmp: Path) -> Iterator[dict[str, str]]:
    """The environment of a fresh store: a new home, a throw-away database."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    env["TRACKER_HOME"] = str(tmp / store)
    if store == "sqlite":
        yield env
        return
    with throwaway_database("bench_load") as url:
        yield env | {"TRACKER_DB": url}


def people(env: dict[str, str], web: int, programs: int) -> list[Session]:
    """An account for each session (a token for each program), made in the store."""
    settings = Settings.from_environment(env)
    tracker = open_tracker(settings)
    sessions = []
    for n in range(web + programs):
        role = WEB_ROLES[n % len(WEB_ROLES)] if n < web else API_ROLES[n % 2]
        forums = (FORUMS[n % len(FORUMS)],) if role == "secretary" else ()
        username = f"load-{role}-{n}"
        account_id = tracker.create_account(
            actor="bench_load", username=username, password=PASSWORD, role=role,
            municipalities=forums,
        )  # fmt: skip
        session = Session(username, role, forums or FORUMS)
        if n >= web:
            session.token = tracker.issue_token(
                account_id, actor="bench_load", label="bench_load"
            ).token
        elif tracker.account(username).needs_second_factor:
            sealed = SecondFactorKey(settings.second_factor_key_path).seal(
                SECOND_FACTOR, account_id
            )
            tracker.enrol_second_factor(
                account_id, actor="bench_load", sealed_secret=sealed
            )
        sessions.append(session)
    tracker.close()
    return sessions


def listed_cases(env: dict[str, str]) -> int:
    """How many cases the views list (caught up to the last event first)."""
    settings = Settings.from_environment(env)
    tracker = open_tracker(settings)
    views = open_views(tracker, settings)
    try:
        with views.reading() as c:
            return find_cases(c, CaseFilter(), today=date.today(), per_page=1).total
    finally:
        views.close()
        tracker.close()


def check_writes(env: dict[str, str], tally: Tally, marker: str) -> dict[str, int]:
    """Every write answered as done, looked for in the store's events.

    `found` counts the answered writes the cases hold (marked with this
    run's `marker`); `beyond`, marked writes held beyond those answered
    (a write whose answer was an error, yet it was saved).
    """
    tracker = open_tracker(Settings.from_environment(env))
    figures = dict.fromkeys(("answered", "found", "missing", "beyond"), 0)
    for reference in {*tally.notes, *tally.actions, *tally.new_cases}:
        case = tracker.case(reference)
        held = sum(marker in (note.text or "") for note in case.notes) + sum(
            marker in action.description for action in case.actions
        )
        wanted = tally.notes[reference] + tally.actions[reference]
        if reference in tally.new_cases:
            held, wanted = held + (marker in case.description), wanted + 1
        figures["answered"] += wanted
        figures["found"] += min(held, wanted)
        figures["missing"] += max(0, wanted - held)
        figures["beyond"] += max(0, held - wanted)
    tracker.close()
    return figures


# -- one phase ----------------------------------------------------------------


def phase(
    server: Gunicorn, worker: Background, groups: list[list[Session]],
    seconds: float, think: float, marker: str, database: str | None,
) -> Measured:  # fmt: skip
    """The groups' threads running errands for `seconds`; the lag read meanwhile."""
    start, seed = time.monotonic() + FORK_SECONDS, secrets.randbelow(2**31)
    plan = Plan(server.port, start, seconds, think, marker, seed)
    clients = ClientProcesses(groups, drive, plan)
    time.sleep(max(0.0, plan.start - time.monotonic()))
    backends = database_processes(database) if database else {}
    before = server.cpu_seconds(), worker.cpu_seconds(), machine_busy_seconds()
    sampler = LagSampler(server.port)
    sampler.start()
    tally, client_cpu = clients.finish()
    lags = sampler.stop()
    used = [
        server.cpu_seconds() - before[0],
        worker.cpu_seconds() - before[1],
        sum(
            spent - backends.get(pid, 0.0)
            for pid, spent in (database_processes(database) if database else {}).items()
        ),
        client_cpu,
    ]
    busy = machine_busy_seconds() - before[2]
    server.ensure_running()
    worker.ensure_running()
    cpu = dict(zip(("web", "worker", "database", "client"), used, strict=True))
    return Measured(
        tally,
        max(seconds, tally.ended - plan.start),
        cpu | {"other": busy - sum(used)},
        lags,
    )


def run(args: argparse.Namespace, env: dict[str, str]) -> dict[str, Any]:
    """Seed, serve, load and check the store; the figures."""
    home, began = Path(env["TRACKER_HOME"]), time.monotonic()
    tracker_command(env, "init")
    tracker_command(env, "demo", "--seed", str(SEED))
    web = args.sessions - args.api_sessions
    sessions = people(env, web, args.api_sessions)
    print(f"demo and accounts: {time.monotonic() - began:.0f} s", flush=True)
    marker, database = f"load-{secrets.token_hex(3)}", env.get("TRACKER_DB")
    serve = ("tracker serve", args.workers, env, home / "serve.log")
    with (
        projection_worker(env, home / "worker.log", args.poll) as worker,
        Gunicorn(*serve, command=tracker_serve) as server,
    ):
        server.wait_until_serving("/healthz")
        for session in sessions[:web]:
            session.cookie = server.sign_in(session.username, PASSWORD)
        caught_up(server.port, time.monotonic())
        demo_cases = listed_cases(env)
        print(
            f"{demo_cases} cases; {len(sessions)} sessions signed in "
            f"({time.monotonic() - began:.0f} s from the start)",
            flush=True,
        )
        alone = (server, worker, [sessions], args.baseline / 2, 0.0, marker, database)
        baseline = phase(*alone)
        print("baseline, first half: done; the load ...", flush=True)
        groups = [[session] for session in sessions]
        load = phase(server, worker, groups, args.seconds, args.think, marker, database)
        catch_up = caught_up(server.port, load.tally.ended)
        print("the load: done; baseline, second half ...", flush=True)
        baseline.add(phase(*alone))
        caught_up(server.port, time.monotonic())
        every = Tally()
        for tally in (baseline.tally, load.tally):
            every.merge(tally)
        written = check_writes(env, every, marker)
        listed = listed_cases(env)
    lags = [lag for _, _, lag in load.lags]
    return {
        "baseline": shown(baseline),
        "load": shown(load)
        | {
            "lag_max": max(lags),
            "lag_mean": statistics.fmean(lags),
            "caught_up_seconds": catch_up,
            "lag_samples": load.lags,
        },
        "check": written
        | {
            "cases_listed": listed,
            "cases_before": demo_cases,
            "new_cases": len(every.new_cases),
        },
    }


def shown(measured: Measured) -> dict[str, Any]:
    """A phase's figures, its CPU as cores busy on average."""
    cores = {k: v / measured.seconds for k, v in measured.cpu.items()}
    return figures(measured.tally, measured.seconds) | {"cores": cores}


def arguments() -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--sessions", type=int, default=SESSIONS)
    parser.add_argument(
        "--api-sessions", type=int, default=API_SESSIONS, help="of --sessions"
    )
    parser.add_argument("--seconds", type=float, default=SECONDS, help="of load")
    parser.add_argument(
        "--baseline", type=float, default=BASELINE, help="seconds of 1 session"
    )
    parser.add_argument(
        "--think", type=float, default=THINK, help="mean pause after an errand, s"
    )
    parser.add_argument("--workers", type=int, default=WORKERS, help="gunicorn's")
    parser.add_argument("--poll", type=float, default=POLL, help="the SQLite worker's")
    parser.add_argument("--json", type=Path, help="write the figures here too")
    parser.add_argument("--tmpdir", type=Path, help="where the store goes")
    args = parser.parse_args()
    if not 0 <= args.api_sessions <= args.sessions:
        parser.error("--api-sessions must be between 0 and --sessions")
    if args.seconds <= 0 or args.baseline <= 0:
        parser.error("--seconds and --baseline must be more than 0")
    return args


def main() -> None:
    """Serve a fresh store, load it, check it, print the figures (and JSON)."""
    args = arguments()
    if args.store == "postgresql" and (why := postgres_unreachable()):
        sys.exit(f"PostgreSQL cannot be used: {why}")
    print(
        f"{args.sessions} sessions ({args.api_sessions} through the API) on a fresh "
        f"{args.store} store, {args.seconds:g} s, pauses of {args.think:g} s on "
        f"average; baseline: 1 session, {args.baseline:g} s",
        flush=True,
    )
    started = datetime.now().isoformat(timespec="seconds")
    with (
        tempfile.TemporaryDirectory(dir=args.tmpdir) as tmp,
        store_environment(args.store, Path(tmp)) as env,
    ):
        figures = run(args, env)
    print_report(figures)
    if args.json:
        write_json(args.json, args, started, figures)


if __name__ == "__main__":
    main()
