"""Configuration: nothing needed to start; TRACKER_DB switches to PostgreSQL."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from domain.errors import InvalidValue
from tests.application.builders import submit
from tests.postgres import URL, needs_postgres
from tracker.application import open_tracker
from tracker.config import Settings, postgres_env


def test_with_nothing_set_the_store_is_sqlite_in_instance() -> None:
    settings = Settings.from_environment({})
    assert settings.home == Path("instance").resolve()
    env = settings.eventsourcing_env()
    assert env["PERSISTENCE_MODULE"] == "eventsourcing.sqlite"
    assert env["SQLITE_DBNAME"] == str(Path("instance").resolve() / "tracker.sqlite3")


def test_tracker_home_holds_the_sqlite_file(tmp_path: Path) -> None:
    settings = Settings.from_environment({"TRACKER_HOME": str(tmp_path / "h")})
    open_tracker(settings).close()
    assert (tmp_path / "h" / "tracker.sqlite3").exists()


def test_a_postgresql_url_becomes_eventsourcing_settings() -> None:
    env = postgres_env("postgresql://forum:s%40cret@db.example:6543/cases")
    assert env == {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": "cases",
        "POSTGRES_HOST": "db.example",
        "POSTGRES_PORT": "6543",
        "POSTGRES_USER": "forum",
        "POSTGRES_PASSWORD": "s@cret",
        "POSTGRES_CONNECT_TIMEOUT": "2",
    }
    described = Settings(Path("x"), "postgresql://u:pw@h:1/d", "").store_description
    assert "pw" not in described


@pytest.mark.parametrize("url", ["mysql://h/db", "postgresql://host", "nonsense"])
def test_a_bad_database_url_is_a_clear_error(url: str) -> None:
    with pytest.raises(InvalidValue) as error:
        postgres_env(url)
    assert error.value.field == "TRACKER_DB"


def test_deadline_rules_can_be_overridden_from_the_environment(tmp_path: Path) -> None:
    settings = Settings.from_environment(
        {"TRACKER_HOME": str(tmp_path), "TRACKER_DEADLINE_RULES": "general_request=15c"}
    )
    tracker = open_tracker(settings)
    assert tracker.deadline_rules["general_request"].days == 15


@needs_postgres
def test_the_same_application_runs_on_postgresql(tmp_path: Path) -> None:
    postgres_settings = Settings(tmp_path, URL, "")
    tracker = open_tracker(postgres_settings, clock=lambda: date(2026, 1, 1))
    submitted = submit(tracker, municipality="ZVE")
    assert tracker.case(submitted.reference).case_id == submitted.case_id
    tracker.close()


def test_the_projection_batch_can_be_set_and_must_be_a_positive_number() -> None:
    assert Settings.from_environment({}).projection_batch == 1000
    assert (
        Settings.from_environment({"TRACKER_PROJECTION_BATCH": "50"}).projection_batch
        == 50
    )
    for bad in ("0", "-3", "many"):
        with pytest.raises(InvalidValue) as refused:
            Settings.from_environment({"TRACKER_PROJECTION_BATCH": bad})
        assert refused.value.field == "TRACKER_PROJECTION_BATCH"
