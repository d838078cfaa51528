"""`bench_load`'s clients: requests timed and judged, in threads of processes.

Every request is of one kind (`KINDS`): a page read in a browser, a form
sent from one, a read or a write through the API. Its answer is compared
with the status the request expects (200 for a read, 302 to the next page
for a form, 201 for an API write); anything else, or no answer at all, is
an error, except a conflict: the case changed between reading it and
writing to it (409 on the web, 412 for an API If-Match), which is the
answer the tracker owes a concurrent change.

Answer times are kept in buckets 1% wide (`Latencies`), so memory stays
bounded however long the load runs, and the tallies of the clients'
processes (`ClientProcesses`, a thread per group of sessions) merge.
"""

from __future__ import annotations

import http.client
import math
import multiprocessing
import os
import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar
from urllib.parse import urlsplit

from benchmarks.web_load import children_cpu_seconds

READ_PAGE, WRITE_FORM, API_READ, API_WRITE = KINDS = (
    *("read page", "write form", "API read", "API write"),
)
CONFLICTS = {WRITE_FORM: (409,), API_WRITE: (412,)}
TIMEOUT = 60  # seconds an answer may take
FORK_SECONDS = 1.0  # from forking the clients' processes to their first request
G = TypeVar("G")  # what one client thread is given: a group of sessions


class Latencies:
    """Answer times in buckets 1% wide, from 0.1 ms up: percentiles within 1%."""

    STEP = math.log(1.01)
    FLOOR_MS = 0.1

    def __init__(self) -> None:
        self.buckets: Counter[int] = Counter()

    def add(self, ms: float) -> None:
        """Count one answer time."""
        ratio = max(ms, self.FLOOR_MS) / self.FLOOR_MS
        self.buckets[int(math.log(ratio) / self.STEP)] += 1

    def merge(self, other: Latencies) -> None:
        """Count another's answer times too."""
        self.buckets.update(other.buckets)

    @property
    def count(self) -> int:
        """How many answers were timed."""
        return sum(self.buckets.values())

    def percentile(self, share: float) -> float | None:
        """The time (ms, its bucket's middle) within which `share` of answers came."""
        wanted, seen = share * self.count, 0
        for bucket in sorted(self.buckets):
            seen += self.buckets[bucket]
            if seen >= wanted:
                return self.FLOOR_MS * math.exp((bucket + 0.5) * self.STEP)
        return None


def merged(each: list[Latencies]) -> Latencies:
    """The answer times of several kinds together."""
    total = Latencies()
    for latencies in each:
        total.merge(latencies)
    return total


@dataclass
class Tally:
    """What some sessions saw: times and failures per kind, what they wrote."""

    latencies: dict[str, Latencies] = field(
        default_factory=lambda: {kind: Latencies() for kind in KINDS}
    )
    requests: Counter[str] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)  # "kind: what"
    conflicts: Counter[str] = field(default_factory=Counter)
    # Writes answered as expected: how many of each kind, and what they wrote
    # (a case's reference: how many notes, how many actions; new cases).
    writes: Counter[str] = field(default_factory=Counter)
    notes: Counter[str] = field(default_factory=Counter)
    actions: Counter[str] = field(default_factory=Counter)
    new_cases: list[str] = field(default_factory=list)
    ended: float = 0.0  # time.monotonic() of the last answer

    def merge(self, other: Tally) -> None:
        """Count another tally in this one."""
        for kind in KINDS:
            self.latencies[kind].merge(other.latencies[kind])
        for name in ("requests", "errors", "conflicts", "writes", "notes", "actions"):
            getattr(self, name).update(getattr(other, name))
        self.new_cases += other.new_cases
        self.ended = max(self.ended, other.ended)

    def failed(self, kind: str, what: str) -> None:
        """Count an error of this kind: an unexpected status, or no answer."""
        self.errors[f"{kind}: {what}"] += 1

    def errors_of(self, kind: str) -> int:
        """How many requests of this kind had an error."""
        return sum(n for name, n in self.errors.items() if name.startswith(kind + ":"))


@dataclass(frozen=True)
class Plan:
    """Where the sessions go, when, for how long, and how they mark what they write."""

    port: int
    start: float  # time.monotonic()
    seconds: float
    think: float  # mean seconds between two errands of a session
    marker: str
    seed: int  # of the phase; each thread's choices are seeded from it


# A client thread's work: given its group, the plan and a seed, its tally.
Drive = Callable[[G, Plan, int], Tally]


@dataclass(frozen=True)
class Answer:
    """An answer as expected: the headers used, and its body."""

    location: str
    etag: str
    body: str


class Client:
    """One thread's requests: each timed, judged and counted in its tally."""

    def __init__(
        self, port: int, marker: str, tally: Tally, rng: random.Random
    ) -> None:
        self.port, self.marker, self.tally, self.rng = port, marker, tally, rng
        self.written = 0

    def ask(
        self,
        kind: str,
        path: str,
        headers: dict[str, str],
        body: bytes | None = None,
        expected: int = 200,
    ) -> Answer | None:
        """Send one request (POST with a body); its answer if it was `expected`."""
        self.tally.requests[kind] += 1
        port, method = self.port, "POST" if body is not None else "GET"
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
        started = time.perf_counter()
        try:
            connection.request(method, path, body, headers | {"Connection": "close"})
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException) as failure:
            self.tally.failed(kind, type(failure).__name__)
            return None
        finally:
            connection.close()
        self.tally.latencies[kind].add((time.perf_counter() - started) * 1000)
        self.tally.ended = time.monotonic()
        location = response.getheader("Location") or ""
        if response.status == expected:
            return Answer(location, response.getheader("ETag") or "", text)
        if response.status in CONFLICTS.get(kind, ()):
            self.tally.conflicts[kind] += 1
        else:  # a redirect to the sign-in page says the session was lost
            self.tally.failed(kind, f"{response.status} {urlsplit(location).path}")
        return None

    def text(self, what: str) -> str:
        """Words to write, marked for the check: `what (marker n)`."""
        self.written += 1
        return f"{what} ({self.marker} {self.written})"


class ClientProcesses(Generic[G]):
    """Threads (one per group of sessions) in a process per CPU, forked at once.

    Each thread runs `drive(group, plan, seed)` and returns its tally; they
    start together at `plan.start`, and `finish` merges what they saw.
    """

    def __init__(self, groups: list[G], drive: Drive[G], plan: Plan) -> None:
        count = max(1, min(len(groups), os.cpu_count() or 1))
        self.plan = plan
        context = multiprocessing.get_context("fork")
        self.results: multiprocessing.Queue[Tally] = context.Queue()
        self.cpu_before = children_cpu_seconds()
        self.processes = [
            context.Process(
                target=_threads,
                args=(groups[n::count], drive, plan, n, self.results),
            )
            for n in range(count)
        ]
        for process in self.processes:
            process.start()

    def finish(self) -> tuple[Tally, float]:
        """What every thread saw, and the CPU seconds the clients' processes used."""
        tally = Tally()
        end = self.plan.start + self.plan.seconds + 2 * TIMEOUT
        for _ in self.processes:
            tally.merge(self.results.get(timeout=max(1.0, end - time.monotonic())))
        for process in self.processes:
            process.join()
        return tally, children_cpu_seconds() - self.cpu_before


def _threads(
    groups: list[G],
    drive: Drive[G],
    plan: Plan,
    number: int,
    results: multiprocessing.Queue[Tally],
) -> None:
    """In a client process: a thread per group; their tallies merged and sent back."""
    tallies = [Tally() for _ in groups]

    def run(n: int) -> None:
        """One thread: its group driven, its tally kept."""
        tallies[n] = drive(groups[n], plan, plan.seed + number * 1_000 + n)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(groups))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for tally in tallies[1:]:
        tallies[0].merge(tally)
    results.put(tallies[0] if tallies else Tally())
