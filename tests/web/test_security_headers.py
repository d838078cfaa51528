"""Every answer carries the security headers; over HTTPS, cookies are secure."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.stores import Store
from tests.web.conftest import make_app, services_of, sign_in
from web.security import CONTENT_SECURITY_POLICY, HEADERS, HSTS


def simple_paths(app: Flask) -> list[str]:
    """Every GET route of the app that takes no value in its path."""
    return sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if "GET" in (rule.methods or set()) and not rule.arguments
    )


def test_the_policy_allows_nothing_inline_and_no_framing() -> None:
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY
    assert "unsafe-eval" not in CONTENT_SECURITY_POLICY
    assert "script-src 'self'" in CONTENT_SECURITY_POLICY
    assert "frame-ancestors 'none'" in CONTENT_SECURITY_POLICY


def test_every_page_and_answer_carries_the_headers(
    app: Flask, as_role: dict[str, FlaskClient]
) -> None:
    paths = simple_paths(app)
    assert len(paths) > 20
    for client in (as_role["admin"], app.test_client()):
        for path in paths:
            answer = client.get(path)
            for name, value in HEADERS.items():
                assert answer.headers.get(name) == value, (path, name)
            assert "Strict-Transport-Security" not in answer.headers  # plain HTTP


def test_refusals_and_missing_pages_carry_them_too(app: Flask) -> None:
    client = app.test_client()
    for path in ("/no-such-page", "/cases", "/api/v1/cases", "/public/cases?page=x"):
        answer = client.get(path)
        assert answer.status_code >= 300, path
        assert answer.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


@pytest.fixture
def https_app(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Flask]:
    """The app as served behind a proxy that terminates HTTPS."""
    monkeypatch.setenv("TRACKER_HTTPS", "1")
    app = make_app(store, tmp_path / "home")
    yield app
    services_of(app).tracker.close()
    services_of(app).views.close()


def test_behind_https_cookies_are_secure_and_browsers_told_to_stay(
    https_app: Flask,
) -> None:
    client = https_app.test_client()
    answer = client.get("/login", base_url="https://tracker.example")
    assert answer.headers["Strict-Transport-Security"] == HSTS
    forwarded = https_app.test_client().get(
        "/login", headers={"X-Forwarded-Proto": "https"}
    )
    assert forwarded.headers["Strict-Transport-Security"] == HSTS
    plain = https_app.test_client().get("/login")
    assert "Strict-Transport-Security" not in plain.headers


def test_behind_https_the_session_cookie_is_secure(https_app: Flask) -> None:
    client = https_app.test_client()
    client.environ_base["wsgi.url_scheme"] = "https"
    sign_in(client, "secretary")
    cookie = client.get_cookie("session", domain="localhost")
    assert cookie is not None
    assert cookie.secure
    assert cookie.http_only
    assert cookie.same_site == "Lax"
