"""The web app on a real store: the demo data, one account per role.

Admins and coordinators sign in with a second factor: the test accounts
have theirs set up with known secrets, and `sign_in` types the code the
app would show. The clock of sessions and codes is fixed (`Moments`) and
moves on half a minute before each code, so no code is used twice.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyotp
import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.conftest import FAST_HASHER, TODAY, Demo
from tests.stores import Store
from tracker.config import Settings
from web.app import create_app
from web.catalogs import compile_stale
from web.services import Services

PASSWORD = "a long enough password"
# username → (role, municipalities)
ACCOUNTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "admin": ("admin", ()),
    "coordinator": ("coordinator", ()),
    "advocate": ("advocate", ()),
    "secretary": ("secretary", ("GRA",)),
    "viewer": ("viewer", ()),
}
# The second factors of the accounts whose role needs one (base32 secrets).
SECOND_FACTORS: dict[str, str] = {
    "admin": "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
    "coordinator": "KRUGKIDROVUWG2ZAMJZG653OEBTG66BA",
}
# When the tests' sessions begin (any fixed moment would do).
START = datetime(2026, 1, 15, 9, 0, tzinfo=UTC)


class Moments:
    """The app's clock for sessions and codes: fixed until a test moves it."""

    def __init__(self, at: datetime = START) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at

    def advance(self, **delta: float) -> datetime:
        """Move the clock on (``minutes=31``); the new moment."""
        self.at += timedelta(**delta)
        return self.at


def make_app(store: Store, home: Path, environ: dict[str, str] | None = None) -> Flask:
    """The app on a home folder and store, 'today' fixed, with the test accounts.

    `environ`: more settings, as the environment would give them.
    """
    compile_stale()  # the pages are translated from the compiled catalogs
    settings = Settings.from_environment({**(environ or {}), **store.environ(home)})
    app = create_app(
        {
            "TESTING": True,
            "TRACKER_SETTINGS": settings,
            "TRACKER_CLOCK": lambda: TODAY,
            "TRACKER_NOW": Moments(),
            "TRACKER_PASSWORD_HASHER": FAST_HASHER,
        }
    )
    tracker = services_of(app).tracker
    for username, (role, municipalities) in ACCOUNTS.items():
        tracker.create_account(
            actor="test", username=username, password=PASSWORD, role=role,
            municipalities=municipalities,
        )  # fmt: skip
    for username in SECOND_FACTORS:
        enrol(app, username)
    return app


def enrol(app: Flask, username: str, secret: str | None = None) -> None:
    """Set up a test account's second factor, as if it had done it itself."""
    services = services_of(app)
    account_id = services.tracker.account(username).account_id
    sealed = services.second_factors.key.seal(
        secret or SECOND_FACTORS[username], account_id
    )
    services.tracker.enrol_second_factor(
        account_id, actor=username, sealed_secret=sealed
    )


def moments(app: Flask) -> Moments:
    """The app's clock of sessions and codes."""
    found = services_of(app).now
    assert isinstance(found, Moments)
    return found


def next_code(app: Flask, username: str, secret: str | None = None) -> str:
    """The code the account's app shows half a minute on (a step not used yet)."""
    at = moments(app).advance(seconds=30)
    return pyotp.TOTP(secret or SECOND_FACTORS[username]).at(at)


def close_app(app: Flask) -> None:
    """Close the app's store, views and sessions."""
    services_of(app).tracker.close()
    services_of(app).views.close()
    services_of(app).sessions.store.close()


def services_of(app: Flask) -> Services:
    """The app's tracker, views and clock."""
    found: Services = app.extensions["cfpi"]
    return found


@pytest.fixture
def app(demo_store: Demo, store: Store, tmp_path: Path) -> Iterator[Flask]:
    """The web app on this test's own copy of the demo data."""
    home = tmp_path / "home"
    demo_store.copy(store, home)
    app = make_app(store, home)
    yield app
    close_app(app)


@pytest.fixture
def empty_app(store: Store, tmp_path: Path) -> Iterator[Flask]:
    """The web app on an empty store."""
    app = make_app(store, tmp_path / "home")
    yield app
    close_app(app)


def case_reference(app: Flask, status: str, municipality: str = "GRA") -> str:
    """The first demo case of a municipality in a status, by reference."""
    with services_of(app).views.reading() as c:
        c.execute(
            "SELECT reference FROM cases WHERE municipality = ? AND status = ? "
            "ORDER BY reference LIMIT 1",
            (municipality, status),
        )
        return str(c.fetchone()[0])


def csrf_token(client: FlaskClient, path: str) -> str:
    """The CSRF token of the form on a page."""
    page = client.get(path).get_data(as_text=True)
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert found, f"no form on {path}"
    return found.group(1)


def sign_in(client: FlaskClient, username: str) -> FlaskClient:
    """Sign a test client in as one of the test accounts (with its code)."""
    token = csrf_token(client, "/login")
    answer = client.post(
        "/login",
        data={"username": username, "password": PASSWORD, "csrf_token": token},
    )
    assert answer.status_code == 302, answer.get_data(as_text=True)
    if username in SECOND_FACTORS:
        assert answer.headers["Location"] == "/login/code"
        answer = send_code(client, next_code(client.application, username))
        assert answer.status_code == 302, answer.get_data(as_text=True)
    return client


def send_code(
    client: FlaskClient, code: str, page: str = "/login/code"
) -> TestResponse:
    """Type a code on the code page (or the set-up page) and send it."""
    token = csrf_token(client, page)
    return client.post(page, data={"code": code, "csrf_token": token})


@pytest.fixture
def as_role(app: Flask) -> dict[str, FlaskClient]:
    """A signed-in client per role, English pages."""
    clients = {}
    for name in ACCOUNTS:
        client = app.test_client()
        client.set_cookie("language", "en")
        clients[name] = sign_in(client, name)
    return clients
