"""Forms: refusals next to the field, nothing lost, nothing half-written."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from tests.application.builders import event_count
from tests.web.conftest import case_reference, csrf_token, services_of


def _new_case(token: str, **overrides: object) -> dict[str, object]:
    form: dict[str, object] = {
        "csrf_token": token,
        "municipality": "GRA",
        "title": "No street lights on the school road",
        "description": "Children walk to school in the dark.",
        "category": "infrastructure",
        "communities": ["serb", "albanian"],
        "raised_on": "2026-01-10",
        "language": "en",
    }
    form.update(overrides)
    return form


def _error_beside(page: str, field: str) -> str:
    found = re.search(rf'<p class="error" id="{field}-error">([^<]*)</p>', page)
    assert found, f"no error beside {field}"
    return found.group(1).strip()


def test_a_new_case_missing_fields_is_refused_field_by_field_and_kept(
    app: Flask, as_role: dict[str, FlaskClient]
) -> None:
    secretary = as_role["secretary"]
    before = event_count(services_of(app).tracker)
    token = csrf_token(secretary, "/cases/new")
    answer = secretary.post(
        "/cases/new", data=_new_case(token, description="", communities=[])
    )
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert _error_beside(page, "description") == "This field is required."
    assert _error_beside(page, "communities") == "This field is required."
    assert "No street lights on the school road" in page
    assert event_count(services_of(app).tracker) == before


def test_a_date_in_the_future_is_refused_beside_the_date(
    app: Flask, as_role: dict[str, FlaskClient]
) -> None:
    secretary = as_role["secretary"]
    before = event_count(services_of(app).tracker)
    token = csrf_token(secretary, "/cases/new")
    page = secretary.post(
        "/cases/new", data=_new_case(token, raised_on="2027-01-01")
    ).get_data(as_text=True)
    assert _error_beside(page, "raised_on") == "This date is in the future."
    assert event_count(services_of(app).tracker) == before


def test_a_new_case_is_logged_and_shown(as_role: dict[str, FlaskClient]) -> None:
    secretary = as_role["secretary"]
    token = csrf_token(secretary, "/cases/new")
    answer = secretary.post("/cases/new", data=_new_case(token))
    assert answer.status_code == 302
    page = secretary.get(answer.headers["Location"]).get_data(as_text=True)
    assert "No street lights on the school road" in page
    assert "jointly raised" in page
    assert "Case submitted" in page


def test_a_step_refused_by_the_case_keeps_what_was_typed(
    app: Flask, as_role: dict[str, FlaskClient]
) -> None:
    advocate = as_role["advocate"]
    reference = case_reference(app, "submitted")
    advocate.post(
        f"/cases/{reference}/steps/accept",
        data={"csrf_token": csrf_token(advocate, f"/cases/{reference}"),
              "priority": "high"},
    )  # fmt: skip
    before = event_count(services_of(app).tracker)
    answer = advocate.post(
        f"/cases/{reference}/steps/take_action",
        data={"csrf_token": csrf_token(advocate, f"/cases/{reference}"),
              "kind": "letter", "taken_on": "2000-01-01",
              "description": "Wrote to the mayor about it"},
    )  # fmt: skip
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert _error_beside(page, "take_action-taken_on") == (
        "This date is before the case was raised."
    )
    assert "Wrote to the mayor about it" in page
    assert event_count(services_of(app).tracker) == before


def test_a_change_made_meanwhile_is_shown_and_nothing_is_overwritten(
    app: Flask, as_role: dict[str, FlaskClient]
) -> None:
    advocate, coordinator = as_role["advocate"], as_role["coordinator"]
    reference = case_reference(app, "submitted")
    opened = advocate.get(f"/cases/{reference}").get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', opened)
    assert version
    coordinator.post(
        f"/cases/{reference}/steps/add_note",
        data={"csrf_token": csrf_token(coordinator, f"/cases/{reference}"),
              "text": "The mayor's office called"},
    )  # fmt: skip
    before = event_count(services_of(app).tracker)
    form = {
        "csrf_token": csrf_token(advocate, "/cases"),
        "version": version.group(1),
        "reason": "Handled by the ombudsperson already",
    }
    answer = advocate.post(f"/cases/{reference}/steps/decline", data=form)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 409
    assert "Someone else changed this case" in page
    assert "Note added" in page
    assert "coordinator" in page
    assert "Handled by the ombudsperson already" in page
    assert event_count(services_of(app).tracker) == before
    newer = re.findall(r'name="version" type="hidden" value="(\d+)"', page)
    assert str(int(version.group(1)) + 1) in newer
    # Sent again after reading what changed, it applies to the case as it is.
    again = advocate.post(
        f"/cases/{reference}/steps/decline",
        data={**form, "version": str(int(version.group(1)) + 1)},
    )
    assert again.status_code == 302
    assert services_of(app).tracker.case(reference).status == "declined"


def test_a_form_without_its_csrf_token_changes_nothing(
    app: Flask, as_role: dict[str, FlaskClient]
) -> None:
    before = event_count(services_of(app).tracker)
    answer = as_role["secretary"].post("/cases/new", data=_new_case(""))
    assert answer.status_code == 400
    assert event_count(services_of(app).tracker) == before


def test_a_step_not_possible_now_is_refused(
    app: Flask, as_role: dict[str, FlaskClient]
) -> None:
    advocate = as_role["advocate"]
    reference = case_reference(app, "submitted")
    answer = advocate.post(
        f"/cases/{reference}/steps/resolve",
        data={"csrf_token": csrf_token(advocate, "/cases"), "outcome": "resolved",
              "resolved_on": "2026-01-10", "summary": "done"},
    )  # fmt: skip
    assert answer.status_code == 422
    assert "This step is not possible at this stage." in answer.get_data(as_text=True)


def test_a_step_someone_else_made_impossible_meanwhile_shows_their_change(
    app: Flask, as_role: dict[str, FlaskClient]
) -> None:
    advocate, coordinator = as_role["advocate"], as_role["coordinator"]
    reference = case_reference(app, "submitted")
    version = services_of(app).tracker.case(reference).version
    accept = {"csrf_token": csrf_token(coordinator, "/cases"), "priority": "high",
              "version": str(version)}  # fmt: skip
    assert (
        coordinator.post(f"/cases/{reference}/steps/accept", data=accept).status_code
        == 302
    )
    before = event_count(services_of(app).tracker)

    late = {**accept, "csrf_token": csrf_token(advocate, "/cases"), "priority": "low"}
    answer = advocate.post(f"/cases/{reference}/steps/accept", data=late)

    page = answer.get_data(as_text=True)
    assert answer.status_code == 409
    assert "Someone else changed this case" in page
    assert "This step is not possible at this stage." in page
    assert "coordinator" in page
    assert event_count(services_of(app).tracker) == before


def test_after_a_refusal_the_other_forms_still_carry_the_version_and_values(
    app: Flask, as_role: dict[str, FlaskClient]
) -> None:
    advocate = as_role["advocate"]
    reference = case_reference(app, "submitted")
    version = services_of(app).tracker.case(reference).version
    page = advocate.post(
        f"/cases/{reference}/steps/decline",
        data={"csrf_token": csrf_token(advocate, "/cases"), "version": str(version),
              "reason": ""},
    ).get_data(as_text=True)  # fmt: skip
    versions = re.findall(r'name="version" type="hidden" value="(\d*)"', page)
    assert len(versions) > 3
    assert set(versions) == {str(version)}
    assert re.search(r'id="amend-title"[^>]*value="[^"]+"', page)
    assert re.search(r'id="amend-raised_on"[^>]*value="\d{4}-\d\d-\d\d"', page)
