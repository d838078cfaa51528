"""The web app on a real store: the demo data, one account per role."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import FAST_HASHER, TODAY
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


def make_app(home: Path) -> Flask:
    """The app on a home folder, 'today' fixed, with the test accounts."""
    compile_stale()  # the pages are translated from the compiled catalogs
    app = create_app(
        {
            "TESTING": True,
            "TRACKER_SETTINGS": Settings.from_environment({"TRACKER_HOME": str(home)}),
            "TRACKER_CLOCK": lambda: TODAY,
            "TRACKER_PASSWORD_HASHER": FAST_HASHER,
        }
    )
    tracker = services_of(app).tracker
    for username, (role, municipalities) in ACCOUNTS.items():
        tracker.create_account(
            actor="test", username=username, password=PASSWORD, role=role,
            municipalities=municipalities,
        )  # fmt: skip
    return app


def services_of(app: Flask) -> Services:
    """The app's tracker, views and clock."""
    found: Services = app.extensions["cfpi"]
    return found


@pytest.fixture
def app(demo_store: Path, tmp_path: Path) -> Iterator[Flask]:
    """The web app on this test's own copy of the demo data."""
    home = tmp_path / "home"
    shutil.copytree(demo_store, home)
    app = make_app(home)
    yield app
    services_of(app).tracker.close()
    services_of(app).views.close()


@pytest.fixture
def empty_app(tmp_path: Path) -> Iterator[Flask]:
    """The web app on an empty store."""
    app = make_app(tmp_path / "home")
    yield app
    services_of(app).tracker.close()
    services_of(app).views.close()


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
    """Sign a test client in as one of the test accounts."""
    token = csrf_token(client, "/login")
    answer = client.post(
        "/login",
        data={"username": username, "password": PASSWORD, "csrf_token": token},
    )
    assert answer.status_code == 302, answer.get_data(as_text=True)
    return client


@pytest.fixture
def as_role(app: Flask) -> dict[str, FlaskClient]:
    """A signed-in client per role, English pages."""
    clients = {}
    for name in ACCOUNTS:
        client = app.test_client()
        client.set_cookie("language", "en")
        clients[name] = sign_in(client, name)
    return clients
