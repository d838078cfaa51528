"""A case's lifecycle through the API: every step, versions, retries, refusals."""

from __future__ import annotations

import io
import sqlite3
from typing import Any

from flask import Flask

from tests.application.builders import event_count
from tests.web.api.conftest import ApiClient, submitted
from tests.web.conftest import services_of


def step(
    client: ApiClient, path: str, body: dict[str, Any], status: int
) -> dict[str, Any]:
    """Take a step and check its status; the answer's body."""
    answer = client.post(path, body)
    assert answer.status_code == status, answer.json
    assert answer.headers["ETag"] == f'"{(answer.json or {})["version"]}"'
    found: dict[str, Any] = answer.json or {}
    return found


def test_a_case_goes_from_submission_to_resolution(api: dict[str, ApiClient]) -> None:
    advocate, secretary = api["advocate"], api["secretary"]
    case = f"/api/v1/cases/{submitted(secretary)['reference']}"
    assert step(advocate, f"{case}/triage", {"decision": "accept", "priority": "high"},
                200)["status"] == "accepted"  # fmt: skip
    action = step(secretary, f"{case}/actions", {
        "kind": "petition", "taken_on": "2026-01-06", "signatures": 120,
        "description": "Petition to the mayor", "communities": ["serb", "albanian"],
    }, 201)  # fmt: skip
    assert action["action_id"]
    assert action["status"] == "in_advocacy"
    referral = step(advocate, f"{case}/referrals", {
        "institution_kind": "mayor", "institution_name": "Kryetari i Graçanicës",
        "request_kind": "general_request", "sent_on": "2026-01-07",
    }, 201)  # fmt: skip
    assert referral["due_date"] > "2026-01-07"
    referral_path = f"{case}/referrals/{referral['referral_id']}"
    chased = {"followed_up_on": "2026-01-09", "channel": "phone", "note": "Asked."}
    step(advocate, f"{referral_path}/follow-ups", chased, 201)
    later = {"due_date": "2026-02-20", "reason": "The mayor asked for time."}
    step(advocate, f"{referral_path}/extensions", later, 201)
    response = step(secretary, f"{referral_path}/responses", {
        "received_on": "2026-01-12", "kind": "commitment",
        "summary": "The municipality will clean the river bank.",
    }, 201)  # fmt: skip
    assert response["status"] == "answered"
    step(advocate, f"{case}/responses/{response['response_id']}/verification",
         {"status": "fulfilled", "verified_on": "2026-01-14",
          "evidence": "Visited the bank."}, 200)  # fmt: skip
    step(secretary, f"{case}/notes", {"text": "Photos taken."}, 201)
    done = step(advocate, f"{case}/resolution", {
        "outcome": "resolved", "resolved_on": "2026-01-15", "summary": "Cleaned.",
    }, 200)  # fmt: skip
    assert done["status"] == "resolved"
    again = {"reopened_on": "2026-01-15", "reason": "Waste is back."}
    reopened = step(advocate, f"{case}/reopen", again, 200)
    assert reopened["status"] == "reopened"
    state = advocate.get(case).json or {}
    assert state["version"] == reopened["version"] == 11
    assert state["referrals"][0]["due_date"] == "2026-02-20"
    assert state["responses"][0]["commitment_status"] == "fulfilled"
    assert state["actions"][0]["signatures"] == 120


def test_a_case_is_declined_or_closed_as_a_duplicate(api: dict[str, ApiClient]) -> None:
    first, second = submitted(api["secretary"]), submitted(api["secretary"])
    declined = step(api["advocate"], f"/api/v1/cases/{first['id']}/triage",
                    {"decision": "decline", "reason": "Not ours."}, 200)  # fmt: skip
    assert declined["status"] == "declined"
    same = {"decision": "duplicate", "duplicate_of": first["reference"]}
    duplicate = step(api["advocate"], f"/api/v1/cases/{second['id']}/triage", same, 200)
    assert duplicate["status"] == "duplicate"
    missing = api["advocate"].post(f"/api/v1/cases/{second['id']}/triage",
                                   {"decision": "decline"})  # fmt: skip
    assert missing.status_code == 422
    assert (missing.json or {})["errors"][0]["field"] == "reason"


def test_a_stale_if_match_is_412_with_the_current_version_and_writes_nothing(
    empty_app: Flask, api: dict[str, ApiClient]
) -> None:
    case = f"/api/v1/cases/{submitted(api['secretary'])['id']}"
    api["advocate"].post(f"{case}/notes", {"text": "Someone else wrote first."})
    before = event_count(services_of(empty_app).tracker)
    stale = api["advocate"].post(
        f"{case}/triage", {"decision": "accept"}, headers={"If-Match": '"1"'}
    )
    assert stale.status_code == 412
    body = stale.json or {}
    assert body["current_version"] == 2
    assert body["error"] == "precondition_failed"
    assert stale.headers["ETag"] == '"2"'
    assert event_count(services_of(empty_app).tracker) == before
    fresh = api["advocate"].post(
        f"{case}/triage", {"decision": "accept"}, headers={"If-Match": '"2"'}
    )
    assert fresh.status_code == 200
    assert (fresh.json or {})["version"] == 3


def test_a_retry_with_the_same_idempotency_key_writes_nothing_more(
    empty_app: Flask, api: dict[str, ApiClient]
) -> None:
    tracker = services_of(empty_app).tracker
    key = {"Idempotency-Key": "note-2026-01-15-a"}
    case = f"/api/v1/cases/{submitted(api['secretary'])['id']}"
    first = api["secretary"].post(f"{case}/notes", {"text": "Met them."}, key)
    after_first = event_count(tracker)
    again = api["secretary"].post(f"{case}/notes", {"text": "Met them."}, key)
    assert again.status_code == first.status_code == 201
    assert again.json == first.json
    assert again.headers["Idempotent-Replayed"] == "true"
    assert event_count(tracker) == after_first
    other_body = api["secretary"].post(f"{case}/notes", {"text": "Other."}, key)
    assert other_body.status_code == 422
    assert (other_body.json or {})["errors"][0]["field"] == "Idempotency-Key"


def test_a_retried_submission_makes_one_case(
    empty_app: Flask, api: dict[str, ApiClient]
) -> None:
    key = {"Idempotency-Key": "import-row-17"}
    body = {"municipality": "GRA", "title": "Clinic", "description": "No doctor.",
            "category": "public_services", "communities": ["roma"],
            "raised_on": "2026-01-10"}  # fmt: skip
    first = api["secretary"].post("/api/v1/cases", body, key)
    # The kept answer is lost (a crash between writing and answering):
    with sqlite3.connect(empty_app.extensions["cfpi.idempotency"].path) as kept:
        kept.execute("DELETE FROM idempotency_keys")
    again = api["secretary"].post("/api/v1/cases", body, key)
    assert first.status_code == again.status_code == 201
    assert (first.json or {})["id"] == (again.json or {})["id"]
    listed = api["secretary"].get("/api/v1/cases").json or {}
    assert listed["total"] == 1


def test_a_refused_request_keeps_no_answer_for_its_key(
    api: dict[str, ApiClient],
) -> None:
    key = {"Idempotency-Key": "accept-1"}
    case = f"/api/v1/cases/{submitted(api['secretary'])['id']}"
    refused = api["advocate"].post(f"{case}/triage", {"decision": "maybe"}, key)
    assert refused.status_code == 422
    accepted = api["advocate"].post(f"{case}/triage", {"decision": "accept"}, key)
    assert accepted.status_code == 200


def test_a_step_the_case_does_not_allow_now_is_409(api: dict[str, ApiClient]) -> None:
    case = f"/api/v1/cases/{submitted(api['secretary'])['id']}"
    answer = api["advocate"].post(f"{case}/referrals", {
        "institution_kind": "mayor", "institution_name": "Mayor",
        "request_kind": "petition", "sent_on": "2026-01-07",
    })  # fmt: skip
    assert answer.status_code == 409
    assert (answer.json or {})["error"] == "conflict"


def test_an_unknown_referral_is_404(api: dict[str, ApiClient]) -> None:
    case = f"/api/v1/cases/{submitted(api['secretary'])['id']}"
    api["advocate"].post(f"{case}/triage", {"decision": "accept"})
    answer = api["advocate"].post(
        f"{case}/referrals/00000000-0000-4000-8000-000000000000/follow-ups",
        {"followed_up_on": "2026-01-09", "channel": "phone"},
    )
    assert answer.status_code == 404


def test_each_role_takes_only_its_steps(api: dict[str, ApiClient]) -> None:
    case = f"/api/v1/cases/{submitted(api['secretary'])['id']}"
    accept = {"decision": "accept"}
    assert api["viewer"].post(f"{case}/notes", {"text": "x"}).status_code == 403
    assert api["secretary"].post(f"{case}/triage", accept).status_code == 403
    assert api["coordinator"].post(f"{case}/triage", accept).status_code == 200


def test_a_document_is_attached_by_upload(api: dict[str, ApiClient]) -> None:
    client = api["secretary"]
    case = f"/api/v1/cases/{submitted(client)['id']}"
    answer = client.client.post(
        f"{case}/documents",
        data={"file": (io.BytesIO(b"%PDF-1.4 letter"), "letter.pdf")},
        headers=client.headers(),
        content_type="multipart/form-data",
    )
    assert answer.status_code == 201, answer.json
    assert len((answer.json or {})["sha256"]) == 64
    documents = (client.get(case).json or {})["documents"]
    assert [d["filename"] for d in documents] == ["letter.pdf"]
    disguised = client.client.post(
        f"{case}/documents",
        data={"file": (io.BytesIO(b"MZ\x90\x00"), "letter.pdf")},
        headers=client.headers(),
        content_type="multipart/form-data",
    )
    assert disguised.status_code == 422
    assert (disguised.json or {})["errors"][0]["field"] == "file"
