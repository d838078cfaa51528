"""docker-compose.yml and the Dockerfile against what the tracker really reads.

The variables the tracker reads are found in its source with `ast`
(environment_reads.py), never from a list kept by hand; its commands are
resolved by click against `tracker.cli.main`; its routes are read from the URL
map of the app `create_app` builds (both in conftest.py).
"""

from __future__ import annotations

import ast
import copy
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import click
import pytest

from tests.deployment.conftest import (
    ROOT,
    SECRETS,
    TRACKER_SERVICES,
    MissingVariable,
    compose_client,
    database_parts,
    dockerfile,
    example_settings,
    filled_in_settings,
    health_url,
    ignored,
    interpolate,
    named_volumes,
    raw_compose,
    referenced_variables,
    service_environment,
    tracker_command,
    unknown_variables,
)
from tests.deployment.environment_reads import (
    EnvironmentReads,
    app_sources,
    environment_reads,
)
from tracker.config import Settings

# -- what the source reads ----------------------------------------------------


@pytest.fixture(scope="module")
def app_reads() -> EnvironmentReads:
    """What the tracker's source reads from its environment."""
    return environment_reads(app_sources())


def test_the_scanner_finds_every_way_the_source_reads_the_environment() -> None:
    reads = environment_reads(
        {
            "a.py": 'def settings(environ):\n    return environ.get("A_GET")\n',
            "b.py": 'import os\nB = os.environ["B_SUBSCRIPT"]\n',
            "c.py": 'import os\nC = os.getenv("C_GETENV", "")\n',
            "d.py": 'import os\nD = "D_MEMBER" in os.environ\n',
            "e.py": 'import os\nNAME = "E_CONSTANT"\nos.environ.get(NAME)\n',
            "f.py": (
                "import os\n"
                "def setting(name):\n    return lambda: os.environ.get(name)\n"
                'setting("F_PASSED")\n'
            ),
            "g/names.py": 'TOKEN = "G_IMPORTED"\n',
            "g/reads.py": "import os\nfrom g.names import TOKEN\nos.getenv(TOKEN)\n",
            "h.py": 'import os\nos.environ["H_WRITTEN"] = "1"\n',
            "i.py": '@click.option("--url", envvar="I_CLICK")\ndef f(url): pass\n',
            "wsgi.py": (
                "def app(environ: WSGIEnvironment, start):\n"
                '    return environ.get("REQUEST_METHOD")\n'
                'request.environ.get("REMOTE_ADDR")\n'
            ),
            "computed.py": 'import os\nos.environ.get("X_" + str(1))\n',
        }
    )
    assert reads.names == {
        "A_GET", "B_SUBSCRIPT", "C_GETENV", "D_MEMBER", "E_CONSTANT", "F_PASSED",
        "G_IMPORTED", "I_CLICK",
    }  # fmt: skip
    assert reads.unresolved == ["computed.py:2"]


def test_the_tracker_reads_its_settings_where_the_scanner_looks(
    app_reads: EnvironmentReads,
) -> None:
    assert app_reads.unresolved == [], "reads the scanner cannot name: teach it"
    assert {"TRACKER_HOME", "TRACKER_DB", "TRACKER_STORE_KEY"} <= app_reads.names
    # A name passed to the function that reads it (web/limits.py).
    assert "TRACKER_SIGN_IN_RATE_LIMIT" in app_reads.names


def test_every_variable_given_to_the_tracker_is_one_it_reads(
    compose: dict[str, Any], app_reads: EnvironmentReads
) -> None:
    assert unknown_variables(compose, app_reads.names) == {}


def test_a_made_up_variable_is_caught(
    compose: dict[str, Any], app_reads: EnvironmentReads
) -> None:
    changed = copy.deepcopy(compose)
    changed["services"]["worker"]["environment"]["TRACKER_STOREKEY"] = "x"
    assert unknown_variables(changed, app_reads.names) == {
        "worker": {"TRACKER_STOREKEY"}
    }


def test_every_tracker_process_reads_the_same_settings_and_volumes(
    compose: dict[str, Any],
) -> None:
    services = compose["services"]
    first, *others = TRACKER_SERVICES
    for name in others:
        assert service_environment(services[name]) == service_environment(
            services[first]
        )
        assert named_volumes(services[name]) == named_volumes(services[first])


def test_the_tracker_keeps_its_events_in_the_db_service(
    compose: dict[str, Any],
) -> None:
    services = compose["services"]
    postgres = service_environment(services["db"])
    for name in TRACKER_SERVICES:
        database = database_parts(service_environment(services[name])["TRACKER_DB"])
        assert database == {
            "scheme": "postgresql",
            "host": "db",
            "port": "5432",
            "user": postgres["POSTGRES_USER"],
            "password": postgres["POSTGRES_PASSWORD"],
            "dbname": postgres["POSTGRES_DB"],
        }


def test_the_home_and_the_keys_are_on_named_volumes(compose: dict[str, Any]) -> None:
    settings = Settings.from_environment(
        service_environment(compose["services"]["web"])
    )
    mounted = named_volumes(compose["services"]["web"])
    assert str(settings.home) in mounted
    assert str(settings.personal_keys_path.parent) in mounted
    assert str(settings.second_factor_key_path.parent.parent) in mounted
    assert set(mounted.values()) <= set(compose["volumes"])


def test_the_secrets_are_required_and_never_written_down() -> None:
    required = {
        name for name, needed in referenced_variables(raw_compose()).items() if needed
    }
    assert required == set(SECRETS)
    for secret in SECRETS:
        assert example_settings()[secret] == "", f"{secret} is blank in .env.example"
        without = {k: v for k, v in filled_in_settings().items() if k != secret}
        with pytest.raises(MissingVariable, match=secret):
            interpolate(raw_compose(), without)


def test_env_example_names_every_variable_the_compose_file_uses() -> None:
    assert set(referenced_variables(raw_compose())) == set(example_settings())


# -- commands -----------------------------------------------------------------


def test_the_services_run_real_tracker_commands(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert tracker_command(services["init"]["command"]).info_name == "tracker init"
    worker = tracker_command(services["worker"]["command"])
    assert worker.info_name == "tracker projections run"
    web = tracker_command(services["web"]["command"])
    assert web.info_name == "tracker serve"
    assert web.params["host"] == "0.0.0.0"
    published = services["web"]["ports"][0].rsplit(":", 1)[-1]
    assert web.params["port"] == int(published)


@pytest.mark.parametrize(
    "command",
    [
        ["tracker", "projections", "runs"],
        ["tracker", "serve", "--threads", "4"],
        ["tracker", "projections"],
    ],
)
def test_a_command_the_tracker_does_not_have_is_caught(command: list[str]) -> None:
    with pytest.raises(click.UsageError):
        tracker_command(command)


# -- the database, the order of start, the health checks ------------------------


def test_the_database_keeps_its_data_on_a_volume_and_says_when_it_is_ready(
    compose: dict[str, Any],
) -> None:
    db = compose["services"]["db"]
    assert db["image"] == "postgres:15"
    assert named_volumes(db)["/var/lib/postgresql/data"] in compose["volumes"]
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])


def test_the_tracker_starts_after_the_database_is_ready_and_the_store_is_set_up(
    compose: dict[str, Any],
) -> None:
    services = compose["services"]
    assert services["init"]["depends_on"] == {"db": {"condition": "service_healthy"}}
    for name in ("web", "worker"):
        assert services[name]["depends_on"] == {
            "db": {"condition": "service_healthy"},
            "init": {"condition": "service_completed_successfully"},
        }


def test_the_health_checks_ask_the_web_for_a_route_it_serves(
    compose: dict[str, Any], routes: Any
) -> None:
    web = compose["services"]["web"]
    port = tracker_command(web["command"]).params["port"]
    for test in (web["healthcheck"]["test"], dockerfile()["HEALTHCHECK"][-1]):
        asked_port, path = health_url(test)
        assert asked_port == port
        assert path == "/healthz"
        routes.match(path, method="GET")  # NotFound when the app has no such page


# -- the image ------------------------------------------------------------------


def test_the_image_is_python_3_11_with_postgres_support_and_compiled_catalogs(
    app_reads: EnvironmentReads,
) -> None:
    image = dockerfile()
    assert image["FROM"] == ["python:3.11-slim"]
    installs = " ".join(image["RUN"])
    assert re.search(r"pip install .*'\.\[postgres\]'", installs)
    assert "pybabel -q compile -d web/translations" in installs
    names = set(re.findall(r"\b(TRACKER_[A-Z0-9_]+)=", " ".join(image["ENV"])))
    assert names <= app_reads.names


def test_the_image_runs_the_web_as_its_own_user() -> None:
    image = dockerfile()
    assert image["USER"][-1] not in ("root", "0")
    cmd = tracker_command(ast.literal_eval(image["CMD"][-1]))
    assert cmd.info_name == "tracker serve"
    assert health_url(image["HEALTHCHECK"][-1])[0] == cmd.params["port"]


def test_the_image_owns_the_folders_of_the_volumes(compose: dict[str, Any]) -> None:
    made = " ".join(dockerfile()["RUN"])
    for folder in named_volumes(compose["services"]["web"]):
        assert re.search(
            rf"install -d -o tracker -g tracker .*{re.escape(folder)}\b", made
        )


@pytest.mark.parametrize(
    "path",
    [".env", ".venv/bin/python", "instance/tracker.sqlite3", "benchmarks/store/x",
     ".pytest_cache/v", "web/__pycache__/app.cpython-311.pyc",
     "web/translations/sq/LC_MESSAGES/messages.mo"],
)  # fmt: skip
def test_the_build_leaves_out_secrets_and_local_state(path: str) -> None:
    assert ignored(path)


def test_the_build_keeps_what_the_image_copies() -> None:
    sources = [w for copy in dockerfile()["COPY"] for w in copy.split()[:-1]]
    assert sources
    for source in sources:
        assert (ROOT / source).exists(), source
        assert not ignored(source), source
    assert not ignored("web/translations/sq/LC_MESSAGES/messages.po")


# -- Compose's own reading, where a Compose client is installed ----------------


def test_compose_itself_accepts_the_file(tmp_path: Path) -> None:
    client = compose_client()
    if client is None:
        pytest.skip("no Compose client (docker compose or docker-compose) installed")
    settings = tmp_path / ".env"
    settings.write_text("".join(f"{k}={v}\n" for k, v in filled_in_settings().items()))
    # Only the .env file fills the variables in, not the shell running the tests.
    alone = {"PATH": os.environ["PATH"], "HOME": str(tmp_path)}
    answer = subprocess.run(
        [*client, "--env-file", str(settings), "-f", str(ROOT / "docker-compose.yml"),
         "config", "--quiet"],
        capture_output=True, text=True, check=False, env=alone,
    )  # fmt: skip
    assert answer.returncode == 0, answer.stderr
