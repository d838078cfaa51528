"""The clients of `bench_web`: N connections asking for pages as fast as answered.

Each client sends a request, waits for the whole response, and sends the
next (a closed loop, as a browser would), for a fixed time. Two ways to
drive them, chosen by `bench_web --client`:

* `wrk` (C, event loop, `wrk_paths.lua` rotating through the paths), when
  installed: little CPU per request, so it takes little from the server;
* Python: processes of threads with `http.client` connections, when wrk is
  not there; it spends several times wrk's CPU per request, CPU the server
  then lacks on a small machine.

Both report the CPU time the client used, from `RUSAGE_CHILDREN` once the
client processes have ended. The Python clients can also send a command
(`Load.method`, `bodies`, `headers`: `bench_serving` posts new cases), and
say when the last answer came (`LoadResult.ended`).
"""

from __future__ import annotations

import http.client
import json
import multiprocessing
import os
import resource
import statistics
import subprocess  # nosec B404
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

LUA = Path(__file__).with_name("wrk_paths.lua")


@dataclass(frozen=True)
class Load:
    """What the clients ask for: where, which paths, with which cookie."""

    port: int
    paths: tuple[str, ...]
    cookie: str
    clients: int
    seconds: float
    # A command instead of a page (the Python clients only): say POST, what
    # each client sends with every request (client i: bodies[i % len]), and
    # headers such as a bearer token.
    method: str = "GET"
    bodies: tuple[bytes, ...] = ()
    headers: tuple[tuple[str, str], ...] = ()

    def request_headers(self) -> dict[str, str]:
        """The headers every request carries: the cookie if any, then the others."""
        return ({"Cookie": self.cookie} if self.cookie else {}) | dict(self.headers)


@dataclass(frozen=True)
class LoadResult:
    """What one load run measured."""

    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    not_2xx: int
    socket_errors: int
    client_cpu_seconds: float
    # time.monotonic() when the last client had its last answer (0: not known).
    ended: float = 0.0

    @property
    def per_second(self) -> float:
        """Responses per second."""
        return self.requests / self.seconds


Client = Callable[[Load], LoadResult]


def children_cpu_seconds() -> float:
    """CPU time of every ended child process so far (user + system)."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


# -- wrk ---------------------------------------------------------------------


def wrk_client(threads: int) -> Client:
    """A client that runs wrk with this many threads."""

    def run(load: Load) -> LoadResult:
        return run_wrk(load, threads)

    return run


def run_wrk(load: Load, threads: int) -> LoadResult:
    """One wrk run over the paths, its JSON summary read back."""
    with tempfile.NamedTemporaryFile("w", suffix=".paths") as listed:
        listed.write("\n".join(load.paths) + "\n")
        listed.flush()
        cpu_before = children_cpu_seconds()
        finished = subprocess.run(  # nosec B603
            [
                *("wrk", f"-t{min(threads, load.clients)}", f"-c{load.clients}"),
                *(f"-d{load.seconds:g}s", "--timeout", "30s", "-s", str(LUA)),
                *("-H", f"Cookie: {load.cookie}", f"http://127.0.0.1:{load.port}"),
            ],
            env=os.environ | {"BENCH_PATHS": listed.name},
            capture_output=True,
            text=True,
            check=True,
        )
        cpu = children_cpu_seconds() - cpu_before
    ended = time.monotonic()
    summary = json.loads(finished.stdout.strip().splitlines()[-1])
    return LoadResult(
        requests=summary["requests"],
        seconds=summary["duration_us"] / 1e6,
        p50_ms=summary["p50_us"] / 1000,
        p99_ms=summary["p99_us"] / 1000,
        not_2xx=summary["not_2xx"],
        socket_errors=summary["socket_errors"] + summary["timeouts"],
        client_cpu_seconds=cpu,
        ended=ended,
    )


# -- Python ------------------------------------------------------------------


def run_python(load: Load) -> LoadResult:
    """Processes (one a CPU) of threads, `load.clients` connections in all."""
    processes = max(1, min(load.clients, os.cpu_count() or 1))
    shares = [
        load.clients // processes + (i < load.clients % processes)
        for i in range(processes)
    ]
    cpu_before = children_cpu_seconds()
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        tallies = pool.starmap(
            _clients,
            [(load, share, sum(shares[:i])) for i, share in enumerate(shares)],
        )
        pool.close()
        pool.join()
    latencies = [ms for tally in tallies for ms in tally.latencies]
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return LoadResult(
        requests=len(latencies),
        # Every client stops at the deadline, after its last answer.
        seconds=load.seconds,
        p50_ms=cuts[49],
        p99_ms=cuts[98],
        not_2xx=sum(tally.not_2xx for tally in tallies),
        socket_errors=sum(tally.socket_errors for tally in tallies),
        client_cpu_seconds=children_cpu_seconds() - cpu_before,
        ended=max(tally.ended for tally in tallies),
    )


@dataclass
class Tally:
    """What some clients saw: each answer's latency (ms), the failures."""

    latencies: list[float] = field(default_factory=list)
    not_2xx: int = 0
    socket_errors: int = 0
    # time.monotonic() (the same clock in every process) of the last answer.
    ended: float = 0.0

    def add(self, other: Tally) -> None:
        """Count another tally in this one."""
        self.latencies += other.latencies
        self.not_2xx += other.not_2xx
        self.socket_errors += other.socket_errors
        self.ended = max(self.ended, other.ended)


def _clients(load: Load, count: int, first: int) -> Tally:
    """`count` client threads in this process, numbered from `first`."""
    deadline = time.monotonic() + load.seconds
    tallies = [Tally() for _ in range(count)]
    threads = [
        threading.Thread(target=_client, args=(load, first + i, deadline, tally))
        for i, tally in enumerate(tallies)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    total = Tally()
    for tally in tallies:
        total.add(tally)
    return total


def _client(load: Load, number: int, deadline: float, tally: Tally) -> None:
    """One connection asking for the paths in turn until the deadline."""
    connection = http.client.HTTPConnection("127.0.0.1", load.port, timeout=30)
    following = number * 7919
    headers = load.request_headers()
    body = load.bodies[number % len(load.bodies)] if load.bodies else None
    while time.monotonic() < deadline:
        path = load.paths[following % len(load.paths)]
        following += 1
        started = time.perf_counter()
        try:
            connection.request(load.method, path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
        except (OSError, http.client.HTTPException):
            tally.socket_errors += 1
            connection.close()
            continue
        tally.latencies.append((time.perf_counter() - started) * 1000)
        tally.not_2xx += not 200 <= response.status < 300
    tally.ended = time.monotonic()
    connection.close()
