"""Only what a coordinator published reaches the portal, in any language or file."""

from __future__ import annotations

import json
from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.web.conftest import services_of
from tests.web.open311.forum import (
    LOCALES,
    PUBLIC_DESCRIPTION,
    PUBLIC_TITLE,
    SECRETS,
    Forum,
    publish,
    submitted,
)
from tests.web.portal.conftest import open_data_files


def _portal_paths(forum: Forum) -> list[str]:
    """Every portal address a reader can open, the unpublished cases' too."""
    cases = [forum.river, forum.road, forum.clinic, forum.never, forum.withdrawn]
    return [
        "/public/",
        "/public/cases",
        "/public/cases?municipality=STR",
        "/public/cases?status=declined",
        "/public/scorecards",
        "/public/scorecards?year=2026",
        *(f"/public/cases/{reference}" for reference in cases),
    ]


@pytest.mark.parametrize("language", LOCALES)
def test_no_secret_reaches_any_portal_page_in_any_language(
    client: FlaskClient, forum: Forum, language: str
) -> None:
    client.set_cookie("language", language)
    shown = ""
    for path in _portal_paths(forum):
        shown += client.get(path).get_data(as_text=True)
    for secret in SECRETS:
        assert secret not in shown, (language, secret)
    assert PUBLIC_TITLE in shown
    assert PUBLIC_DESCRIPTION in shown


def test_no_secret_reaches_any_file_of_the_open_data(
    client: FlaskClient, forum: Forum
) -> None:
    files = open_data_files(client)
    for name, text in files.items():
        for secret in SECRETS:
            assert secret not in text, (name, secret)
    published = files["published_cases.csv"] + files["published_cases.json"]
    assert PUBLIC_TITLE in published
    assert PUBLIC_DESCRIPTION in published
    assert "Clinic closed" in published


def test_a_published_case_shows_its_redacted_text_and_chosen_fields_only(
    client: FlaskClient, forum: Forum
) -> None:
    client.set_cookie("language", "en")
    river = client.get(f"/public/cases/{forum.river}").get_data(as_text=True)
    assert PUBLIC_TITLE in river
    assert PUBLIC_DESCRIPTION in river
    assert "Near the school" in river  # its location is published
    # Its timeline is published.
    assert "Response received" in river
    assert "Commitment" in river
    clinic = client.get(f"/public/cases/{forum.clinic}").get_data(as_text=True)
    assert "Clinic closed" in clinic
    # Only its title and description are published.
    for absent in ("Gračanica", "Public services", "Status", "Timeline", "Category"):
        assert absent not in clinic, absent


def test_a_field_not_published_is_absent_from_the_open_data(
    client: FlaskClient, forum: Forum
) -> None:
    files = open_data_files(client)
    rows = {row["reference"]: row for row in _json_rows(files["published_cases.json"])}
    assert set(rows) == {forum.river, forum.road, forum.clinic}
    assert rows[forum.road]["location"] is None
    clinic = rows[forum.clinic]
    assert clinic["published_fields"] == ["title", "description"]
    assert [clinic[f] for f in ("category", "municipality", "status")] == [None] * 3
    steps = _json_rows(files["published_steps.json"])
    assert {step["reference"] for step in steps} == {forum.river, forum.road}


def test_unpublishing_takes_a_case_off_the_portal_and_the_open_data(
    empty_app: Flask, client: FlaskClient, forum: Forum
) -> None:
    tracker = services_of(empty_app).tracker
    case_id, reference = submitted(tracker, raised_on=date(2025, 10, 1))
    publish(tracker, case_id, ["title", "description"], title="Bridge repaired")
    assert client.get(f"/public/cases/{reference}").status_code == 200
    assert "Bridge repaired" in client.get("/public/cases").get_data(as_text=True)
    assert "Bridge repaired" in open_data_files(client)["published_cases.csv"]
    tracker.unpublish_case(case_id, actor="coordinator", reason="Asked to")
    assert client.get(f"/public/cases/{reference}").status_code == 404
    assert "Bridge repaired" not in client.get("/public/").get_data(as_text=True)
    assert "Bridge repaired" not in client.get("/public/cases").get_data(as_text=True)
    files = open_data_files(client)
    assert not any("Bridge repaired" in text for text in files.values())
    assert not any(reference in text for text in files.values())


def _json_rows(text: str) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = json.loads(text)
    return rows


def test_nothing_typed_into_the_address_is_echoed_as_markup(
    client: FlaskClient, forum: Forum
) -> None:
    answer = client.get("/public/cases?municipality=<b>x</b>")
    assert answer.status_code == 400
    assert "<b>x</b>" not in answer.get_data(as_text=True)
