"""Who sees and changes what: roles, municipalities, typed URLs, anonymous."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.web.conftest import case_reference, csrf_token, services_of

OPEN_TO_ALL = {
    "auth.login", "auth.logout", "i18n.choose", "static",
    # For load balancers and monitoring (tests/web/test_health.py,
    # tests/web/test_metrics.py): no records, only counts.
    "health.healthz", "metrics.exposition",
    # A sign-in's second step: for a pending one (tests/web/test_second_factor.py).
    "second_factor.code", "second_factor.enrol",
    # The public portal shows published cases and scorecards to anyone
    # (tests/web/portal).
    "portal.home", "portal.case_list", "portal.case", "portal.scorecards",
    "portal.open_data", "portal.unknown",
}  # fmt: skip


def _case_in(app: Flask, municipality: str) -> str:
    return case_reference(app, "submitted", municipality)


def _meeting_in(app: Flask, municipality: str) -> str:
    with services_of(app).views.reading() as c:
        c.execute(
            "SELECT meeting_id FROM meetings WHERE municipality = ? LIMIT 1",
            (municipality,),
        )
        return str(c.fetchone()[0])


def _urls(app: Flask, municipality: str) -> dict[str, str]:
    """A concrete address for every page of the app, in one municipality."""
    values = {
        "reference": _case_in(app, municipality),
        "meeting_id": _meeting_in(app, municipality),
        "name": "add_note",
        "document_id": "0" * 32,
        "account_id": "0" * 32,
        "tag": "en",
    }
    urls = {}
    for rule in app.url_map.iter_rules():
        if rule.endpoint in OPEN_TO_ALL or rule.rule.startswith("/open311/"):
            continue  # Open311 shows published cases only (tests/web/test_open311*)
        if rule.rule.startswith("/api/"):
            continue  # the API answers 401, not a sign-in page (tests/web/api)
        path = rule.rule
        for key, value in values.items():
            path = path.replace(f"<{key}>", value)
        urls[f"{rule.endpoint} {sorted(rule.methods or ())}"] = path
    return urls


def test_every_page_but_sign_in_needs_an_account(app: Flask) -> None:
    # Without CSRF, which would refuse a POST before its sign-in is checked.
    app.config["WTF_CSRF_ENABLED"] = False
    anonymous = app.test_client()
    for name, path in _urls(app, "GRA").items():
        method = "POST" if "POST" in name and "GET" not in name else "GET"
        answer = anonymous.open(path, method=method)
        assert answer.status_code == 302, (name, answer.status_code)
        assert "/login" in answer.headers["Location"], name


def test_a_secretary_cannot_reach_another_municipality_even_by_url(
    app: Flask, as_role: dict[str, FlaskClient]
) -> None:
    secretary = as_role["secretary"]
    token = csrf_token(secretary, "/cases/new")
    checked = 0
    for name, path in _urls(app, "STR").items():
        if "<" in path or name.startswith(
            (
                "admin.",
                "audit.",
                "auth.own_sessions",
                "dashboard.",
                "cases.case_list",
                "cases.new_case",
                "imports.",
                "meetings.meeting_list",
                "meetings.new_meeting",
                "reports.",
            )
        ):
            continue  # not about one municipality  # fmt: skip
        if "GET" in name:
            answer = secretary.get(path)
        else:
            answer = secretary.post(path, data={"csrf_token": token, "text": "x"})
        assert answer.status_code == 404, (name, path, answer.status_code)
        checked += 1
    # Case page, step, upload, download, meeting page, attendance, agenda, minutes.
    assert checked >= 8
    own = _case_in(app, "GRA")
    assert secretary.get(f"/cases/{own}").status_code == 200


def test_a_secretary_lists_only_their_municipality(
    as_role: dict[str, FlaskClient],
) -> None:
    page = as_role["secretary"].get("/cases").get_data(as_text=True)
    references = set(re.findall(r'href="/cases/([A-Z]{3})-\d{4}-\d{3}"', page))
    assert references == {"GRA"}
    refused = as_role["secretary"].get("/cases?municipality=STR")
    assert "Choose one of the options." in refused.get_data(as_text=True)


@pytest.mark.parametrize(
    ("role", "path", "status"),
    [
        ("viewer", "/cases/new", 403),
        ("viewer", "/meetings/new", 403),
        ("secretary", "/admin/accounts", 403),
        ("advocate", "/admin/reference", 403),
        ("coordinator", "/admin/accounts", 403),
        ("admin", "/admin/accounts", 200),
        ("viewer", "/cases", 200),
    ],
)
def test_roles_open_only_their_pages(
    as_role: dict[str, FlaskClient], role: str, path: str, status: int
) -> None:
    assert as_role[role].get(path).status_code == status


def test_a_viewer_cannot_take_a_step(
    app: Flask, as_role: dict[str, FlaskClient]
) -> None:
    viewer = as_role["viewer"]
    reference = _case_in(app, "GRA")
    token = csrf_token(viewer, "/cases")
    answer = viewer.post(
        f"/cases/{reference}/steps/add_note", data={"csrf_token": token, "text": "x"}
    )
    assert answer.status_code == 403
    page = viewer.get(f"/cases/{reference}").get_data(as_text=True)
    assert 'id="step-' not in page


def test_a_secretary_is_not_offered_steps_of_advocacy_staff(
    app: Flask, as_role: dict[str, FlaskClient]
) -> None:
    reference = _case_in(app, "GRA")
    page = as_role["secretary"].get(f"/cases/{reference}").get_data(as_text=True)
    offered = set(re.findall(r'id="step-([a-z_]+)"', page))
    assert "accept" not in offered
    assert "add_note" in offered
    advocate_page = (
        as_role["advocate"].get(f"/cases/{reference}").get_data(as_text=True)
    )
    assert {"accept", "decline", "mark_duplicate"} <= set(
        re.findall(r'id="step-([a-z_]+)"', advocate_page)
    )
