"""A gunicorn serving one app for `bench_web`: started, signed in to, measured.

Both the tracker and the minimal page are served by the same command
(`gunicorn -w W -b 127.0.0.1:PORT APP`), each in a process group of its
own, and stopped at the end. The CPU time the server spends (master and
workers, read from /proc) is measured beside each load run, so the report
can say how the two cores were shared between the server and the client.

`bench_serving` starts the tracker as its users do instead (`tracker serve`:
`command=tracker_serve`) and, beside it, the projection worker (`tracker
projections run`), a `Background` process like the server.
"""

from __future__ import annotations

import http.client
import os
import random
import re
import signal
import socket
import subprocess  # nosec B404
import sys
import time
from collections.abc import Callable
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Self
from urllib.parse import urlencode, urlsplit

import pyotp

STARTUP_SECONDS = 120
# Below Linux's usual ephemeral ports (32768-60999), which clients' connections use.
PORTS = (20_000, 32_000)
_GIVEN: set[int] = set()
_TICKS = os.sysconf("SC_CLK_TCK")
_CSRF = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"')
CODE_PAGE = "/login/code"
# The TOTP secret of bench_web's administrator (administrators need a second
# factor): `served_store` enrols it, `Gunicorn.sign_in` makes its codes.
SECOND_FACTOR = "BENCHWEBADMINSECONDFACTORSECRET2"


# The command line of a server, given its number of workers and its port.
Command = Callable[[int, int], list[str]]


class Background:
    """A process tree of ours in a session of its own, its output in a log file.

    Used as a context manager, it is stopped on leaving.
    """

    def __init__(self, name: str, argv: list[str], env: dict[str, str], log: Path):
        self.name, self.log = name, log
        with log.open("wb") as out:
            self.process = subprocess.Popen(  # nosec B603
                argv,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def __enter__(self) -> Self:
        """The process, to stop on leaving the `with` block."""
        return self

    def __exit__(self, *exc_info: object) -> None:
        """Stop it, whatever happened inside."""
        self.stop()

    def ensure_running(self) -> None:
        """Stop the benchmark, showing the process's last words, if it has exited.

        gunicorn stops altogether when a worker fails to boot.
        """
        if self.process.poll() is not None:
            print(self.log_tail(60), file=sys.stderr)
            sys.exit(f"{self.name} exited ({self.process.returncode}), above")

    def log_tail(self, lines: int = 20) -> str:
        """The last lines the process wrote (its log goes when the run ends)."""
        return "\n".join(self.log.read_text().splitlines()[-lines:])

    def cpu_seconds(self) -> float:
        """CPU time (user + system) of the process and its children so far."""
        pids = [self.process.pid, *children(self.process.pid)]
        return sum(cpu_seconds(pid) for pid in pids)

    def stop(self) -> None:
        """Stop the process and its children (TERM, then KILL), and wait for them."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def tracker_serve(workers: int, port: int) -> list[str]:
    """`tracker serve` on a local port: gunicorn as the tracker's users start it."""
    return [
        *(sys.executable, "-m", "tracker", "serve", "--host", "127.0.0.1"),
        *("--port", str(port), "--workers", str(workers)),
    ]


def projection_worker(env: dict[str, str], log: Path, poll: float) -> Background:
    """`tracker projections run`: the views kept caught up, as in a deployment."""
    argv = [sys.executable, "-m", "tracker", "projections", "run"]
    return Background("projection worker", [*argv, "--poll", str(poll)], env, log)


class Gunicorn(Background):
    """One gunicorn process tree serving `app` on a free local port.

    `gunicorn -w W -b 127.0.0.1:PORT APP`, unless `command` gives another
    command line that starts gunicorn (`tracker_serve`); `app` then names it.
    """

    def __init__(
        self,
        app: str,
        workers: int,
        env: dict[str, str],
        log: Path,
        command: Command | None = None,
    ):
        self.app, self.workers, self.port = app, workers, free_port()
        argv = [
            *(sys.executable, "-m", "gunicorn", "-w", str(workers)),
            *("-b", f"127.0.0.1:{self.port}", app),
        ]
        name = f"gunicorn {app}"
        super().__init__(
            name, command(workers, self.port) if command else argv, env, log
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
        sys.exit(f"{self.name} did not start:\n{self.log_tail()}")

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

    def sign_in(
        self, username: str, password: str, second_factor: str = SECOND_FACTOR
    ) -> str:
        """Sign in through the login form; the `Cookie` header to send after.

        An account that needs a second factor (an administrator) goes on to
        the code page, with the code of `second_factor`, its TOTP secret.
        """
        form = {"username": username, "password": password}
        cookie, going_to = self.send_form("/login", form, "")
        if going_to == CODE_PAGE:
            totp = pyotp.TOTP(second_factor)
            # A code is taken once, and a run a moment ago may have used this
            # step's: the next step's is taken too.
            for code in (totp.now(), totp.at(time.time() + totp.interval)):
                cookie, going_to = self.send_form(CODE_PAGE, {"code": code}, cookie)
                if going_to != CODE_PAGE:
                    break
        if going_to.startswith("/login"):
            sys.exit(f"signing in stopped at {going_to}, not signed in")
        return cookie

    def send_form(
        self, path: str, fields: dict[str, str], cookie: str
    ) -> tuple[str, str]:
        """The form of a page sent as a browser would, with its CSRF token.

        The session cookie after it, and the path it redirected to (`path`
        itself when it answered without redirecting: the form was refused).
        """
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(
                "GET", path, headers={"Cookie": cookie} if cookie else {}
            )
            response = connection.getresponse()
            found = _CSRF.search(response.read().decode())
            cookie = _session_cookie(response.getheader("Set-Cookie"), cookie)
            if found is None:
                sys.exit(f"the page {path} has no csrf_token")
            connection.request(
                "POST",
                path,
                body=urlencode(fields | {"csrf_token": found.group(1)}),
                headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Cookie": cookie,
                },
            )
            response = connection.getresponse()
            response.read()
        finally:
            connection.close()
        going_to = urlsplit(response.getheader("Location") or path).path
        if response.status != 302:
            going_to = path
        return _session_cookie(response.getheader("Set-Cookie"), cookie), going_to


def _session_cookie(set_cookie: str | None, kept: str = "") -> str:
    """`session=...` from a Set-Cookie header, ready for a Cookie header.

    The `kept` cookie when the answer set none (the session did not change).
    """
    if not set_cookie and kept:
        return kept
    parsed: SimpleCookie = SimpleCookie()
    parsed.load(set_cookie or "")
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
        # A port to try, not a secret.
        port = random.randrange(*PORTS)  # nosec B311
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
