"""Sessions kept on the server: ended at once, new at sign-in, limited in time."""

from __future__ import annotations

import hashlib
import sqlite3
from contextlib import closing
from pathlib import Path

import psycopg
from flask import Flask
from flask.testing import FlaskClient
from flask_login.utils import encode_cookie

from tests.stores import Store
from tests.web.conftest import (
    close_app,
    csrf_token,
    make_app,
    moments,
    services_of,
    sign_in,
)


def cookie(client: FlaskClient) -> str:
    """The session cookie a client holds."""
    found = client.get_cookie("session")
    assert found is not None
    return found.value


def with_cookie(app: Flask, value: str) -> FlaskClient:
    """A new browser that presents a copied session cookie."""
    client = app.test_client()
    client.set_cookie("session", value)
    return client


def account_page(app: Flask, username: str) -> str:
    """The admin's page of an account."""
    account_id = services_of(app).tracker.account(username).account_id
    return f"/admin/accounts/{account_id.hex}"


def signed_in(client: FlaskClient) -> bool:
    """Whether the client's next request is a signed-in person's."""
    answer = client.get("/cases")
    assert answer.status_code in (200, 302)
    return answer.status_code == 200


def test_the_cookie_holds_a_random_id_and_the_store_only_its_digest(
    app: Flask,
) -> None:
    client = sign_in(app.test_client(), "advocate")
    value = cookie(client)
    assert len(value) == 43  # 256 random bits
    advocate = services_of(app).tracker.account("advocate")
    assert advocate.account_id.hex not in value
    stored = services_of(app).sessions.store.find(
        hashlib.sha256(value.encode()).hexdigest()
    )
    assert stored is not None
    assert stored.account_id == advocate.account_id
    settings = services_of(app).settings
    if settings.database_url:
        with psycopg.connect(settings.database_url) as database:
            rows = database.execute("SELECT * FROM tracker_sessions").fetchall()
    else:
        with closing(sqlite3.connect(settings.home / "sessions.sqlite3")) as file:
            rows = file.execute("SELECT * FROM tracker_sessions").fetchall()
    assert rows
    assert value not in str(rows)


def test_signing_in_begins_a_new_session_and_the_old_id_opens_nothing(
    app: Flask,
) -> None:
    client = app.test_client()
    csrf_token(client, "/login")  # the form's token makes an anonymous session
    before = cookie(client)
    sign_in(client, "viewer")
    assert cookie(client) != before
    assert signed_in(client)
    assert not signed_in(with_cookie(app, before))


def test_a_cookie_replayed_after_signing_out_opens_nothing(app: Flask) -> None:
    client = sign_in(app.test_client(), "viewer")
    kept = cookie(client)
    answer = client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    assert answer.status_code == 302
    assert not signed_in(client)
    assert not signed_in(with_cookie(app, kept))


def test_disabling_an_account_ends_its_sessions_at_once(
    app: Flask, as_role: dict[str, FlaskClient]
) -> None:
    browsers = [sign_in(app.test_client(), "advocate") for _ in range(2)]
    admin = as_role["admin"]
    advocate = services_of(app).tracker.account("advocate").account_id.hex
    page = f"/admin/accounts/{advocate}"
    # The two browsers, and the advocate's client of `as_role`.
    assert "Signed in on 3 browsers" in admin.get(page).get_data(as_text=True)
    answer = admin.post(
        f"{page}/disable",
        data={"csrf_token": csrf_token(admin, page), "reason": "left the NGO"},
    )
    assert answer.status_code == 302
    assert not any(signed_in(browser) for browser in browsers)
    assert "Signed in on 0 browsers" in admin.get(page).get_data(as_text=True)


def test_a_role_change_ends_the_sessions_at_once(
    app: Flask, as_role: dict[str, FlaskClient]
) -> None:
    browser = sign_in(app.test_client(), "advocate")
    admin = as_role["admin"]
    page = account_page(app, "advocate")
    answer = admin.post(
        page, data={"csrf_token": csrf_token(admin, page), "role": "viewer"}
    )
    assert answer.status_code == 302
    assert not signed_in(browser)
    assert signed_in(sign_in(app.test_client(), "advocate"))


def test_an_admin_signs_an_account_out_everywhere(
    app: Flask, as_role: dict[str, FlaskClient]
) -> None:
    browsers = [sign_in(app.test_client(), "secretary") for _ in range(3)]
    admin = as_role["admin"]
    page = account_page(app, "secretary")
    answer = admin.post(
        f"{page}/sign-out", data={"csrf_token": csrf_token(admin, page)}
    )
    assert answer.status_code == 302
    assert not any(signed_in(browser) for browser in browsers)
    assert "Every session of the account was ended (4)." in admin.get(page).get_data(
        as_text=True
    )
    assert signed_in(as_role["advocate"])  # others' sessions go on
    assert signed_in(admin)


def test_a_person_signs_out_their_other_sessions_and_keeps_this_one(
    app: Flask,
) -> None:
    here, elsewhere = (sign_in(app.test_client(), "advocate") for _ in range(2))
    here.set_cookie("language", "en")
    page = here.get("/account/sessions").get_data(as_text=True)
    assert "You are signed in on 2 browsers" in page
    answer = here.post(
        "/account/sessions", data={"csrf_token": csrf_token(here, "/account/sessions")}
    )
    assert answer.status_code == 302
    assert signed_in(here)
    assert not signed_in(elsewhere)


def test_a_session_unused_for_30_minutes_ends(app: Flask) -> None:
    client = sign_in(app.test_client(), "viewer")
    clock = moments(app)
    for _ in range(3):  # each use starts the idle time again
        clock.advance(minutes=29)
        assert signed_in(client)
    clock.advance(minutes=30, seconds=1)
    assert not signed_in(client)


def test_a_session_ends_12_hours_after_sign_in_however_busy(app: Flask) -> None:
    client = sign_in(app.test_client(), "viewer")
    clock = moments(app)
    for _ in range(28):
        clock.advance(minutes=25)
        assert signed_in(client)  # 11 h 40 min
    clock.advance(minutes=25)
    assert not signed_in(client)


def test_the_limits_are_the_ones_configured(store: Store, tmp_path: Path) -> None:
    app = make_app(
        store,
        tmp_path / "home",
        {"TRACKER_SESSION_IDLE_MINUTES": "5", "TRACKER_SESSION_MAX_HOURS": "1"},
    )
    client = sign_in(app.test_client(), "viewer")
    moments(app).advance(minutes=5, seconds=1)
    assert not signed_in(client)
    client = sign_in(app.test_client(), "viewer")
    for _ in range(15):
        moments(app).advance(minutes=4)
    assert not signed_in(client)
    close_app(app)


def test_last_seen_is_written_at_most_once_a_minute(app: Flask) -> None:
    client = sign_in(app.test_client(), "viewer")
    store = services_of(app).sessions.store
    digest = hashlib.sha256(cookie(client).encode()).hexdigest()

    def last_seen() -> float:
        found = store.find(digest)
        assert found is not None
        return found.last_seen_at

    assert signed_in(client)  # the first page keeps its form's token: a write
    signed_at = last_seen()
    for _ in range(5):
        moments(app).advance(seconds=10)
        assert signed_in(client)
    assert last_seen() == signed_at
    moments(app).advance(seconds=15)
    assert signed_in(client)
    assert last_seen() == moments(app)().timestamp()


def test_a_remember_me_cookie_signs_nobody_in(app: Flask) -> None:
    advocate = services_of(app).tracker.account("advocate").account_id.hex
    with app.test_request_context():
        forged = encode_cookie(advocate)  # signed with the app's own key
    client = app.test_client()
    client.set_cookie("remember_token", forged)
    assert not signed_in(client)


def test_a_garbled_or_unknown_cookie_is_anonymous_and_removed(app: Flask) -> None:
    for value in ("x", "a" * 43, "é" * 43, "a" * 4000):
        assert not signed_in(with_cookie(app, value))
        answer = with_cookie(app, value).get("/public/")
        assert "session=;" in answer.headers.get("Set-Cookie", ""), value
