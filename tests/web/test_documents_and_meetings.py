"""Documents (checked on the way in, served safely) and meetings with attendance."""

from __future__ import annotations

import io
import re
from uuid import UUID

from flask import Flask
from flask.testing import FlaskClient

from tests.web.conftest import case_reference, csrf_token, services_of
from web.app import MAX_UPLOAD_BYTES


def _upload(client: FlaskClient, reference: str, name: str, content: bytes) -> str:
    answer = client.post(
        f"/cases/{reference}/documents",
        data={"csrf_token": csrf_token(client, f"/cases/{reference}"),
              "file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )  # fmt: skip
    return f"{answer.status_code} {answer.get_data(as_text=True)}"


def test_a_file_whose_content_is_not_its_type_is_refused(
    app: Flask, as_role: dict[str, FlaskClient]
) -> None:
    reference = case_reference(app, "submitted")
    secretary = as_role["secretary"]
    refused = _upload(secretary, reference, "letter.pdf", b"<script>alert(1)</script>")
    assert refused.startswith("422")
    assert "The file&#39;s content does not match its type." in refused
    refused = _upload(secretary, reference, "tool.exe", b"MZ\x90\x00")
    assert "Only PDF, PNG, JPEG, DOCX, XLSX, ODT and TXT files." in refused
    assert services_of(app).tracker.case(reference).documents == ()


def test_a_document_is_kept_by_hash_and_served_as_an_attachment(
    app: Flask, as_role: dict[str, FlaskClient]
) -> None:
    reference = case_reference(app, "submitted")
    secretary = as_role["secretary"]
    content = b"%PDF-1.4 the mayor's answer"
    assert _upload(secretary, reference, "../../answer.pdf", content).startswith("302")
    (document,) = services_of(app).tracker.case(reference).documents
    assert document.filename == "answer.pdf"
    assert (services_of(app).documents / document.sha256).read_bytes() == content
    # Every stored file is named by its hash, never by what the uploader typed.
    stored = [p.name for p in services_of(app).documents.rglob("*") if p.is_file()]
    assert stored
    assert all(re.fullmatch(r"[0-9a-f]{64}", name) for name in stored)
    answer = secretary.get(f"/cases/{reference}/documents/{document.document_id.hex}")
    assert answer.data == content
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert answer.headers["Content-Disposition"].startswith("attachment")
    # Stricter than every page's policy, and kept.
    assert answer.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_an_upload_over_the_limit_is_refused(
    app: Flask, as_role: dict[str, FlaskClient]
) -> None:
    reference = case_reference(app, "submitted")
    big = b"%PDF-" + b"0" * MAX_UPLOAD_BYTES
    assert _upload(as_role["secretary"], reference, "big.pdf", big).startswith("413")


def test_a_meeting_is_recorded_with_its_attendance_grid(
    app: Flask, as_role: dict[str, FlaskClient]
) -> None:
    secretary = as_role["secretary"]
    answer = secretary.post(
        "/meetings/new",
        data={"csrf_token": csrf_token(secretary, "/meetings/new"),
              "municipality": "GRA", "held_on": "2026-01-12", "place": "Community hall",
              "attendance_female_serb": "7", "attendance_male_albanian": "5",
              "attendance_female_roma": ""},
    )  # fmt: skip
    assert answer.status_code == 302
    page = secretary.get(answer.headers["Location"]).get_data(as_text=True)
    assert "12 people came" in page
    meeting_id = answer.headers["Location"].rsplit("/", 1)[-1]
    meeting = services_of(app).tracker.meeting(UUID(hex=meeting_id))
    assert meeting.attendance_by_gender == {"female": 7, "male": 5}


def test_a_bad_attendance_count_is_refused_and_the_grid_kept(
    app: Flask, as_role: dict[str, FlaskClient]
) -> None:
    secretary = as_role["secretary"]
    answer = secretary.post(
        "/meetings/new",
        data={"csrf_token": csrf_token(secretary, "/meetings/new"),
              "municipality": "GRA", "held_on": "2026-01-12", "place": "Hall",
              "attendance_female_serb": "-3", "attendance_male_serb": "4"},
    )  # fmt: skip
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert re.search(r'name="attendance_male_serb"[^>]*value="4"', page)
    assert "The number must be between 0 and 10000." in page


def test_a_case_raised_at_a_meeting_is_on_its_agenda(
    app: Flask, as_role: dict[str, FlaskClient]
) -> None:
    secretary = as_role["secretary"]
    made = secretary.post(
        "/meetings/new",
        data={"csrf_token": csrf_token(secretary, "/meetings/new"),
              "municipality": "GRA", "held_on": "2026-01-12", "place": "Hall"},
    )  # fmt: skip
    meeting_id = made.headers["Location"].rsplit("/", 1)[-1]
    form_page = secretary.get(f"/cases/new?meeting={meeting_id}").get_data(True)
    assert 'value="2026-01-12"' in form_page
    raised = secretary.post(
        "/cases/new",
        data={"csrf_token": csrf_token(secretary, "/cases/new"), "meeting": meeting_id,
              "municipality": "GRA", "title": "Clinic without a doctor",
              "description": "No doctor on weekdays.", "category": "public_services",
              "communities": ["serb", "albanian"], "raised_on": "2026-01-12",
              "language": "en"},
    )  # fmt: skip
    assert raised.headers["Location"].endswith(f"/meetings/{meeting_id}")
    page = secretary.get(f"/meetings/{meeting_id}").get_data(as_text=True)
    assert re.search(r"GRA-2026-\d{3}</a> · raised here", page)


def test_a_resolved_case_takes_no_document_and_keeps_no_file(
    app: Flask, as_role: dict[str, FlaskClient]
) -> None:
    reference = case_reference(app, "resolved")
    refused = _upload(as_role["secretary"], reference, "late.pdf", b"%PDF-1.4 late")
    assert refused.startswith("422")
    assert "This step is not possible at this stage." in refused
    assert not services_of(app).documents.exists() or not any(
        services_of(app).documents.iterdir()
    )
