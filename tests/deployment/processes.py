"""init, web and worker of docker-compose.yml, started here without Docker.

Each runs the command and settings the compose file gives it. Only what
Docker would provide is put in its place: a free local port for the published
one, folders of a temporary directory for the named volumes and each
container's own files, and (for the `db` service) a throwaway PostgreSQL
database on the test server, or none to run on the default SQLite store.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.error import URLError

from benchmarks.gunicorn_process import free_port
from tests.deployment.conftest import (
    TRACKER_SERVICES,
    filled_in_settings,
    health_url,
    interpolate,
    named_volumes,
    raw_compose,
    service_environment,
)
from tests.deployment.web_client import Person
from tests.stores import create_database, database_url, drop_database

TRACKER = Path(sys.executable).with_name("tracker")
PASSWORD = "seven horses graze by the Ibar at dawn"
START_SECONDS = 60
# gunicorn gives running requests 30 s before it stops.
STOP_SECONDS = 40
T = TypeVar("T")


def container_environment(
    compose: Mapping[str, Any], name: str, root: Path, database_url: str | None
) -> dict[str, str]:
    """A service's environment, its paths moved from the container into `root`.

    A path on a named volume goes to ``root/volumes/VOLUME`` (shared, as the
    volume is); any other path to the service's own ``root/SERVICE``.
    """
    service = compose["services"][name]
    volumes = named_volumes(service)
    moved = {}
    for variable, value in service_environment(service).items():
        if value.startswith("/"):
            target = next((t for t in volumes if f"{value}/".startswith(f"{t}/")), "")
            base = root / "volumes" / volumes[target] if target else root / name
            value = str(base / value.removeprefix(target).lstrip("/"))
        moved[variable] = value
    del moved["TRACKER_DB"]
    moved |= {"TRACKER_DB": database_url} if database_url else {}
    home = str(root / name / "home")
    return {"PATH": os.environ["PATH"], "HOME": home, "LANG": "C.UTF-8"} | moved


def local_command(command: list[str], port: int) -> list[str]:
    """A service's command, run here: this tracker, on 127.0.0.1:`port`."""
    options = {"--host": "127.0.0.1", "--port": str(port)}
    words = [str(TRACKER) if w == "tracker" else w for w in command]
    return [
        options.get(before, w) for before, w in zip(["", *words], words, strict=False)
    ]


@dataclass
class Deployment:
    """init, web and worker as the compose file runs them, started here."""

    url: str
    root: Path
    # service → (command, environment)
    services: dict[str, tuple[list[str], dict[str, str]]]
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    password: str = PASSWORD

    def log(self, name: str) -> Path:
        """The file a service writes its output to."""
        return self.root / "logs" / f"{name}.log"

    def logs(self) -> str:
        """What every service wrote, for a failure's report."""
        files = sorted((self.root / "logs").glob("*.log"))
        return "\n".join(
            f"--- {f.stem}\n{f.read_text(errors='replace')}" for f in files
        )

    def _run(self, name: str, command: list[str], stdin: str | None = None) -> Any:
        environment = self.services[name][1]
        return subprocess.run(
            command, env=environment, cwd=self.root / name, input=stdin,
            capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip

    def init(self) -> int:
        """Run the `init` service once; its exit code."""
        done = self._run("init", self.services["init"][0])
        with self.log("init").open("a") as log:
            log.write(done.stdout + done.stderr)
        return int(done.returncode)

    def start(self, name: str) -> None:
        """Start a long-running service in a process group of its own."""
        command, environment = self.services[name]
        with self.log(name).open("ab") as log:
            self.processes[name] = subprocess.Popen(
                command, env=environment, cwd=self.root / name, stdout=log,
                stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip

    def tracker(self, *arguments: str, stdin: str | None = None) -> str:
        """A `tracker` command with the web's settings; what it printed."""
        done = self._run("web", [str(TRACKER), *arguments], stdin)
        assert done.returncode == 0, f"tracker {' '.join(arguments)}: {done.stderr}"
        return str(done.stdout)

    def person(self) -> Person:
        """Someone at a browser of their own."""
        return Person(self.url, self.password)

    def health(self) -> dict[str, Any]:
        """What /healthz answers."""
        found: dict[str, Any] = json.loads(self.person().get("/healthz").text)
        return found

    def wait_for(self, check: Callable[[], T], seconds: float = START_SECONDS) -> T:
        """The first true answer of `check`, while every service runs."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            gone = {
                n: p.returncode
                for n, p in self.processes.items()
                if p.poll() is not None
            }
            assert not gone, f"stopped: {gone}\n{self.logs()}"
            try:
                if answer := check():
                    return answer
            except (URLError, ConnectionError):
                pass
            time.sleep(0.2)
        raise AssertionError(f"not within {seconds} s\n{self.logs()}")

    def stop(self) -> dict[str, int]:
        """Stop every running service with SIGTERM, as Docker does; exit codes."""
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=STOP_SECONDS)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=STOP_SECONDS)
        return {name: p.returncode for name, p in self.processes.items()}


def serving(deployment: Deployment, health_path: str) -> bool:
    """Whether the web answers its health check (or, without one, the sign-in page)."""
    answer = deployment.person().get(health_path)
    if answer.status == 404:
        answer = deployment.person().get("/login")
    return answer.status == 200


@contextmanager
def deploy(root: Path, database_url: str | None) -> Iterator[Deployment]:
    """Set the store up with `init`, then start the web and the worker."""
    compose = interpolate(raw_compose(), filled_in_settings())
    port = free_port()
    services = {
        name: (
            local_command(compose["services"][name]["command"], port),
            container_environment(compose, name, root, database_url),
        )
        for name in TRACKER_SERVICES
    }
    deployment = Deployment(f"http://127.0.0.1:{port}", root, services)
    for folder in ("logs", *TRACKER_SERVICES):
        (root / folder).mkdir(parents=True)
    try:
        assert deployment.init() == 0, deployment.logs()
        deployment.start("web")
        deployment.start("worker")
        _, health_path = health_url(compose["services"]["web"]["healthcheck"]["test"])
        deployment.wait_for(lambda: serving(deployment, health_path))
        yield deployment
    finally:
        deployment.stop()
        print(deployment.logs())


@contextmanager
def throwaway_database() -> Iterator[str]:
    """A new, empty PostgreSQL database on the test server; dropped afterwards."""
    name = create_database()
    try:
        yield database_url(name)
    finally:
        drop_database(name)
