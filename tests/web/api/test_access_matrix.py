"""Every API route × every role and no token × own and other municipality.

The table says what each route under /api/v1 needs; what each role's token
gets follows from `web.access.PERMISSIONS` (tests/web/access_expectations.py).
A route the table does not name fails the first test, so none slips through
untested. Each write sends a valid body, so that a refusal for another
municipality is reached, not hidden behind the body's own check. No token is
tried from a browser signed in on the web as an admin: its session cookie
must open nothing here.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.conftest import Demo
from tests.stores import Store
from tests.web.access_expectations import (
    ANONYMOUS,
    ASKED_MUNICIPALITY,
    BYSTANDER,
    CASE_OR_MEETING,
    HOLDER,
    MUNICIPALITY,
    OWN,
    PUBLIC,
    SENT_MUNICIPALITY,
    SIGNED_IN,
    USERNAME,
    Access,
    Place,
    Route,
    Trial,
    address,
    let_in,
    matrix_app,
    places_of,
    signed_in,
    trials,
    unlisted,
)
from tests.web.api.conftest import NEW_CASE, token_for
from tests.web.conftest import PASSWORD, services_of
from web.access import (
    ACT,
    EXPORT,
    MEET,
    NOTE,
    READ,
    REFER,
    RESOLVE,
    RESPOND,
    SUBMIT,
    TRIAGE,
)

STEP = CASE_OR_MEETING  # every step is taken on a case named in the path

TABLE: dict[Route, Access] = {
    # The description of the API, and the door to a token.
    Route("GET", "api-docs.openapi_json"): Access(PUBLIC),
    Route("GET", "api_docs.page"): Access(PUBLIC),
    Route("GET", "api_docs.asset"): Access(PUBLIC),
    Route("GET", "api_docs.start"): Access(PUBLIC),
    Route("POST", "Tokens.exchange"): Access(PUBLIC),
    Route("GET", "Tokens.own_tokens"): Access(SIGNED_IN),
    Route("DELETE", "Tokens.revoke"): Access(SIGNED_IN, HOLDER),
    Route("GET", "Reference.municipalities"): Access(SIGNED_IN),
    Route("GET", "Reference.communities"): Access(SIGNED_IN),
    Route("GET", "Reference.categories"): Access(SIGNED_IN),
    Route("GET", "Reference.institutions"): Access(SIGNED_IN),
    Route("GET", "Reference.request_kinds"): Access(SIGNED_IN),
    Route("GET", "Cases.Cases"): Access(READ),
    Route("POST", "Cases.Cases"): Access(SUBMIT, SENT_MUNICIPALITY),
    Route("GET", "Cases.case_state"): Access(READ, CASE_OR_MEETING),
    Route("GET", "Cases.case_history"): Access(READ, CASE_OR_MEETING),
    Route("POST", "Steps.triage"): Access(TRIAGE, STEP),
    Route("POST", "Steps.actions"): Access(ACT, STEP),
    Route("POST", "Steps.referrals"): Access(REFER, STEP),
    Route("POST", "Steps.responses"): Access(RESPOND, STEP),
    Route("POST", "Steps.extensions"): Access(REFER, STEP),
    Route("POST", "Steps.follow_ups"): Access(REFER, STEP),
    Route("POST", "Steps.verification"): Access(REFER, STEP),
    Route("POST", "Steps.resolution"): Access(RESOLVE, STEP),
    Route("POST", "Steps.reopen"): Access(RESOLVE, STEP),
    Route("POST", "Steps.notes"): Access(NOTE, STEP),
    Route("POST", "Steps.documents"): Access(NOTE, STEP),
    Route("GET", "Meetings.Meetings"): Access(READ),
    Route("POST", "Meetings.Meetings"): Access(MEET, SENT_MUNICIPALITY),
    Route("GET", "Meetings.meeting_page"): Access(READ, CASE_OR_MEETING),
    Route("GET", "Export.export"): Access(EXPORT, ASKED_MUNICIPALITY),
    Route("GET", "Reports.accountability"): Access(READ, ASKED_MUNICIPALITY),
}
TRIALS = trials(TABLE)

DAY = "2026-01-12"
# A valid body for every write: past its own check, to the caller's.
BODIES: dict[str, dict[str, Any]] = {
    "Tokens.exchange": {},  # refused by its check, once past the door
    "Cases.Cases": NEW_CASE,
    "Meetings.Meetings": {"date": DAY, "location": "Shtëpia e Kulturës"},
    "Steps.triage": {"decision": "accept"},
    "Steps.actions": {
        "kind": "letter",
        "taken_on": DAY,
        "description": "A letter to the mayor.",
        "communities": ["serb"],
    },
    "Steps.referrals": {
        "institution_kind": "mayor",
        "institution_name": "The mayor's office",
        "request_kind": "general_request",
        "sent_on": DAY,
    },
    "Steps.responses": {"received_on": DAY, "kind": "information", "summary": "Noted."},
    "Steps.extensions": {"due_date": "2026-03-02", "reason": "Asked for more time."},
    "Steps.follow_ups": {"followed_up_on": DAY, "channel": "phone"},
    "Steps.verification": {
        "status": "fulfilled",
        "verified_on": DAY,
        "evidence": "Seen.",
    },
    "Steps.resolution": {"outcome": "resolved", "resolved_on": DAY, "summary": "Done."},
    "Steps.reopen": {"reopened_on": DAY, "reason": "It came back."},
    "Steps.notes": {"text": "Called the office."},
}
LETTER = b"%PDF-1.4 a letter from the municipality"


@dataclass(frozen=True)
class ApiSite:
    """The app of this module, its tokens, and what its addresses name."""

    app: Flask
    places: dict[str, Place]
    tokens: dict[str, str]  # by role
    # Sends no token, but is signed in on the web as an admin: a session
    # cookie must count for nothing here.
    browser: FlaskClient


@pytest.fixture(scope="module")
def site(
    demo_store: Demo, module_store: Store, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ApiSite]:
    """One app for the whole matrix: no request hides a record another needs."""
    home = tmp_path_factory.mktemp("api-matrix") / "home"
    with matrix_app(demo_store, module_store, home) as app:
        services_of(app).tracker.create_account(
            actor="test", username=BYSTANDER, password=PASSWORD, role="viewer"
        )
        tokens = {role: token_for(app, name) for role, name in USERNAME.items()}
        browser = signed_in(app, USERNAME["admin"])
        yield ApiSite(app, places_of(app), tokens, browser)


def test_every_api_route_is_in_the_table(site: ApiSite) -> None:
    assert unlisted(site.app, TABLE, api=True) == {
        "missing from the table": set(),
        "gone from the app": set(),
    }


def test_every_write_has_a_valid_body() -> None:
    writes = {r.endpoint for r in TABLE if r.method == "POST"}
    assert writes - {"Steps.documents"} == set(BODIES)


@pytest.mark.parametrize("trial", TRIALS, ids=str)
def test_a_route_lets_in_only_the_roles_its_permission_names(
    site: ApiSite, trial: Trial
) -> None:
    answer = _ask(site, trial)
    refused = trial.refusals()
    if refused:
        assert answer.status_code in refused, _said(answer)
    else:
        assert let_in(answer.status_code), _said(answer)


def _ask(site: ApiSite, trial: Trial) -> TestResponse:
    """The trial's request with its role's token; anonymous: from the browser."""
    path = address(site.app, trial, _values(site, trial))
    if trial.role == ANONYMOUS:
        return site.browser.open(path, method=trial.route.method, **_body(trial))
    token = {"Authorization": f"Bearer {site.tokens[trial.role]}"}
    return site.app.test_client().open(
        path, method=trial.route.method, headers=token, **_body(trial)
    )


def _values(site: ApiSite, trial: Trial) -> dict[str, str]:
    """A real value for every part of an address, at the trial's place."""
    place = site.places[trial.place]
    return {
        "case": place.case,
        "referral": str(UUID(place.referral)),
        "response": str(UUID(place.response)),
        "meeting": place.meeting,
        "token_id": _token_to_revoke(site, trial),
        "name": "swagger-ui.css",
    }


def _token_to_revoke(site: ApiSite, trial: Trial) -> str:
    """A fresh token: the caller's own, or someone else's at the other place."""
    if trial.route.endpoint != "Tokens.revoke":
        return ""
    own = trial.place == OWN and trial.role != ANONYMOUS
    holder = USERNAME[trial.role] if own else BYSTANDER
    issued = services_of(site.app).tracker.issue_token(holder, actor="test")
    return str(issued.token_id)


def _body(trial: Trial) -> dict[str, Any]:
    """The request's body: JSON, or the file for a document."""
    if trial.route.method != "POST":
        return {}
    if trial.route.endpoint == "Steps.documents":
        return {"data": {"file": (io.BytesIO(LETTER), "letter.pdf")}}
    body = dict(BODIES[trial.route.endpoint])
    if trial.access.scope == SENT_MUNICIPALITY:
        body["municipality"] = MUNICIPALITY[trial.place]
    return {"json": body}


def _said(answer: TestResponse) -> str:
    return f"answered {answer.status_code}: {answer.get_data(as_text=True)[:300]}"
