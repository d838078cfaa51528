"""Every page × every role and anonymous × own and other municipality.

The table says what each route of the app's URL map needs; what each role
gets follows from `web.access.PERMISSIONS` (tests/web/access_expectations.py).
A route the table does not name fails the first test, so none slips through
untested. The API has its own matrix (tests/web/api/test_access_matrix.py).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from flask import Flask
from werkzeug.test import TestResponse

from tests.conftest import Demo
from tests.stores import Store
from tests.web.access_expectations import (
    ANONYMOUS,
    ASKED_MUNICIPALITY,
    BYSTANDER,
    CASE_OR_MEETING,
    MUNICIPALITY,
    OPERATIONS,
    PUBLIC,
    SIGN_IN,
    SIGNED_IN,
    USERNAME,
    Access,
    Place,
    Route,
    Trial,
    address,
    let_in,
    matrix_app,
    person_in,
    places_of,
    signed_in,
    trials,
    unlisted,
)
from tests.web.conftest import PASSWORD, services_of
from web.access import (
    ACCOUNTS,
    ACT,
    AUDIT,
    ERASE,
    EXPORT,
    MEET,
    NOTE,
    PERMISSIONS,
    PUBLISH,
    READ,
    REFER,
    REFERENCE,
    RESOLVE,
    RESPOND,
    SUBMIT,
    TRIAGE,
)
from web.steps import STEPS

NOT_FOUND_PAGE = Access(PUBLIC, answers=404)

PAGES: dict[Route, Access] = {
    Route("GET", "static"): Access(PUBLIC),
    Route("GET", "i18n.choose"): Access(PUBLIC),
    Route("GET", "auth.login"): Access(PUBLIC),
    Route("POST", "auth.login"): Access(PUBLIC),
    Route("POST", "auth.logout"): Access(PUBLIC),
    # The second step of signing in: open to anyone, as the password's page is.
    Route("GET", "second_factor.code"): Access(PUBLIC),
    Route("POST", "second_factor.code"): Access(PUBLIC),
    Route("GET", "second_factor.enrol"): Access(PUBLIC),
    Route("POST", "second_factor.enrol"): Access(PUBLIC),
    Route("GET", "auth.own_sessions"): Access(SIGNED_IN),
    Route("POST", "auth.own_sessions"): Access(SIGNED_IN),
    Route("GET", "dashboard.home"): Access(SIGNED_IN),
    Route("GET", "cases.case_list"): Access(READ),
    Route("GET", "cases.new_case"): Access(SUBMIT),
    Route("POST", "cases.new_case"): Access(SUBMIT),
    Route("GET", "cases.case"): Access(READ, CASE_OR_MEETING),
    Route("POST", "documents.upload"): Access(NOTE, CASE_OR_MEETING),
    Route("GET", "documents.download"): Access(READ, CASE_OR_MEETING),
    Route("GET", "imports.import_page"): Access(SUBMIT),
    Route("POST", "imports.import_page"): Access(SUBMIT),
    Route("GET", "imports.template"): Access(SUBMIT),
    Route("GET", "meetings.meeting_list"): Access(READ),
    Route("GET", "meetings.new_meeting"): Access(MEET),
    Route("POST", "meetings.new_meeting"): Access(MEET),
    Route("GET", "meetings.meeting"): Access(READ, CASE_OR_MEETING),
    Route("POST", "meetings.attendance"): Access(MEET, CASE_OR_MEETING),
    Route("POST", "meetings.agenda"): Access(MEET, CASE_OR_MEETING),
    Route("POST", "meetings.minutes"): Access(MEET, CASE_OR_MEETING),
    Route("GET", "reports.accountability"): Access(READ, ASKED_MUNICIPALITY),
    Route("GET", "reports.accountability_file"): Access(READ, ASKED_MUNICIPALITY),
    Route("GET", "admin.accounts"): Access(ACCOUNTS),
    Route("POST", "admin.accounts"): Access(ACCOUNTS),
    Route("GET", "admin.account"): Access(ACCOUNTS),
    Route("POST", "admin.account"): Access(ACCOUNTS),
    Route("POST", "admin.disable"): Access(ACCOUNTS),
    Route("POST", "admin.sign_out_everywhere"): Access(ACCOUNTS),
    Route("POST", "admin.reset_second_factor"): Access(ACCOUNTS),
    Route("GET", "admin.reference"): Access(REFERENCE),
    Route("GET", "audit.audit_log"): Access(AUDIT),
    # A person is named by the case holding their data.
    Route("GET", "people.erase"): Access(ERASE, CASE_OR_MEETING),
    Route("POST", "people.erase"): Access(ERASE, CASE_OR_MEETING),
    # The public portal and Open311 show published cases to anyone.
    Route("GET", "portal.home"): Access(PUBLIC),
    Route("GET", "portal.case_list"): Access(PUBLIC),
    Route("GET", "portal.case"): Access(PUBLIC),
    Route("GET", "portal.scorecards"): Access(PUBLIC),
    Route("GET", "portal.open_data"): Access(PUBLIC),
    Route("GET", "portal.unknown"): NOT_FOUND_PAGE,
    Route("GET", "open311.discovery"): Access(PUBLIC),
    Route("GET", "open311.service_list"): Access(PUBLIC),
    Route("GET", "open311.request_list"): Access(PUBLIC),
    Route("GET", "open311.one_request"): Access(PUBLIC),
    Route("GET", "open311.unknown"): NOT_FOUND_PAGE,
}

# The one route taking every step of a case: each step needs its own permission.
STEP_NEEDS: dict[str, str] = {
    "accept": TRIAGE,
    "decline": TRIAGE,
    "mark_duplicate": TRIAGE,
    "take_action": ACT,
    "refer": REFER,
    "record_response": RESPOND,
    "follow_up": REFER,
    "extend_deadline": REFER,
    "verify_commitment": REFER,
    "resolve": RESOLVE,
    "reopen": RESOLVE,
    "amend": SUBMIT,
    "translate": SUBMIT,
    "add_note": NOTE,
    "publish": PUBLISH,
    "unpublish": PUBLISH,
}
TABLE: dict[Route, Access] = (
    PAGES
    | OPERATIONS
    | {
        Route("POST", "cases.take_step", step): Access(need, CASE_OR_MEETING)
        for step, need in STEP_NEEDS.items()
    }
)
TRIALS = trials(TABLE)
DOCUMENT = b"%PDF-1.4 a letter from the municipality"


@dataclass(frozen=True)
class Site:
    """The app of this module, and what its addresses name."""

    app: Flask
    places: dict[str, Place]
    documents: dict[str, str]  # an attached document's id, by place
    people: dict[str, str]  # a person who raised a case, by place
    account_id: str  # an account for the admin pages to change


@pytest.fixture(scope="module")
def site(
    demo_store: Demo, module_store: Store, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Site]:
    """One app for the whole matrix: no request hides a record another needs."""
    home = tmp_path_factory.mktemp("page-matrix") / "home"
    with matrix_app(demo_store, module_store, home) as app:
        places = places_of(app)
        documents = {
            place: _attach_document(app, p.case) for place, p in places.items()
        }
        people = {place: person_in(app, MUNICIPALITY[place]) for place in places}
        account = services_of(app).tracker.create_account(
            actor="test", username=BYSTANDER, password=PASSWORD, role="viewer"
        )
        yield Site(app, places, documents, people, account.hex)


def _attach_document(app: Flask, reference: str) -> str:
    """A stored file attached to the case; its document id."""
    services = services_of(app)
    sha256 = hashlib.sha256(DOCUMENT).hexdigest()
    services.documents.mkdir(parents=True, exist_ok=True)
    (services.documents / sha256).write_bytes(DOCUMENT)
    document = services.tracker.attach_document(
        services.tracker.case(reference).case_id, actor="test",
        filename="letter.pdf", media_type="application/pdf", size=len(DOCUMENT),
        sha256=sha256,
    )  # fmt: skip
    return document.hex


def test_every_route_of_the_app_is_in_the_table(site: Site) -> None:
    assert unlisted(site.app, TABLE, api=False) == {
        "missing from the table": set(),
        "gone from the app": set(),
    }


def test_every_step_a_case_page_takes_is_in_the_table() -> None:
    taken_by_the_step_route = {n for n, s in STEPS.items() if s.perform is not None}
    assert set(STEP_NEEDS) == taken_by_the_step_route


def test_each_role_holds_the_permissions_of_its_job() -> None:
    # DESIGN.md §1: a secretary records; advocacy staff also triage, refer and
    # resolve; a coordinator also publishes and exports; an admin also keeps
    # the accounts and the reference data (and what else only an admin does).
    # The matrix follows PERMISSIONS, so this says what PERMISSIONS must be.
    secretary = {READ, SUBMIT, ACT, RESPOND, NOTE, MEET}
    advocate = secretary | {TRIAGE, REFER, RESOLVE}
    coordinator = advocate | {PUBLISH, EXPORT}
    assert PERMISSIONS["viewer"] == {READ}
    assert PERMISSIONS["secretary"] == secretary
    assert PERMISSIONS["advocate"] == advocate
    assert PERMISSIONS["coordinator"] == coordinator
    assert PERMISSIONS["admin"] >= coordinator | {ACCOUNTS, REFERENCE}


@pytest.mark.parametrize("trial", TRIALS, ids=str)
def test_a_page_lets_in_only_the_roles_its_permission_names(
    site: Site, trial: Trial
) -> None:
    answer = _ask(site, trial)
    refused = trial.refusals()
    if trial.access.answers is not None:
        assert answer.status_code == trial.access.answers, _said(answer)
    elif refused == {SIGN_IN}:
        assert _sends_to_sign_in(answer), _said(answer)
    elif refused:
        assert answer.status_code in refused, _said(answer)
    else:
        assert _let_in(answer), _said(answer)


def _ask(site: Site, trial: Trial) -> TestResponse:
    """The trial's request, by a client of its own signed in as its role."""
    if trial.role == ANONYMOUS:
        client = site.app.test_client()
    else:
        client = signed_in(site.app, USERNAME[trial.role])
    path = address(site.app, trial, _values(site, trial))
    if trial.route.method == "GET":
        return client.get(path)
    return client.open(path, method=trial.route.method, data=_form(trial))


def _values(site: Site, trial: Trial) -> dict[str, str]:
    """A real value for every part of an address, at the trial's place."""
    place = site.places[trial.place]
    public = trial.access.need == PUBLIC
    return {
        "reference": place.published_case if public else place.case,
        "meeting_id": place.meeting,
        "document_id": site.documents[trial.place],
        "name": trial.route.step,
        "account_id": site.account_id,
        "person_id": site.people[trial.place],
        "tag": "en",
        "file_format": "csv",
        "fmt": "json",
        "unknown": "no-such-page",
        "filename": "style.css",
    }


def _form(trial: Trial) -> dict[str, str]:
    """What a form sends: nothing, which gets past the door to the form's check."""
    if trial.route.endpoint == "auth.login":
        username = USERNAME.get(trial.role, USERNAME["viewer"])
        return {"username": username, "password": PASSWORD}
    return {}


def _sends_to_sign_in(answer: TestResponse) -> bool:
    """Whether the answer is Flask-Login's redirect to the sign-in page."""
    target = urlsplit(answer.headers.get("Location", ""))
    return (
        answer.status_code == 302
        and target.path == "/login"
        and "next=" in target.query
    )


def _let_in(answer: TestResponse) -> bool:
    """Past the door, and not sent to the sign-in page."""
    return let_in(answer.status_code) and not _sends_to_sign_in(answer)


def _said(answer: TestResponse) -> str:
    where = answer.headers.get("Location", "")
    return f"answered {answer.status_code} {where}".strip()
