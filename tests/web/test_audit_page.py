"""The audit log: what the web records, and the admins' page that lists it."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

import web.labels
from domain.account import Account
from domain.audit import AUDIT_KINDS, AuditEntry
from tests.web.conftest import PASSWORD, csrf_token, services_of, sign_in
from tests.web.test_sessions import account_page


def recorded(app: Flask) -> list[AuditEntry.Recorded]:
    """Every audit entry, oldest first."""
    return list(services_of(app).tracker.recorded(AuditEntry.Recorded))


def kinds(app: Flask) -> list[str]:
    """The kind of every audit entry, oldest first."""
    return [entry.kind for entry in recorded(app)]


def test_signing_in_failing_and_out_are_recorded_without_the_password(
    empty_app: Flask,
) -> None:
    client = empty_app.test_client()
    client.environ_base["REMOTE_ADDR"] = "192.0.2.44"
    token = csrf_token(client, "/login")
    client.post(
        "/login",
        data={
            "username": " Advocate ",
            "password": PASSWORD + "x",
            "csrf_token": token,
        },
    )
    sign_in(client, "advocate")
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    failed, signed_in, signed_out = recorded(empty_app)[-3:]
    assert (failed.kind, failed.actor, failed.address) == (
        "sign_in_failed",
        "advocate",
        "192.0.2.44",
    )
    assert failed.details == {"reason": "password", "through": "web"}
    assert (signed_in.kind, signed_in.details) == (
        "signed_in",
        {"through": "web", "second_factor": "no"},
    )
    assert (signed_out.kind, signed_out.actor) == ("signed_out", "advocate")
    for entry in recorded(empty_app):
        assert PASSWORD not in str(vars(entry))


def test_an_admins_changes_to_accounts_are_recorded_with_the_address(
    app: Flask, as_role: dict[str, FlaskClient]
) -> None:
    admin = as_role["admin"]
    admin.environ_base["REMOTE_ADDR"] = "203.0.113.5"
    token = csrf_token(admin, "/admin/accounts")
    admin.post(
        "/admin/accounts",
        data={"csrf_token": token, "username": "drita", "password": PASSWORD,
              "role": "secretary", "municipalities": ["STR"]},
    )  # fmt: skip
    page = account_page(app, "drita")
    admin.post(page, data={"csrf_token": token, "role": "advocate"})
    admin.post(f"{page}/disable", data={"csrf_token": token, "reason": "on leave"})
    admin.post(f"{page}/disable", data={"csrf_token": token})
    admin.post(f"{page}/sign-out", data={"csrf_token": token})
    entries = recorded(app)[-5:]
    assert [e.kind for e in entries] == [
        "account_created", "access_changed", "account_disabled", "account_enabled",
        "sessions_ended",
    ]  # fmt: skip
    assert {(e.actor, e.address, e.details["account"]) for e in entries} == {
        ("admin", "203.0.113.5", "drita")
    }
    assert entries[1].details["role"] == "advocate"
    assert entries[2].details["reason"] == "on leave"
    assert entries[4].details == {"account": "drita", "sessions": "0", "which": "all"}


def test_ending_ones_other_sessions_is_recorded(app: Flask) -> None:
    here = sign_in(app.test_client(), "viewer")
    sign_in(app.test_client(), "viewer")
    here.post("/account/sessions", data={"csrf_token": csrf_token(here, "/")})
    ended = recorded(app)[-1]
    assert (ended.kind, ended.actor) == ("sessions_ended", "viewer")
    assert ended.details == {"account": "viewer", "sessions": "1", "which": "others"}


def test_only_admins_read_the_audit_log(as_role: dict[str, FlaskClient]) -> None:
    for role, client in as_role.items():
        answer = client.get("/admin/audit")
        assert answer.status_code == (200 if role == "admin" else 403), role
        shown = "Audit log</a>" in client.get("/").get_data(as_text=True)
        assert shown is (role == "admin")


def test_the_audit_log_lists_newest_first_and_filters(
    app: Flask, as_role: dict[str, FlaskClient]
) -> None:
    services_of(app).tracker.record_audit(
        "personal_data_erased", actor="coordinator", details={"person": "p-1"}
    )
    admin = as_role["admin"]
    page = admin.get("/admin/audit").get_data(as_text=True)
    rows = re.findall(r"<tr><td>\d{4}-\d\d-\d\d [\d:]+</td><td>([^<]+)</td>", page)
    assert rows[:3] == ["Personal data erased", "Signed in", "Signed in"]
    assert "person: p-1" in page
    erased = admin.get("/admin/audit?kind=personal_data_erased").get_data(True)
    assert "1 entries" in erased
    # What the secretary did, and what was done to the secretary's account.
    by_person = admin.get("/admin/audit?username=Secretary").get_data(True)
    row = r"<tr><td>[^<]+</td><td>([^<]+)</td><td>([^<]+)</td><td>secretary</td>"
    assert re.findall(row, by_person) == [
        ("Signed in", "secretary"), ("Account created", "test"),
    ]  # fmt: skip
    assert "0 entries" in admin.get(
        "/admin/audit?since=2000-01-01&until=2000-01-02"
    ).get_data(True)


def test_a_long_audit_log_has_pages(
    app: Flask, as_role: dict[str, FlaskClient]
) -> None:
    for number in range(30):
        services_of(app).tracker.record_audit(
            "signed_in", actor=f"person{number}", details={}
        )
    admin = as_role["admin"]
    first = admin.get("/admin/audit").get_data(as_text=True)
    assert "person29" in first
    assert 'rel="next"' in first
    second = admin.get("/admin/audit?page=2").get_data(as_text=True)
    assert "person29" not in second
    assert "person4<" in second


def test_a_bad_filter_is_refused_beside_its_field(
    as_role: dict[str, FlaskClient],
) -> None:
    admin = as_role["admin"]
    for query, field, reason in (
        ("kind=coffee", "kind", "Choose one of the options."),
        ("since=yesterday", "since", "Enter a date"),
        ("since=2026-02-01&until=2026-01-01", "until", "The last day is before"),
        ("page=0", "page", "between 1 and 100000"),
        ("username=" + "x" * 101, "username", "longer than 100"),
    ):
        answer = admin.get(f"/admin/audit?{query}")
        assert answer.status_code == 422, query
        page = answer.get_data(as_text=True)
        error = re.search(rf'<p class="error" id="{field}-error">(.*?)</p>', page)
        assert error is not None, (query, page)
        assert reason in error.group(1), query


def test_every_kind_of_entry_and_account_event_has_its_words() -> None:
    assert set(AUDIT_KINDS) - set(web.labels.AUDIT_KINDS) == set()
    events = {
        name
        for name, kind in vars(Account).items()
        if isinstance(kind, type) and issubclass(kind, Account.Event)
    }
    assert events - {"Event"} - set(web.labels.ACCOUNT_EVENTS) == set()
