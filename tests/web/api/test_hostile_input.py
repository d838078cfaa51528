"""Input no client should send, and a prying secretary's tries: refused, never a 500."""

from __future__ import annotations

import io
import sqlite3

from flask import Flask

from tests.application.builders import event_count
from tests.web.api.conftest import NEW_CASE, ApiClient, submitted
from tests.web.conftest import services_of


def raw_post(client: ApiClient, path: str, body: str) -> tuple[int, dict[str, object]]:
    """POST a body exactly as written."""
    answer = client.client.post(
        path, data=body, headers=client.headers({"Content-Type": "application/json"})
    )
    return answer.status_code, dict(answer.json or {})


def test_a_reference_with_a_huge_number_is_refused_not_a_crash(
    api: dict[str, ApiClient],
) -> None:
    huge = "GRA-2026-" + "9" * 30
    assert api["admin"].get(f"/api/v1/cases/{huge}").status_code == 422
    meeting = {"municipality": "GRA", "date": "2026-01-10", "location": "Hall",
               "cases": [huge]}  # fmt: skip
    assert api["admin"].post("/api/v1/meetings", meeting).status_code == 422


def test_text_no_encoding_can_hold_is_refused_and_writes_nothing(
    empty_app: Flask, api: dict[str, ApiClient]
) -> None:
    case = submitted(api["secretary"])
    before = event_count(services_of(empty_app).tracker)
    status, body = raw_post(
        api["secretary"], f"/api/v1/cases/{case['id']}/notes", '{"text": "\\ud800"}'
    )
    assert status == 400
    assert body["error"] == "bad_request"
    assert event_count(services_of(empty_app).tracker) == before
    anonymous = ApiClient(empty_app.test_client(), "")
    status, _ = raw_post(
        anonymous,
        "/api/v1/tokens",
        '{"username": "admin", "password": "\\ud800xxxxxxxxxxxx"}',
    )
    assert status == 400


def test_json_nested_past_any_reader_is_refused(api: dict[str, ApiClient]) -> None:
    deep = "[" * 5000 + "]" * 5000
    status, body = raw_post(api["secretary"], "/api/v1/cases", f'{{"a": {deep}}}')
    assert status == 400
    assert body["status"] == 400


def test_a_date_before_1990_is_refused(api: dict[str, ApiClient]) -> None:
    answer = api["secretary"].post(
        "/api/v1/cases", {**NEW_CASE, "raised_on": "0001-01-01"}
    )
    assert answer.status_code == 422
    assert (answer.json or {})["errors"][0]["field"] == "raised_on"


def test_a_retried_upload_is_the_same_request_whatever_its_boundary(
    empty_app: Flask, api: dict[str, ApiClient]
) -> None:
    client = api["secretary"]
    case = f"/api/v1/cases/{submitted(client)['id']}"
    answers = [
        client.client.post(
            f"{case}/documents",
            data={"file": (io.BytesIO(b"%PDF-1.4 letter"), "letter.pdf")},
            headers=client.headers({"Idempotency-Key": "upload-1"}),
            content_type=f"multipart/form-data; boundary=attempt{attempt}",
        )
        for attempt in (1, 2)
    ]
    assert [a.status_code for a in answers] == [201, 201]
    assert answers[1].headers["Idempotent-Replayed"] == "true"
    assert len((client.get(case).json or {})["documents"]) == 1


def test_a_key_reused_after_it_expired_makes_a_new_case(
    empty_app: Flask, api: dict[str, ApiClient]
) -> None:
    key = {"Idempotency-Key": "monday"}
    first = api["secretary"].post("/api/v1/cases", NEW_CASE, key)
    with sqlite3.connect(empty_app.extensions["cfpi.idempotency"].path) as kept:
        kept.execute("DELETE FROM idempotency_keys")  # a day later: forgotten
    other = api["secretary"].post("/api/v1/cases", {**NEW_CASE, "title": "Other"}, key)
    assert other.status_code == 201
    assert (other.json or {})["id"] != (first.json or {})["id"]


def test_another_municipalitys_case_is_as_missing_as_no_case(
    api: dict[str, ApiClient],
) -> None:
    elsewhere = submitted(api["advocate"], municipality="STR")["reference"]
    secretary = api["secretary"]
    seen = secretary.get(f"/api/v1/cases/{elsewhere}")
    missing = secretary.get("/api/v1/cases/STR-2026-900")
    assert (seen.status_code, seen.json) == (missing.status_code, missing.json)
    meeting = {"municipality": "GRA", "date": "2026-01-10", "location": "Hall"}
    on_agenda = secretary.post("/api/v1/meetings", {**meeting, "cases": [elsewhere]})
    absent = secretary.post("/api/v1/meetings", {**meeting, "cases": ["STR-2026-900"]})
    assert on_agenda.status_code == absent.status_code == 404
    assert on_agenda.json == absent.json
