"""Cases through the API: submit, list, read by id or reference, history."""

from __future__ import annotations

from uuid import UUID

from flask import Flask

from domain.personal import submitter_id
from tests.application.builders import event_count
from tests.web.api.conftest import NEW_CASE, ApiClient, submitted
from tests.web.conftest import services_of


def test_a_submission_answers_201_with_id_reference_status_and_version(
    api: dict[str, ApiClient],
) -> None:
    answer = api["secretary"].post("/api/v1/cases", NEW_CASE)
    assert answer.status_code == 201
    body = answer.json
    assert body is not None
    assert set(body) == {"id", "reference", "status", "version"}
    assert body["reference"] == "GRA-2026-001"
    assert (body["status"], body["version"]) == ("submitted", 1)
    assert answer.headers["ETag"] == '"1"'
    assert answer.headers["Location"].endswith("/api/v1/cases/GRA-2026-001")


def test_a_case_reads_the_same_by_id_and_by_reference(
    api: dict[str, ApiClient],
) -> None:
    made = submitted(api["secretary"], submitter={"name": "Drita", "contact": "044"})
    by_id = api["advocate"].get(f"/api/v1/cases/{made['id']}")
    by_reference = api["advocate"].get(f"/api/v1/cases/{made['reference']}")
    assert by_id.status_code == by_reference.status_code == 200
    assert by_id.json == by_reference.json
    case = by_id.json or {}
    assert case["communities"] == ["albanian", "serb"]
    assert case["jointly_raised"]
    assert case["raised_on"] == "2026-01-05"
    assert case["submitter"] == {
        "person_id": str(submitter_id(UUID(made["id"]))),
        "name": "Drita", "contact": "044", "erased": False,
    }  # fmt: skip
    assert by_id.headers["ETag"] == '"1"'


def test_an_erased_submitter_reads_as_erased(
    empty_app: Flask, api: dict[str, ApiClient]
) -> None:
    made = submitted(api["secretary"], submitter={"name": "Drita", "contact": "044"})
    person = submitter_id(UUID(made["id"]))
    services_of(empty_app).tracker.erase_person(person, actor="admin", reason="asked")
    case = api["advocate"].get(f"/api/v1/cases/{made['id']}").json or {}
    assert case["submitter"] == {
        "person_id": str(person), "name": None, "contact": None, "erased": True,
    }  # fmt: skip
    history = api["advocate"].get(f"/api/v1/cases/{made['id']}/history").json or []
    assert history[0]["details"]["submitter"]["erased"] is True
    assert history[-1]["event"] == "PersonalDataErased"


def test_a_viewer_reads_a_case_without_its_submitter(api: dict[str, ApiClient]) -> None:
    made = submitted(api["secretary"], submitter={"name": "Drita Krasniqi"})
    case = api["viewer"].get(f"/api/v1/cases/{made['id']}")
    history = api["viewer"].get(f"/api/v1/cases/{made['id']}/history")
    assert (case.json or {})["submitter"] is None
    assert "Drita Krasniqi" not in case.get_data(as_text=True)
    assert "Drita Krasniqi" not in history.get_data(as_text=True)


def test_bad_input_names_each_field_and_writes_nothing(
    empty_app: Flask, api: dict[str, ApiClient]
) -> None:
    before = event_count(services_of(empty_app).tracker)
    answer = api["secretary"].post(
        "/api/v1/cases",
        {**NEW_CASE, "category": "weather", "communities": [], "raised_on": "5.1.2026"},
    )
    assert answer.status_code == 422
    body = answer.json or {}
    assert body["error"] == "invalid_input"
    assert {e["field"] for e in body["errors"]} == {
        "category",
        "communities",
        "raised_on",
    }
    assert event_count(services_of(empty_app).tracker) == before


def test_a_rule_of_the_domain_is_refused_with_its_field(
    api: dict[str, ApiClient],
) -> None:
    answer = api["secretary"].post(
        "/api/v1/cases", {**NEW_CASE, "raised_on": "2027-01-01"}
    )
    assert answer.status_code == 422
    assert (answer.json or {})["errors"][0]["field"] == "raised_on"


def test_broken_json_is_a_400_in_the_same_shape(api: dict[str, ApiClient]) -> None:
    answer = api["secretary"].client.post(
        "/api/v1/cases",
        data="{not json",
        headers=api["secretary"].headers({"Content-Type": "application/json"}),
    )
    assert answer.status_code == 400
    assert set(answer.json or {}) == {"status", "error", "message", "errors"}


def test_unknown_paths_and_methods_answer_json(api: dict[str, ApiClient]) -> None:
    missing = api["admin"].get("/api/v1/no-such-thing")
    assert missing.status_code == 404
    assert (missing.json or {})["error"] == "not_found"
    wrong = api["admin"].client.delete("/api/v1/cases", headers=api["admin"].headers())
    assert wrong.status_code == 405
    assert (wrong.json or {})["status"] == 405
    unknown = api["admin"].get("/api/v1/cases/GRA-2026-999")
    assert unknown.status_code == 404


def test_a_viewer_may_not_submit(api: dict[str, ApiClient]) -> None:
    answer = api["viewer"].post("/api/v1/cases", NEW_CASE)
    assert answer.status_code == 403
    assert (answer.json or {})["error"] == "forbidden"


def test_a_secretary_submits_only_in_their_municipality(
    api: dict[str, ApiClient],
) -> None:
    answer = api["secretary"].post("/api/v1/cases", {**NEW_CASE, "municipality": "STR"})
    assert answer.status_code == 403
    assert (answer.json or {})["errors"][0]["field"] == "municipality"


def test_a_secretary_cannot_reach_another_municipalitys_case(
    api: dict[str, ApiClient],
) -> None:
    other = submitted(api["advocate"], municipality="STR")
    for path in (f"/api/v1/cases/{other['reference']}",
                 f"/api/v1/cases/{other['id']}/history"):  # fmt: skip
        assert api["secretary"].get(path).status_code == 404
    note = api["secretary"].post(f"/api/v1/cases/{other['id']}/notes", {"text": "x"})
    assert note.status_code == 404
    listed = api["secretary"].get("/api/v1/cases", municipality="STR").json or {}
    assert listed["total"] == 0


def test_the_list_filters_as_the_projections_do(demo_api: dict[str, ApiClient]) -> None:
    client = demo_api["advocate"]
    everything = client.get("/api/v1/cases", per_page=1).json or {}
    in_gra = client.get("/api/v1/cases", municipality="GRA", per_page=200).json or {}
    assert 0 < in_gra["total"] < everything["total"]
    assert {c["municipality"] for c in in_gra["cases"]} == {"GRA"}
    overdue = client.get("/api/v1/cases", overdue="true", per_page=200).json or {}
    assert overdue["total"] > 0
    assert all(c["overdue"] for c in overdue["cases"])
    joint = client.get("/api/v1/cases", community="serb", status="resolved").json or {}
    assert all("serb" in c["communities"] and c["status"] == "resolved"
               for c in joint["cases"])  # fmt: skip


def test_the_list_comes_a_page_at_a_time_newest_raised_first(
    demo_api: dict[str, ApiClient],
) -> None:
    first = demo_api["admin"].get("/api/v1/cases", per_page=10).json or {}
    second = demo_api["admin"].get("/api/v1/cases", per_page=10, page=2).json or {}
    assert len(first["cases"]) == len(second["cases"]) == 10
    assert first["pages"] == -(-first["total"] // 10)
    days = [c["raised_on"] for c in first["cases"] + second["cases"]]
    assert days == sorted(days, reverse=True)
    assert not {c["id"] for c in first["cases"]} & {c["id"] for c in second["cases"]}


def test_a_secretarys_list_holds_only_their_municipality(
    demo_api: dict[str, ApiClient],
) -> None:
    listed = demo_api["secretary"].get("/api/v1/cases", per_page=200).json or {}
    assert listed["total"] > 0
    assert {c["municipality"] for c in listed["cases"]} == {"GRA"}


def test_a_search_narrows_the_list(api: dict[str, ApiClient]) -> None:
    submitted(api["secretary"], title="Streetlights broken near the school")
    submitted(api["secretary"])
    found = api["advocate"].get("/api/v1/cases", q="streetlights").json or {}
    assert [c["title"] for c in found["cases"]] == [
        "Streetlights broken near the school"
    ]
    assert (api["advocate"].get("/api/v1/cases", q="zzzz").json or {})["total"] == 0


def test_the_history_lists_every_event_in_order(api: dict[str, ApiClient]) -> None:
    made = submitted(api["secretary"])
    api["advocate"].post(f"/api/v1/cases/{made['id']}/triage", {"decision": "accept"})
    api["advocate"].post(f"/api/v1/cases/{made['id']}/notes", {"text": "Called them."})
    history = api["viewer"].get(f"/api/v1/cases/{made['reference']}/history").json
    assert [e["event"] for e in history or []] == ["Submitted", "Accepted", "NoteAdded"]
    assert [e["version"] for e in history or []] == [1, 2, 3]
    assert (history or [])[1]["actor"] == "advocate"
    assert (history or [])[0]["details"]["raised_on"] == "2026-01-05"
