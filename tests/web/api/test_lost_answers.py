"""A keyed request whose answer was lost is never carried out twice.

The state a killed server process leaves behind is made here by hand: the
request's changes saved with its receipt, its key still reserved (no kept
answer) by a process that no longer runs.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from flask import Flask

from tests.application.builders import event_count
from tests.web.api.conftest import ApiClient, submitted
from tests.web.conftest import services_of
from web.api.idempotency import CARRIED_OUT
from web.api.worker_processes import has_ended, this_process

NOTE = {"text": "The mayor's office promised lamps."}


def ended_process() -> str:
    """The name of a process of this host that has run and ended."""
    done = subprocess.run(
        [sys.executable, "-c", "from web.api.worker_processes import this_process;"
         "print(this_process())"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return done.stdout.strip()


def answer_lost(app: Flask, owner: str) -> None:
    """Forget every kept answer, as if `owner` died before keeping it."""
    path: Path = app.extensions["cfpi.idempotency"].path
    with sqlite3.connect(path) as kept:
        kept.execute(
            "UPDATE idempotency_keys SET status = NULL, body = NULL, owner = ?",
            (owner,),
        )


def notes_of(api: dict[str, ApiClient], case: str) -> list[str]:
    """The texts of the notes on a case, read back through the API."""
    history = api["secretary"].get(f"{case}/history").json or []
    return [
        entry["details"]["text"] for entry in history if entry["event"] == "NoteAdded"
    ]


def test_a_step_retried_after_its_process_died_is_not_written_twice(
    empty_app: Flask, api: dict[str, ApiClient]
) -> None:
    tracker = services_of(empty_app).tracker
    key = {"Idempotency-Key": "note-lamps-1"}
    case = f"/api/v1/cases/{submitted(api['secretary'])['id']}"
    assert api["secretary"].post(f"{case}/notes", NOTE, key).status_code == 201
    written = event_count(tracker)
    answer_lost(empty_app, ended_process())

    again = api["secretary"].post(f"{case}/notes", NOTE, key)

    assert again.status_code == 409
    assert (again.json or {})["errors"] == [
        {"field": "Idempotency-Key", "reason": CARRIED_OUT}
    ]
    assert event_count(tracker) == written
    assert notes_of(api, case) == [NOTE["text"]]


def test_a_key_held_by_a_running_process_is_still_busy(
    empty_app: Flask, api: dict[str, ApiClient]
) -> None:
    key = {"Idempotency-Key": "note-lamps-2"}
    case = f"/api/v1/cases/{submitted(api['secretary'])['id']}"
    api["secretary"].post(f"{case}/notes", NOTE, key)
    answer_lost(empty_app, this_process())

    again = api["secretary"].post(f"{case}/notes", NOTE, key)

    assert again.status_code == 409
    assert "running" in (again.json or {})["errors"][0]["reason"]


def test_a_request_whose_process_died_before_saving_runs_on_retry(
    empty_app: Flask, api: dict[str, ApiClient]
) -> None:
    tracker = services_of(empty_app).tracker
    key = {"Idempotency-Key": "note-lamps-3"}
    case = f"/api/v1/cases/{submitted(api['secretary'])['id']}"
    refused = api["secretary"].post(f"{case}/notes", {"text": ""}, key)
    assert refused.status_code == 422
    path: Path = empty_app.extensions["cfpi.idempotency"].path
    with sqlite3.connect(path) as kept:  # reserved, then the process died
        kept.execute(
            "INSERT INTO idempotency_keys (account, key, request, created_at, owner)"
            " SELECT account, 'note-lamps-3', 'x', created_at, ? FROM idempotency_keys"
            " LIMIT 1",
            (ended_process(),),
        )
    before = event_count(tracker)

    again = api["secretary"].post(f"{case}/notes", NOTE, key)

    assert again.status_code == 201
    assert event_count(tracker) == before + 2  # the note and its receipt
    assert notes_of(api, case) == [NOTE["text"]]


def test_a_process_is_ended_only_when_it_is_gone_from_this_host() -> None:
    assert not has_ended(this_process())
    assert has_ended(ended_process())
    host, pid, started = this_process().split("/")
    assert has_ended(f"{host}/{pid}/{int(started) + 1}")  # its pid, reused
    assert not has_ended(f"another-host/{pid}/1")
    assert not has_ended("written-by-an-older-version")


def test_a_retry_refused_because_its_first_attempt_landed_is_told_so(
    empty_app: Flask, api: dict[str, ApiClient]
) -> None:
    tracker = services_of(empty_app).tracker
    case = f"/api/v1/cases/{submitted(api['secretary'])['id']}"
    accept = {"decision": "accept", "priority": "high"}
    key = {"Idempotency-Key": "accept-once", "If-Match": '"1"'}
    assert api["advocate"].post(f"{case}/triage", accept, key).status_code == 200
    answer_lost(empty_app, ended_process())
    written = event_count(tracker)

    again = api["advocate"].post(f"{case}/triage", accept, key)
    without_version = {"Idempotency-Key": "accept-once"}
    api["advocate"].post(f"{case}/triage", accept, without_version)

    assert again.status_code == 409  # not 412: the version moved on by its own doing
    assert (again.json or {})["errors"][0]["reason"] == CARRIED_OUT
    assert event_count(tracker) == written
