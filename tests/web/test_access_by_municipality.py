"""A case of another municipality named other than by its URL is refused as there.

The matrix (test_access_matrix.py) tries every address; here a case is named
by a reference typed into a form, or a person by the case holding their
data. Whoever may not see the case's municipality learns nothing of it and
changes nothing through it, as the API already does for typed references.
"""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.web.access_expectations import ELSEWHERE, HOME, person_in, place_in
from tests.web.conftest import (
    PASSWORD,
    SECOND_FACTORS,
    case_reference,
    enrol,
    services_of,
    sign_in,
)

NO_SUCH_CASE = f"{ELSEWHERE}-2023-999"


def test_an_agenda_tells_a_secretary_nothing_of_another_municipalitys_cases(
    app: Flask, as_role: dict[str, FlaskClient]
) -> None:
    app.config["WTF_CSRF_ENABLED"] = False
    agenda = f"/meetings/{place_in(app, HOME).meeting}/agenda"
    elsewhere = case_reference(app, "submitted", ELSEWHERE)
    typed = {
        reference: _errors(
            as_role["secretary"].post(agenda, data={"reference": reference})
        )
        for reference in (elsewhere, NO_SUCH_CASE)
    }
    assert typed[elsewhere] == typed[NO_SUCH_CASE]


def test_a_case_one_may_not_see_cannot_be_named_as_the_original_of_a_duplicate(
    app: Flask,
) -> None:
    advocate = _working_in_home(app, "home-advocate", "advocate")
    duplicate = case_reference(app, "submitted", HOME)
    original = case_reference(app, "submitted", ELSEWHERE)
    answer = advocate.post(
        f"/cases/{duplicate}/steps/mark_duplicate", data={"duplicate_of": original}
    )
    assert answer.status_code == 422, answer.status_code
    assert services_of(app).tracker.case(duplicate).status == "submitted"


def test_a_person_on_a_case_one_may_not_see_cannot_be_erased(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(SECOND_FACTORS, "home-admin", SECOND_FACTORS["admin"])
    admin = _working_in_home(app, "home-admin", "admin")
    person = person_in(app, ELSEWHERE)
    assert admin.get(f"/admin/people/{person}").status_code == 404


def _working_in_home(app: Flask, username: str, role: str) -> FlaskClient:
    """Someone of `role` working in the secretary's municipality only, signed in.

    A secretary must work in named municipalities; any other role may
    (`domain.account`), and is then kept out of the others as a secretary is.
    """
    services_of(app).tracker.create_account(
        actor="test", username=username, password=PASSWORD, role=role,
        municipalities=(HOME,),
    )  # fmt: skip
    if username in SECOND_FACTORS:
        enrol(app, username)
    client = sign_in(app.test_client(), username)
    app.config["WTF_CSRF_ENABLED"] = False
    return client


def _errors(page: TestResponse) -> list[str]:
    """The refusals a form page shows."""
    return re.findall(r'<p class="error"[^>]*>([^<]*)</p>', page.get_data(as_text=True))
