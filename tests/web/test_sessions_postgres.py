"""With TRACKER_DB on PostgreSQL, sessions live there too, shared by every host."""

from __future__ import annotations

import hashlib
from pathlib import Path
from uuid import uuid4

import psycopg
from flask import Flask

from tests.conftest import FAST_HASHER, TODAY
from tests.postgres import URL, needs_postgres
from tests.web.conftest import PASSWORD, Moments, close_app, csrf_token
from tracker.config import Settings
from tracker.session_store import PostgresSessionStore
from web.app import create_app


def _app(home: Path) -> Flask:
    settings = Settings.from_environment({"TRACKER_HOME": str(home), "TRACKER_DB": URL})
    return create_app(
        {
            "TESTING": True,
            "TRACKER_SETTINGS": settings,
            "TRACKER_CLOCK": lambda: TODAY,
            "TRACKER_NOW": Moments(),
            "TRACKER_PASSWORD_HASHER": FAST_HASHER,
        }
    )


@needs_postgres
def test_a_session_kept_in_postgresql_is_ended_for_every_host(tmp_path: Path) -> None:
    # Two hosts: each its own home folder, one database.
    first, second = _app(tmp_path / "a"), _app(tmp_path / "b")
    services = first.extensions["cfpi"]
    assert isinstance(services.sessions.store, PostgresSessionStore)
    username = f"pg-{uuid4().hex[:12]}"
    services.tracker.create_account(
        actor="test", username=username, password=PASSWORD, role="viewer"
    )
    browser = first.test_client()
    token = csrf_token(browser, "/login")
    answer = browser.post(
        "/login",
        data={"username": username, "password": PASSWORD, "csrf_token": token},
    )
    assert answer.status_code == 302
    kept = browser.get_cookie("session")
    assert kept is not None
    digest = hashlib.sha256(kept.value.encode()).hexdigest()
    with psycopg.connect(URL) as connection:
        found = connection.execute(
            "SELECT account_id FROM tracker_sessions WHERE digest = %s", (digest,)
        ).fetchone()
    assert found == (services.tracker.account(username).account_id.hex,)
    elsewhere = second.test_client()
    elsewhere.set_cookie("session", kept.value)
    assert elsewhere.get("/cases").status_code == 200
    browser.post("/logout", data={"csrf_token": csrf_token(browser, "/")})
    assert elsewhere.get("/cases").status_code == 302
    assert not (tmp_path / "a" / "sessions.sqlite3").exists()
    close_app(first)
    close_app(second)
