"""Meetings through the API: recorded with attendance and agenda at once, listed."""

from __future__ import annotations

from flask import Flask

from tests.application.builders import event_count
from tests.web.api.conftest import ApiClient, submitted
from tests.web.conftest import services_of

MEETING = {
    "municipality": "GRA",
    "date": "2026-01-10",
    "location": "Shtëpia e Kulturës",
    "attendance": [
        {"gender": "female", "community": "serb", "count": 7},
        {"gender": "male", "community": "albanian", "count": 5},
    ],
}


def test_a_meeting_is_recorded_with_attendance_and_cases_discussed(
    api: dict[str, ApiClient],
) -> None:
    case = submitted(api["secretary"])
    answer = api["secretary"].post(
        "/api/v1/meetings", {**MEETING, "cases": [case["reference"]]}
    )
    assert answer.status_code == 201, answer.json
    meeting = answer.json or {}
    assert meeting["attendance_total"] == 12
    assert [c["reference"] for c in meeting["cases"]] == [case["reference"]]
    read = api["viewer"].get(f"/api/v1/meetings/{meeting['id']}")
    assert read.json == meeting
    listed = api["advocate"].get("/api/v1/meetings", year=2026).json or {}
    assert [m["id"] for m in listed["meetings"]] == [meeting["id"]]
    assert listed["meetings"][0]["cases_discussed"] == 1


def test_a_case_from_elsewhere_refuses_the_whole_meeting(
    empty_app: Flask, api: dict[str, ApiClient]
) -> None:
    other = submitted(api["advocate"], municipality="STR")
    before = event_count(services_of(empty_app).tracker)
    answer = api["advocate"].post(
        "/api/v1/meetings", {**MEETING, "cases": [other["reference"]]}
    )
    assert answer.status_code == 409
    assert event_count(services_of(empty_app).tracker) == before


def test_negative_attendance_is_refused_with_its_field(
    api: dict[str, ApiClient],
) -> None:
    bad = {**MEETING, "attendance": [{"gender": "female", "community": "serb",
                                      "count": -1}]}  # fmt: skip
    answer = api["secretary"].post("/api/v1/meetings", bad)
    assert answer.status_code == 422
    assert (answer.json or {})["errors"][0]["field"] == "attendance.0.count"


def test_a_secretary_records_and_sees_only_their_municipalitys_meetings(
    api: dict[str, ApiClient],
) -> None:
    elsewhere = api["advocate"].post(
        "/api/v1/meetings", {**MEETING, "municipality": "STR"}
    )
    assert elsewhere.status_code == 201
    assert api["secretary"].get(f"/api/v1/meetings/{(elsewhere.json or {})['id']}"
                                ).status_code == 404  # fmt: skip
    refused = api["secretary"].post(
        "/api/v1/meetings", {**MEETING, "municipality": "STR"}
    )
    assert refused.status_code == 403
    assert (api["secretary"].get("/api/v1/meetings").json or {})["total"] == 0
    assert api["viewer"].post("/api/v1/meetings", MEETING).status_code == 403


def test_a_retried_meeting_is_recorded_once(api: dict[str, ApiClient]) -> None:
    key = {"Idempotency-Key": "meeting-2026-01-10"}
    first = api["secretary"].post("/api/v1/meetings", MEETING, key)
    again = api["secretary"].post("/api/v1/meetings", MEETING, key)
    assert first.json == again.json
    assert (api["secretary"].get("/api/v1/meetings").json or {})["total"] == 1
