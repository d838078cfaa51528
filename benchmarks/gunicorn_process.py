"""A gunicorn serving one app for `bench_web`: started, signed in to, measured.

Both the tracker and the minimal page are served by the same command
(`gunicorn -w W -b 127.0.0.1:PORT APP`), each in a process group of its
own, and stopped at the end. The CPU time the server spends (master and
workers, read from /proc) is measured beside each load run, so the report
can say how the two cores were shared between the server and the client.
"""

from __future__ import annotations

import http.client
import os
import random
import re
import signal
import socket
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

STARTUP_SECONDS = 120
# Below Linux's usual ephemeral ports (32768-60999), which clients' connections use.
PORTS = (20_000, 32_000)
_GIVEN: set[int] = set()
_TICKS = os.sysconf("SC_CLK_TCK")
_CSRF = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"')


class Gunicorn:
    """One gunicorn process tree serving `app` on a free local port."""

    def __init__(self, app: str, workers: int, env: dict[str, str], log: Path):
        self.app, self.workers, self.port = app, workers, free_port()
        self.log = log
        with log.open("wb") as out:
            self.process = subprocess.Popen(
                [
                    *(sys.executable, "-m", "gunicorn", "-w", str(workers)),
                    *("-b", f"127.0.0.1:{self.port}", app),
                ],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def url(self, path: str) -> str:
        """The full URL of a path on this server."""
        return f"http://127.0.0.1:{self.port}{path}"

    def wait_until_serving(self, path: str) -> None:
        """Return once a request for `path` is answered (any status)."""
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                self.get(path)
                return
            except OSError:
                time.sleep(0.2)
        self.stop()
        sys.exit(f"gunicorn {self.app} did not start:\n{self.log_tail()}")

    def get(self, path: str, cookie: str = "") -> tuple[int, str]:
        """One GET request: its status and body."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(
                "GET", path, headers={"Cookie": cookie} if cookie else {}
            )
            response = connection.getresponse()
            return response.status, response.read().decode("utf-8", "replace")
        finally:
            connection.close()

    def sign_in(self, username: str, password: str) -> str:
        """Sign in through the login form; the `Cookie` header to send after."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request("GET", "/login")
            response = connection.getresponse()
            found = _CSRF.search(response.read().decode())
            cookie = _session_cookie(response.getheader("Set-Cookie") or "")
            if found is None:
                sys.exit("the login page has no csrf_token")
            form = {"username": username, "password": password}
            connection.request(
                "POST",
                "/login",
                body=urlencode(form | {"csrf_token": found.group(1)}),
                headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Cookie": cookie,
                },
            )
            response = connection.getresponse()
            response.read()
        finally:
            connection.close()
        if response.status != 302:
            sys.exit(f"signing in answered {response.status}, not a redirect")
        return _session_cookie(response.getheader("Set-Cookie") or "")

    def ensure_running(self) -> None:
        """Stop the benchmark, showing gunicorn's last words, if it has exited.

        gunicorn stops altogether when a worker fails to boot.
        """
        if self.process.poll() is not None:
            print(self.log_tail(60), file=sys.stderr)
            sys.exit(f"gunicorn {self.app} exited ({self.process.returncode}), above")

    def log_tail(self, lines: int = 20) -> str:
        """The last lines gunicorn wrote (its log goes when the run ends)."""
        return "\n".join(self.log.read_text().splitlines()[-lines:])

    def cpu_seconds(self) -> float:
        """CPU time (user + system) of the master and its workers so far."""
        pids = [self.process.pid, *children(self.process.pid)]
        return sum(cpu_seconds(pid) for pid in pids)

    def stop(self) -> None:
        """Stop the master and its workers, and wait for them."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def _session_cookie(set_cookie: str) -> str:
    """`session=...` from a Set-Cookie header, ready for a Cookie header."""
    parsed: SimpleCookie = SimpleCookie()
    parsed.load(set_cookie)
    if "session" not in parsed:
        sys.exit("the server set no session cookie")
    return f"session={parsed['session'].value}"


def free_port() -> int:
    """A local TCP port nobody listens on, below the kernel's ephemeral range.

    Not one the kernel hands out (bind to port 0): until gunicorn binds it,
    the kernel could give it again, to the other server or as the source
    port of a client's connection.
    """
    while True:
        port = random.randrange(*PORTS)
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        if port not in _GIVEN:
            _GIVEN.add(port)
            return port


def children(pid: int) -> list[int]:
    """The processes whose parent is `pid`."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of one process (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    # utime and stime: fields 14 and 15 of the line, the 12th and 13th after ")".
    return (int(fields[11]) + int(fields[12])) / _TICKS


def machine_busy_seconds() -> float:
    """CPU time every core has spent busy since boot (all processes, the kernel)."""
    ticks = [int(n) for n in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    # user nice system idle iowait irq softirq steal: all but idle and iowait.
    return (sum(ticks[:8]) - ticks[3] - ticks[4]) / _TICKS
