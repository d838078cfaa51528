"""The deployment files as the tests read them: docker-compose.yml with its
variables filled in the way Compose fills them, .env.example, the Dockerfile,
and the tracker commands and pages they name.

Compose itself is not needed: the tests read the YAML and interpolate
``${NAME}``, ``${NAME:-default}``, ``${NAME:?message}`` and ``$$`` here.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from base64 import b64encode
from collections.abc import Iterator, Mapping
from fnmatch import fnmatch
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import click
import pytest
import yaml

from tests.web.conftest import close_app
from tracker.cli import main
from tracker.config import Settings
from web.app import create_app

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
ENV_EXAMPLE = ROOT / ".env.example"
DOCKERIGNORE = ROOT / ".dockerignore"
# The services that run the tracker's own image and read its settings.
TRACKER_SERVICES = ("init", "web", "worker")
# The secrets .env.example leaves blank, as someone would fill them in.
SECRETS = {
    "POSTGRES_PASSWORD": "s3cretPassw0rd",
    "TRACKER_STORE_KEY": b64encode(bytes(range(32))).decode(),
}

_REFERENCE = re.compile(
    r"\$(?:(?P<escaped>\$)"
    r"|\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<operator>:?[-?+])(?P<argument>[^}]*))?\}"
    r"|(?P<bare>[A-Za-z_][A-Za-z0-9_]*))"
)
_HEALTH_URL = re.compile(
    r"http://(?:127\.0\.0\.1|localhost):(?P<port>\d+)(?P<path>/[^'\"\s]*)"
)


class MissingVariable(Exception):
    """A ``${NAME:?message}`` whose variable is unset or empty."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(f"{name}: {message}")
        self.name = name
        self.message = message


def raw_compose() -> dict[str, Any]:
    """docker-compose.yml as written (anchors merged, variables not filled in)."""
    found: dict[str, Any] = yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))
    return found


def example_settings() -> dict[str, str]:
    """The variables .env.example sets, with its values."""
    settings = {}
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            settings[name.strip()] = value.strip()
    return settings


def filled_in_settings() -> dict[str, str]:
    """.env.example as an operator fills it in: its values and the two secrets."""
    return {**example_settings(), **SECRETS}


def _filled(text: str, variables: Mapping[str, str]) -> str:
    def replace(found: re.Match[str]) -> str:
        if found["escaped"]:
            return "$"
        name = found["name"] or found["bare"]
        value = variables.get(name)
        operator, argument = found["operator"] or "", found["argument"] or ""
        empty_counts = operator.startswith(":")
        missing = value is None or (empty_counts and value == "")
        if operator.endswith("-"):
            return argument if missing else str(value)
        if operator.endswith("?"):
            if missing:
                raise MissingVariable(name, argument)
            return str(value)
        if operator.endswith("+"):
            return "" if missing else argument
        return value or ""

    return _REFERENCE.sub(replace, text)


def interpolate(node: Any, variables: Mapping[str, str]) -> Any:
    """Fill in every string of the compose data, as Compose does."""
    if isinstance(node, str):
        return _filled(node, variables)
    if isinstance(node, dict):
        return {key: interpolate(value, variables) for key, value in node.items()}
    if isinstance(node, list):
        return [interpolate(value, variables) for value in node]
    return node


def referenced_variables(node: Any) -> dict[str, bool]:
    """Every variable the compose data refers to → whether it is required (``:?``)."""
    found: dict[str, bool] = {}
    if isinstance(node, str):
        for reference in _REFERENCE.finditer(node):
            name = reference["name"] or reference["bare"]
            if name:
                required = (reference["operator"] or "").endswith("?")
                found[name] = found.get(name, False) or required
    elif isinstance(node, dict | list):
        for value in node.values() if isinstance(node, dict) else node:
            for name, required in referenced_variables(value).items():
                found[name] = found.get(name, False) or required
    return found


def service_environment(service: Mapping[str, Any]) -> dict[str, str]:
    """A service's ``environment``, written as a mapping or as NAME=value lines."""
    given = service.get("environment") or {}
    if isinstance(given, list):
        given = dict(line.partition("=")[::2] for line in given)
    return {
        str(name): "" if value is None else str(value) for name, value in given.items()
    }


def named_volumes(service: Mapping[str, Any]) -> dict[str, str]:
    """A service's named volumes: where each is mounted → its name."""
    mounted = {}
    for volume in service.get("volumes") or []:
        source, _, target = str(volume).partition(":")
        if target and not source.startswith((".", "/", "~")):
            mounted[target.split(":")[0]] = source
    return mounted


def unknown_variables(
    compose: Mapping[str, Any], known: set[str]
) -> dict[str, set[str]]:
    """Per tracker service, the variables it is given that the tracker never reads."""
    services = compose["services"]
    return {
        name: unknown
        for name in TRACKER_SERVICES
        if (unknown := set(service_environment(services[name])) - known)
    }


def tracker_command(command: list[str]) -> click.Context:
    """The `tracker` command a command line runs, its options parsed.

    Raises `click.UsageError` for a command or option the tracker does not have.
    """
    assert command[0] == "tracker", f"{command} does not run the tracker"
    chosen: click.Command = main
    words = list(command[1:])
    names = ["tracker"]
    while isinstance(chosen, click.Group):
        if not words:
            raise click.UsageError(f"{' '.join(names)} is a group, not a command")
        found = chosen.get_command(click.Context(chosen), words[0])
        if found is None:
            raise click.UsageError(f"{' '.join(names)} has no command {words[0]!r}")
        names.append(words.pop(0))
        chosen = found
    return chosen.make_context(" ".join(names), words)


def health_url(test: list[str] | str) -> tuple[int, str]:
    """The port and path a health check's command asks for."""
    text = " ".join(test) if isinstance(test, list) else test
    found = _HEALTH_URL.search(text)
    assert found, f"no http://127.0.0.1:PORT/PATH in the health check {text!r}"
    return int(found["port"]), found["path"]


def database_parts(url: str) -> dict[str, str]:
    """The host, port, user, password and database name in a postgresql:// URL."""
    parts = urlsplit(url)
    return {
        "scheme": parts.scheme,
        "host": parts.hostname or "",
        "port": str(parts.port or 5432),
        "user": parts.username or "",
        "password": parts.password or "",
        "dbname": parts.path.strip("/"),
    }


def dockerfile() -> dict[str, list[str]]:
    """Each Dockerfile instruction → its arguments, one entry per use."""
    joined = re.sub(r"\\\n", " ", DOCKERFILE.read_text(encoding="utf-8"))
    instructions: dict[str, list[str]] = {}
    for line in joined.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            keyword, _, arguments = line.strip().partition(" ")
            instructions.setdefault(keyword.upper(), []).append(arguments.strip())
    return instructions


def ignored(path: str) -> bool:
    """Whether .dockerignore leaves `path` (or a folder it is in) out of the build."""
    patterns = [
        line.strip()
        for line in DOCKERIGNORE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    parts = Path(path).parts
    prefixes = ["/".join(parts[: n + 1]) for n in range(len(parts))]
    return any(
        fnmatch(prefix, pattern) or fnmatch(prefix, pattern.removeprefix("**/"))
        for pattern in patterns
        for prefix in prefixes
    )


def compose_client() -> list[str] | None:
    """`docker compose` (v2) or `docker-compose` (v1), whichever is installed."""
    docker = shutil.which("docker")
    if docker and subprocess.run(
        [docker, "compose", "version"], capture_output=True, check=False
    ).returncode == 0:  # fmt: skip
        return [docker, "compose"]
    found = shutil.which("docker-compose")
    return [found] if found else None


@pytest.fixture(scope="session")
def compose() -> dict[str, Any]:
    """docker-compose.yml with .env.example filled in, as Compose would run it."""
    filled: dict[str, Any] = interpolate(raw_compose(), filled_in_settings())
    return filled


@pytest.fixture(scope="module")
def routes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The URL map of the app, built on an empty store."""
    home = tmp_path_factory.mktemp("routes") / "home"
    app = create_app(
        {"TRACKER_SETTINGS": Settings.from_environment({"TRACKER_HOME": str(home)})}
    )
    yield app.url_map.bind("localhost")
    close_app(app)
