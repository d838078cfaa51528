"""The token exchange asks admins and coordinators for their code too."""

from __future__ import annotations

from typing import Any

import pyotp
from flask import Flask
from werkzeug.test import TestResponse

from domain.audit import AuditEntry
from tests.web.api.conftest import ApiClient
from tests.web.conftest import PASSWORD, SECOND_FACTORS, moments, next_code, services_of


def exchange(app: Flask, username: str, **more: Any) -> TestResponse:
    """Ask for a token with the test account's password."""
    body = {"username": username, "password": PASSWORD, **more}
    return app.test_client().post("/api/v1/tokens", json=body)


def refusal(answer: TestResponse) -> tuple[int, list[tuple[str, str]]]:
    """The status and the fields and reasons of a refusal."""
    body = answer.json or {}
    return answer.status_code, [(e["field"], e["reason"]) for e in body["errors"]]


def audit_log(app: Flask) -> list[AuditEntry.Recorded]:
    """Every audit entry, oldest first."""
    return list(services_of(app).tracker.recorded(AuditEntry.Recorded))


def test_an_admin_gets_a_token_only_with_the_code(empty_app: Flask) -> None:
    assert refusal(exchange(empty_app, "admin")) == (
        401,
        [("code", "this account needs the code its authenticator app shows")],
    )
    totp = pyotp.TOTP(SECOND_FACTORS["admin"])
    right = totp.at(moments(empty_app).advance(seconds=30))
    wrong = "000000" if right != "000000" else "111111"
    assert refusal(exchange(empty_app, "admin", code=wrong)) == (
        401,
        [("code", "the code is not right, or was used already")],
    )
    issued = exchange(empty_app, "admin", code=right)
    assert issued.status_code == 201
    token = (issued.json or {})["token"]
    assert (
        ApiClient(empty_app.test_client(), token).get("/api/v1/cases").status_code
        == 200
    )
    replayed = exchange(empty_app, "admin", code=right)
    assert replayed.status_code == 401
    kinds = [(e.kind, e.details.get("reason")) for e in audit_log(empty_app)[-5:]]
    assert kinds == [
        ("sign_in_failed", "code"), ("sign_in_failed", "code"), ("signed_in", None),
        ("token_issued", None), ("sign_in_failed", "code"),
    ]  # fmt: skip
    assert audit_log(empty_app)[-3].details == {
        "through": "api",
        "second_factor": "yes",
    }


def test_a_coordinator_sets_up_a_second_factor_on_the_web_first(
    empty_app: Flask,
) -> None:
    services_of(empty_app).tracker.create_account(
        actor="admin", username="vesa", password=PASSWORD, role="coordinator"
    )
    assert refusal(exchange(empty_app, "vesa", code="123456")) == (
        401,
        [("code", "set up a second factor first, by signing in on the web")],
    )


def test_a_code_is_six_digits(empty_app: Flask) -> None:
    for typed in ("12345", "1234567", "12ab56", ""):
        answer = exchange(empty_app, "coordinator", code=typed)
        assert refusal(answer) == (422, [("code", "a code is 6 digits")]), typed


def test_an_advocate_needs_no_code_and_a_code_sent_is_ignored(empty_app: Flask) -> None:
    assert exchange(empty_app, "advocate").status_code == 201
    assert exchange(empty_app, "advocate", code="123456").status_code == 201


def test_wrong_codes_lock_the_account_for_the_web_too(empty_app: Flask) -> None:
    empty_app.config["TRACKER_ACCOUNT_LOCKOUT"] = "2 per 15 minutes"
    for _ in range(2):
        assert exchange(empty_app, "coordinator", code="000000").status_code == 401
    right = next_code(empty_app, "coordinator")
    assert exchange(empty_app, "coordinator", code=right).status_code == 429


def test_an_export_through_the_api_is_on_the_audit_log(
    api: dict[str, ApiClient], empty_app: Flask
) -> None:
    answer = api["coordinator"].get("/api/v1/export", format="csv", municipality="GRA")
    assert answer.status_code == 200
    exported = audit_log(empty_app)[-1]
    assert (exported.kind, exported.actor) == ("exported", "coordinator")
    assert exported.details == {
        "format": "csv", "municipalities": "GRA", "through": "api",
    }  # fmt: skip
