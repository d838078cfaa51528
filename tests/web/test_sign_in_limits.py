"""Guessing passwords on the sign-in page: limited per address, and an
account is locked for a while after too many failures from anywhere."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.web.conftest import PASSWORD, csrf_token
from web.failures import TITLES


def attempt(
    app: Flask, username: str, password: str, *, address: str = "192.0.2.1"
) -> TestResponse:
    """One sign-in from an address, with a fresh client (its own cookies)."""
    client: FlaskClient = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    token = csrf_token(client, "/login")
    return client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token},
    )


def test_one_address_may_fail_only_so_often(empty_app: Flask) -> None:
    empty_app.config["TRACKER_SIGN_IN_RATE_LIMIT"] = "3 per minute"
    assert attempt(empty_app, "secretary", "wrong").status_code == 401
    assert attempt(empty_app, "secretary", PASSWORD).status_code == 302  # not counted
    assert attempt(empty_app, "advocate", "wrong").status_code == 401
    assert attempt(empty_app, "viewer", "wrong").status_code == 401
    refused = attempt(empty_app, "admin", PASSWORD)
    assert refused.status_code == 429
    assert attempt(empty_app, "admin", PASSWORD, address="192.0.2.2").status_code == 302


def test_an_account_is_locked_after_failures_from_anywhere(empty_app: Flask) -> None:
    empty_app.config["TRACKER_ACCOUNT_LOCKOUT"] = "3 per 15 minutes"
    for number, typed in enumerate(("secretary", "Secretary", " SECRETARY")):
        answer = attempt(empty_app, typed, "wrong", address=f"198.51.100.{number}")
        assert answer.status_code == 401
    locked = attempt(empty_app, "secretary", PASSWORD, address="203.0.113.9")
    assert locked.status_code == 429
    assert attempt(empty_app, "advocate", PASSWORD).status_code == 302


def test_a_refusal_for_too_many_tries_is_a_page_in_the_readers_language(
    empty_app: Flask,
) -> None:
    empty_app.config["TRACKER_ACCOUNT_LOCKOUT"] = "1 per 15 minutes"
    attempt(empty_app, "viewer", "wrong")
    client = empty_app.test_client()
    client.set_cookie("language", "sq")
    token = csrf_token(client, "/login")
    answer = client.post(
        "/login",
        data={"username": "viewer", "password": PASSWORD, "csrf_token": token},
    )
    assert answer.status_code == 429
    assert answer.mimetype == "text/html"
    page = answer.get_data(as_text=True)
    assert '<html lang="sq"' in page
    with empty_app.test_request_context(headers={"Cookie": "language=sq"}):
        assert str(TITLES[429]) in page
    assert "Too many failed tries" not in page  # it is said in Albanian
