"""`tracker serve --workers 2`: /metrics from any worker counts every worker's requests.

The server runs as an operator starts it, in processes of its own. Which
worker answered each request is read from gunicorn's access log (each line
begins with the worker's process id), apart from /metrics: the two must
agree.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from benchmarks.gunicorn_process import children, free_port
from tests.web.prometheus_text import Scrape
from web.serve import METRICS_DIR, MULTIPROCESS_DIR, metrics_folder, prepare_metrics

STARTUP_SECONDS = 120
# Requests sent at once: more than one worker must take some of them.
AT_ONCE = 8
_ANSWERED = re.compile(r'^<(\d+)> .*"GET /healthz HTTP/1\.1" 200 ', re.MULTILINE)


class Server:
    """`tracker serve` on a free port, with its log."""

    def __init__(self, home: Path, workers: int) -> None:
        self.port, self.log = free_port(), home.parent / "serve.log"
        environ = {
            name: value
            for name, value in os.environ.items()
            if name not in ("TRACKER_DB", METRICS_DIR, MULTIPROCESS_DIR)
        }
        environ["TRACKER_HOME"] = str(home)
        tracker = (sys.executable, "-m", "tracker")
        subprocess.run([*tracker, "init"], env=environ, check=True, capture_output=True)
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                [
                    *tracker,
                    "serve",
                    "--workers",
                    str(workers),
                    "--port",
                    str(self.port),
                ],
                env=environ,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def get(self, path: str) -> tuple[int, str]:
        """One GET request: its status and body."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            return response.status, response.read().decode()
        finally:
            connection.close()

    def scrape(self) -> Scrape:
        """/metrics, from whichever worker takes the request."""
        status, text = self.get("/metrics")
        assert status == 200, text
        return Scrape(text)

    def healthz_at_once(self) -> int:
        """Ask /healthz AT_ONCE times together; how many were asked."""
        with ThreadPoolExecutor(AT_ONCE) as pool:
            statuses = list(pool.map(lambda _: self.get("/healthz")[0], range(AT_ONCE)))
        assert statuses == [200] * AT_ONCE
        return AT_ONCE

    def answered_by(self) -> Counter[int]:
        """How many /healthz requests each worker answered, by its process id."""
        return Counter(int(pid) for pid in _ANSWERED.findall(self.log.read_text()))

    def workers(self) -> set[int]:
        """The worker processes running now."""
        return set(children(self.process.pid))

    def wait_for(self, condition: Callable[[], bool], what: str) -> None:
        """Wait until `condition` holds; fail with the log if the server stops."""
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                if condition():
                    return
            except OSError:  # not listening yet
                pass
            time.sleep(0.2)
        pytest.fail(f"{what} did not happen:\n{self.log.read_text()[-3000:]}")

    def stop(self) -> None:
        """Stop the master and its workers."""
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    """Two workers on a new store, serving."""
    started = Server(tmp_path / "home", workers=2)
    try:
        started.wait_for(
            lambda: started.scrape().value("tracker_web_workers") == 2,
            "both workers building their app",
        )
        yield started
    finally:
        started.stop()


def healthz_counted(scrape: Scrape) -> float:
    """/healthz requests answered, as /metrics adds them up."""
    return scrape.total("tracker_http_requests_total", route="/healthz")


@pytest.mark.slow
def test_metrics_from_any_worker_count_the_requests_of_every_worker(
    server: Server,
) -> None:
    made = 0
    while len(server.answered_by()) < 2 and made < 100 * AT_ONCE:
        made += server.healthz_at_once()
    # Each worker writes its access log line just after answering.
    server.wait_for(lambda: sum(server.answered_by().values()) == made, "logging")
    by_worker = server.answered_by()
    assert set(by_worker) == server.workers()  # both answered, none else
    for _ in range(2 * AT_ONCE):  # whichever worker answers, the same sum
        assert healthz_counted(server.scrape()) == made

    # A worker dies: a new one takes its place; the counts stay, and the
    # dead one stops counting as a worker (gunicorn's child_exit hook).
    gone = min(by_worker)
    os.kill(gone, signal.SIGKILL)
    server.wait_for(lambda: len(server.workers() - set(by_worker)) == 1, "a new worker")
    (new,) = server.workers() - set(by_worker)
    while new not in server.answered_by() and made < 200 * AT_ONCE:
        made += server.healthz_at_once()
    server.wait_for(lambda: sum(server.answered_by().values()) == made, "logging")
    scrape = server.scrape()
    assert scrape.value("tracker_web_workers") == 2
    assert healthz_counted(scrape) == made


def test_the_metrics_folder_is_named_by_the_environment(tmp_path: Path) -> None:
    home = {"TRACKER_HOME": str(tmp_path / "home")}
    assert metrics_folder(home) == tmp_path / "home" / "metrics"
    named = {**home, METRICS_DIR: str(tmp_path / "counts")}
    assert metrics_folder(named) == tmp_path / "counts"


def test_serving_starts_the_counts_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(MULTIPROCESS_DIR, "")  # put back as it was after the test
    folder = tmp_path / "metrics"
    folder.mkdir()
    (folder / "counter_12345.db").write_bytes(b"an earlier run's counts")
    (folder / "README").write_text("not ours")
    prepare_metrics(folder)
    assert sorted(p.name for p in folder.iterdir()) == ["README"]
    assert os.environ[MULTIPROCESS_DIR] == str(folder)
