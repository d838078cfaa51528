"""An admin sets where an account's emails go, on the account's page."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from domain import account
from domain.account import InvalidEmail
from tests.web.conftest import PASSWORD, csrf_token, services_of, sign_in
from web.i18n import LANGUAGES
from web.messages import message_for


def _admin(app: Flask) -> FlaskClient:
    client = sign_in(app.test_client(), "admin")
    client.set_cookie("language", "en")
    return client


def _page(app: Flask, username: str) -> str:
    return (
        f"/admin/accounts/{services_of(app).tracker.account(username).account_id.hex}"
    )


def _in_english(app: Flask, error: InvalidEmail) -> str:
    with app.test_request_context("/", headers={"Cookie": "language=en"}):
        return message_for(error)


def test_the_accounts_languages_are_the_interfaces() -> None:
    assert tuple(LANGUAGES) == account.LANGUAGES
    assert account.DEFAULT_LANGUAGE == "sq"


def test_an_admin_sets_an_address_and_language_and_it_is_on_the_record(
    empty_app: Flask,
) -> None:
    admin = _admin(empty_app)
    page = _page(empty_app, "advocate")
    answer = admin.post(
        page,
        data={"csrf_token": csrf_token(admin, page), "email": "drita@cfpi.org",
              "language": "sr_Latn"},
    )  # fmt: skip
    assert answer.status_code == 302
    found = services_of(empty_app).tracker.account("advocate")
    assert (found.email, found.language, found.role) == (
        "drita@cfpi.org", "sr_Latn", "advocate",
    )  # fmt: skip
    shown = admin.get(page).get_data(as_text=True)
    assert "The email for reminders was changed; it is on the record." in shown
    assert 'value="drita@cfpi.org"' in shown
    assert "drita@cfpi.org (Srpski)" in shown  # the change, in the history
    assert "drita@cfpi.org" in admin.get("/admin/accounts").get_data(as_text=True)


def test_a_bad_address_is_refused_next_to_its_field_and_changes_nothing(
    empty_app: Flask,
) -> None:
    admin = _admin(empty_app)
    page = _page(empty_app, "advocate")
    before = services_of(empty_app).tracker.account("advocate")
    answer = admin.post(
        page,
        data={"csrf_token": csrf_token(admin, page), "email": "drita at cfpi",
              "language": "en"},
    )  # fmt: skip
    assert answer.status_code == 422
    shown = answer.get_data(as_text=True)
    error = re.search(r'<p class="error" id="email-email-error">([^<]*)</p>', shown)
    assert error is not None, "no message next to the email field"
    expected = _in_english(empty_app, InvalidEmail("bad", field="email"))
    assert error.group(1).strip() == expected
    assert 'value="drita at cfpi"' in shown  # what was typed, to correct it
    assert services_of(empty_app).tracker.account("advocate") == before


def test_a_new_account_gets_its_address_when_created(empty_app: Flask) -> None:
    admin = _admin(empty_app)
    answer = admin.post(
        "/admin/accounts",
        data={"csrf_token": csrf_token(admin, "/admin/accounts"), "username": "drita",
              "password": PASSWORD, "role": "advocate", "email": "drita@cfpi.org",
              "language": "en"},
    )  # fmt: skip
    assert answer.status_code == 302
    drita = services_of(empty_app).tracker.account("drita")
    assert (drita.email, drita.language) == ("drita@cfpi.org", "en")
    refused = admin.post(
        "/admin/accounts",
        data={"csrf_token": csrf_token(admin, "/admin/accounts"), "username": "arben",
              "password": PASSWORD, "role": "advocate", "email": "arben@"},
    )  # fmt: skip
    assert refused.status_code == 422
    usernames = {a.username for a in services_of(empty_app).tracker.accounts()}
    assert "arben" not in usernames
