"""Admins and coordinators sign in with a code from an authenticator app too."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pyotp
from flask import Flask
from flask.testing import FlaskClient

from domain.audit import AuditEntry
from tests.web.conftest import (
    PASSWORD,
    SECOND_FACTORS,
    csrf_token,
    moments,
    next_code,
    send_code,
    services_of,
    sign_in,
)
from tests.web.test_sessions import account_page, signed_in


def password_given(app: Flask, username: str) -> tuple[FlaskClient, str]:
    """A browser that gave the right password; where it was sent next."""
    client = app.test_client()
    client.set_cookie("language", "en")
    token = csrf_token(client, "/login")
    answer = client.post(
        "/login?next=/meetings",
        data={"username": username, "password": PASSWORD, "csrf_token": token},
    )
    assert answer.status_code == 302
    return client, answer.headers["Location"]


def new_coordinator(app: Flask) -> None:
    """A coordinator who has not set up a second factor yet."""
    services_of(app).tracker.create_account(
        actor="admin", username="vesa", password=PASSWORD, role="coordinator"
    )


def shown_secret(page: str) -> str:
    """The key the set-up page shows, without its spaces."""
    found = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', page)
    assert found, page
    return found.group(1).replace(" ", "")


def audit_kinds(app: Flask) -> list[tuple[str, str]]:
    """Every audit entry's kind and actor, oldest first."""
    tracker = services_of(app).tracker
    return [(e.kind, e.actor) for e in tracker.recorded(AuditEntry.Recorded)]


def test_a_coordinator_without_a_second_factor_sets_one_up_before_signing_in(
    empty_app: Flask,
) -> None:
    new_coordinator(empty_app)
    client, sent_to = password_given(empty_app, "vesa")
    assert sent_to == "/login/second-factor"
    assert not signed_in(client)
    page = client.get(sent_to).get_data(as_text=True)
    secret = shown_secret(page)
    assert len(secret) == 32
    assert (
        "otpauth://totp/CFPI%20case%20tracker:vesa?secret=" + secret
        in html.unescape(page)
    )
    assert "<script" not in page
    assert "style=" not in page
    assert shown_secret(client.get(sent_to).get_data(as_text=True)) == secret
    totp = pyotp.TOTP(secret)
    right = totp.at(moments(empty_app)())
    wrong = send_code(client, "123456" if right != "123456" else "654321", sent_to)
    assert wrong.status_code == 401
    assert "The code is not right" in wrong.get_data(as_text=True)
    assert not signed_in(client)
    done = send_code(client, right, sent_to)
    assert (done.status_code, done.headers["Location"]) == (302, "/meetings")
    assert signed_in(client)
    vesa = services_of(empty_app).tracker.account("vesa")
    assert vesa.second_factor
    recorder = services_of(empty_app).tracker.recorder
    stored = recorder.select_notifications(start=1, limit=10_000)
    assert vesa.username.encode() in b"".join(n.state for n in stored)
    assert secret.encode() not in b"".join(n.state for n in stored)
    assert audit_kinds(empty_app)[-3:] == [
        ("sign_in_failed", "vesa"),
        ("second_factor_enrolled", "vesa"),
        ("signed_in", "vesa"),
    ]


def test_an_admin_is_not_signed_in_until_the_code_is_right(empty_app: Flask) -> None:
    client, sent_to = password_given(empty_app, "admin")
    assert sent_to == "/login/code"
    assert not signed_in(client)
    assert client.get("/admin/accounts").status_code == 302
    for typed, why in (
        ("12ab56", "Enter the 6 digits"),
        ("", "This field is required"),
    ):
        answer = send_code(client, typed)
        assert answer.status_code == 401
        assert why in answer.get_data(as_text=True)
    code = next_code(empty_app, "admin")
    assert send_code(client, code).status_code == 302
    assert signed_in(client)


def test_a_code_is_taken_one_step_either_side_and_only_once(empty_app: Flask) -> None:
    totp = pyotp.TOTP(SECOND_FACTORS["admin"])
    clock = moments(empty_app)
    for offset, accepted in ((-2, False), (2, False), (-1, True), (1, True)):
        clock.advance(minutes=2)
        client, _ = password_given(empty_app, "admin")
        code = totp.at(clock() + timedelta(seconds=30 * offset))
        answer = send_code(client, code)
        assert (answer.status_code == 302) is accepted, offset
    # The code of the step after this one was used just now: not again.
    client, _ = password_given(empty_app, "admin")
    replayed = send_code(client, totp.at(clock() + timedelta(seconds=30)))
    assert replayed.status_code == 401
    assert "used already" in replayed.get_data(as_text=True)


def test_a_pending_sign_in_ends_after_ten_minutes(empty_app: Flask) -> None:
    client, _ = password_given(empty_app, "coordinator")
    moments(empty_app).advance(minutes=10, seconds=1)
    answer = client.get("/login/code")
    assert answer.status_code == 302
    assert answer.headers["Location"] == "/login"
    assert "Sign in again" in client.get("/login").get_data(as_text=True)


def test_the_code_pages_need_a_pending_sign_in(empty_app: Flask) -> None:
    client = empty_app.test_client()
    for page in ("/login/code", "/login/second-factor"):
        assert client.get(page).headers["Location"] == "/login"
    viewer, sent_to = password_given(empty_app, "viewer")
    assert sent_to == "/meetings"  # no second factor for this role
    assert viewer.get("/login/code").headers["Location"] == "/login"


def test_wrong_codes_count_toward_the_accounts_lockout(empty_app: Flask) -> None:
    empty_app.config["TRACKER_ACCOUNT_LOCKOUT"] = "3 per 15 minutes"
    client, _ = password_given(empty_app, "admin")
    totp = pyotp.TOTP(SECOND_FACTORS["admin"])
    wrong = "000000" if totp.at(moments(empty_app)()) != "000000" else "111111"
    for _ in range(2):
        assert send_code(client, wrong).status_code == 401
    # A wrong password adds to the same count, from another address.
    other = empty_app.test_client()
    other.environ_base["REMOTE_ADDR"] = "198.51.100.7"
    token = csrf_token(other, "/login")
    refused = other.post(
        "/login", data={"username": "admin", "password": "no", "csrf_token": token}
    )
    assert refused.status_code == 401
    assert send_code(client, next_code(empty_app, "admin")).status_code == 429
    assert not signed_in(client)


def test_an_admin_resets_a_lost_second_factor(
    app: Flask, as_role: dict[str, FlaskClient]
) -> None:
    admin = as_role["admin"]
    page = account_page(app, "coordinator")
    assert "Reset the second factor" in admin.get(page).get_data(as_text=True)
    answer = admin.post(
        f"{page}/second-factor", data={"csrf_token": csrf_token(admin, page)}
    )
    assert answer.status_code == 302
    assert "The second factor was reset" in admin.get(page).get_data(as_text=True)
    assert not signed_in(as_role["coordinator"])
    history = admin.get(page).get_data(as_text=True)
    assert "Second factor reset" in history
    assert "Not set up yet" in history
    again = admin.post(
        f"{page}/second-factor", data={"csrf_token": csrf_token(admin, page)}
    )
    assert again.status_code == 302
    assert "The account has no second factor to reset." in admin.get(page).get_data(
        as_text=True
    )
    _, sent_to = password_given(app, "coordinator")
    assert sent_to == "/login/second-factor"
    assert ("second_factor_reset", "admin") in audit_kinds(app)


def test_only_an_admin_resets_a_second_factor_or_ends_sessions(
    app: Flask, as_role: dict[str, FlaskClient]
) -> None:
    page = account_page(app, "admin")
    coordinator = as_role["coordinator"]
    token = csrf_token(coordinator, "/cases")
    for action in ("second-factor", "sign-out"):
        answer = coordinator.post(f"{page}/{action}", data={"csrf_token": token})
        assert answer.status_code == 403
    assert signed_in(as_role["admin"])
    assert services_of(app).tracker.account("admin").second_factor


def test_signing_in_again_with_the_same_code_elsewhere_is_refused(
    empty_app: Flask,
) -> None:
    first, _ = password_given(empty_app, "coordinator")
    second, _ = password_given(empty_app, "coordinator")
    code = next_code(empty_app, "coordinator")
    assert send_code(first, code).status_code == 302
    assert send_code(second, code).status_code == 401
    assert sign_in(empty_app.test_client(), "coordinator")
