"""The admin's page for erasing a person's data, and what the case shows after."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.web.conftest import csrf_token, services_of

NAME = "Mirlinda Bajrami 6620"
CONTACT = "mirlinda@example.org"
REASON = "Her request of 5 January, letter 2/2026"


@pytest.fixture
def named(app: Flask) -> tuple[str, str]:
    """A Graçanicë case raised by a named person: its reference and person id."""
    tracker = services_of(app).tracker
    made = tracker.submit_case(
        actor="secretary", municipality="GRA", title="Unlit road to Laplje Selo",
        description="Children walk to school in the dark.",
        category="infrastructure", communities=["serb", "albanian"],
        raised_on=date(2025, 12, 10), submitter={"name": NAME, "contact": CONTACT},
    )  # fmt: skip
    submitter = tracker.case(made.case_id).submitter
    assert submitter is not None
    return made.reference, submitter.person_id.hex


def page(client: FlaskClient, path: str) -> str:
    """A page's text, asserting it was served."""
    answer = client.get(path)
    assert answer.status_code == 200, answer.status_code
    return answer.get_data(as_text=True)


def erase(
    admin: FlaskClient, person: str, *, reason: str, confirmation: str
) -> tuple[int, str]:
    """Send the erasure form; the status and the page."""
    path = f"/admin/people/{person}"
    answer = admin.post(
        path,
        data={
            "csrf_token": csrf_token(admin, path),
            "reason": reason,
            "confirmation": confirmation,
        },
    )
    return answer.status_code, answer.get_data(as_text=True)


def test_those_who_record_cases_see_the_submitter_and_a_viewer_does_not(
    as_role: dict[str, FlaskClient], named: tuple[str, str]
) -> None:
    reference, person = named
    erase_link = f'href="/admin/people/{person}"'
    admin = page(as_role["admin"], f"/cases/{reference}")
    assert NAME in admin
    assert erase_link in admin
    secretary = page(as_role["secretary"], f"/cases/{reference}")
    assert NAME in secretary
    assert erase_link not in secretary
    assert NAME not in page(as_role["viewer"], f"/cases/{reference}")


@pytest.mark.parametrize("role", ["coordinator", "advocate", "secretary", "viewer"])
def test_only_an_admin_may_erase(
    as_role: dict[str, FlaskClient], named: tuple[str, str], role: str
) -> None:
    assert as_role[role].get(f"/admin/people/{named[1]}").status_code == 403


def test_an_unknown_person_is_not_found(as_role: dict[str, FlaskClient]) -> None:
    for person in ("0" * 32, "not-an-id"):
        assert as_role["admin"].get(f"/admin/people/{person}").status_code == 404


def test_erasing_after_confirmation_leaves_the_case_whole(
    app: Flask, as_role: dict[str, FlaskClient], named: tuple[str, str]
) -> None:
    reference, person = named
    admin = as_role["admin"]
    assert NAME in page(admin, f"/admin/people/{person}")
    answer = admin.post(
        f"/admin/people/{person}",
        data={
            "csrf_token": csrf_token(admin, f"/admin/people/{person}"),
            "reason": REASON,
            "confirmation": reference.lower(),
        },
    )
    assert answer.status_code == 302
    assert answer.headers["Location"] == f"/cases/{reference}"
    shown = page(admin, f"/cases/{reference}")
    assert NAME not in shown
    assert CONTACT not in shown
    assert "erased" in shown
    assert "Personal data erased" in shown
    assert REASON in shown
    assert "Unlit road to Laplje Selo" in shown
    again = page(admin, f"/admin/people/{person}")
    assert "was erased already" in again
    assert 'name="reason"' not in again
    case = services_of(app).tracker.case(reference)
    assert case.submitter is not None
    assert case.submitter.erased


@pytest.mark.parametrize(
    ("reason", "confirmation", "field", "message"),
    [
        ("", "{reference}", "reason", "This field is required."),
        (REASON, "", "confirmation", "This field is required."),
        (REASON, "GRA-2025-999", "confirmation", "Type {reference} to confirm."),
        ("x" * 501, "{reference}", "reason", "longer than 500 characters"),
    ],
)
def test_a_refused_erasure_says_why_keeps_the_input_and_erases_nothing(
    app: Flask,
    as_role: dict[str, FlaskClient],
    named: tuple[str, str],
    reason: str,
    confirmation: str,
    field: str,
    message: str,
) -> None:
    reference, person = named
    status, shown = erase(
        as_role["admin"], person, reason=reason,
        confirmation=confirmation.format(reference=reference),
    )  # fmt: skip
    assert status == 422
    assert message.format(reference=reference) in shown
    assert f'id="{field}"' in shown
    if reason:
        assert reason[:50] in shown
    assert NAME in shown
    case = services_of(app).tracker.case(reference)
    assert case.submitter is not None
    assert not case.submitter.erased


def test_the_page_is_in_the_readers_language(
    as_role: dict[str, FlaskClient], named: tuple[str, str]
) -> None:
    admin = as_role["admin"]
    admin.set_cookie("language", "sq")
    shown = page(admin, f"/admin/people/{named[1]}")
    assert "This cannot be undone" not in shown


def test_a_sensitive_note_is_kept_from_viewers_and_erased_with_the_person(
    app: Flask, as_role: dict[str, FlaskClient], named: tuple[str, str]
) -> None:
    reference, person = named
    secretary = as_role["secretary"]
    text = "Her brother-in-law threatens her when she complains 7713"
    answer = secretary.post(
        f"/cases/{reference}/steps/add_note",
        data={
            "csrf_token": csrf_token(secretary, f"/cases/{reference}"),
            "text": text,
            "sensitive": "y",
        },
    )
    assert answer.status_code == 302
    assert text in page(secretary, f"/cases/{reference}")
    viewer_page = page(as_role["viewer"], f"/cases/{reference}")
    assert text not in viewer_page
    assert "Sensitive note, not shown to viewers" in viewer_page
    status, _ = erase(as_role["admin"], person, reason=REASON, confirmation=reference)
    assert status == 302
    after = page(secretary, f"/cases/{reference}")
    assert text not in after
    assert "Sensitive note: erased" in after
