"""The disk fills up (issue 9): a clear refusal, nothing half-stored, and the
tracker takes changes again as soon as there is space, without a restart.

The tracker's home (TRACKER_HOME) is a small filesystem of its own
(`tests.faults.small_disk`). Once a filler file has taken every byte left,
a secretary sends what she sends every day, on the web (pages in Albanian)
and through the API: a new case, a document, a meeting. Each change is
refused saying the disk is full (web: her form back as she typed it; API:
507 with the reason), and nothing of it is stored: no event, no uploaded
file, no change to the views, every SQLite file whole. Then the filler is
deleted, and the same requests succeed, served by the same app.

On PostgreSQL the events and sessions live on the database server, not on
this disk: only documents (kept in TRACKER_HOME) are refused there, and
cases and meetings are recorded as usual, which the test checks too.

Each run prints ``DISK_FULL store=… requests_refused=… partial_writes=0
recovered=yes``.
"""

from __future__ import annotations

import html
import io
import re
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from eventsourcing.persistence import OperationalError
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale
from psycopg.errors import DiskFull
from werkzeug.test import TestResponse

from tests.faults.scale import rounds
from tests.faults.small_disk import SmallDisk, small_disk
from tests.stores import Store
from tests.web.api.conftest import NEW_CASE, ApiClient, token_for
from tests.web.conftest import close_app, csrf_token, make_app, services_of, sign_in
from tracker.errors import StoreFull, StoreUnavailable
from tracker.store import unavailable_store_reported
from web.messages import message_for

pytestmark = pytest.mark.faults

CYCLES = rounds(1, 4)
LANGUAGE = "sq"
# A case or meeting form the full disk refused comes back 507, as an upload does.
FORM_REFUSED = (507,)


@dataclass
class Secretary:
    """A forum secretary at a browser and at a program, with a case of hers."""

    web: FlaskClient
    api: ApiClient
    token: str
    reference: str


Request = Callable[[Secretary, str], TestResponse]


def web_case(secretary: Secretary, typed: str) -> TestResponse:
    """A new case from the web form."""
    return secretary.web.post(
        "/cases/new",
        data={"csrf_token": secretary.token, "municipality": "GRA", "title": typed,
              "description": "Children walk to school in the dark.",
              "category": "infrastructure", "communities": ["serb", "albanian"],
              "raised_on": "2026-01-10", "language": "en"},
    )  # fmt: skip


def api_case(secretary: Secretary, typed: str) -> TestResponse:
    """A new case through the API."""
    return secretary.api.post("/api/v1/cases", {**NEW_CASE, "title": typed})


def web_document(secretary: Secretary, typed: str) -> TestResponse:
    """A PDF attached on the case page."""
    return secretary.web.post(
        f"/cases/{secretary.reference}/documents",
        data={"csrf_token": secretary.token,
              "file": (io.BytesIO(f"%PDF-1.4 {typed}".encode()), "answer.pdf")},
        content_type="multipart/form-data",
    )  # fmt: skip


def api_document(secretary: Secretary, typed: str) -> TestResponse:
    """A PDF attached through the API."""
    return secretary.api.client.post(
        f"/api/v1/cases/{secretary.reference}/documents",
        data={"file": (io.BytesIO(f"%PDF-1.4 {typed}".encode()), "answer.pdf")},
        headers=secretary.api.headers(),
        content_type="multipart/form-data",
    )


def web_meeting(secretary: Secretary, typed: str) -> TestResponse:
    """A meeting and its attendance from the web form."""
    return secretary.web.post(
        "/meetings/new",
        data={"csrf_token": secretary.token, "municipality": "GRA",
              "held_on": "2026-01-12", "place": typed, "attendance_female_serb": "7"},
    )  # fmt: skip


REQUESTS: dict[str, Request] = {
    "web case": web_case,
    "api case": api_case,
    "web document": web_document,
    "api document": api_document,
    "web meeting": web_meeting,
}
# What each store keeps on the small disk refuses: everything on SQLite;
# on PostgreSQL only the files kept in TRACKER_HOME, the documents.
REFUSED = {"sqlite": set(REQUESTS), "postgresql": {"web document", "api document"}}


@dataclass(frozen=True)
class Stored:
    """What the tracker keeps, as far as a refused request could have touched it."""

    events: int
    documents: tuple[str, ...]
    attached: int
    views: tuple[Any, ...]

    @classmethod
    def now(cls, app: Flask, secretary: Secretary) -> Stored:
        """The store, files and views as they are."""
        services = services_of(app)
        folder = services.documents
        listed = sorted(p.name for p in folder.iterdir()) if folder.exists() else []
        cases = secretary.api.get("/api/v1/cases").json  # catches the views up
        return cls(
            events=services.tracker.recorder.max_notification_id() or 0,
            documents=tuple(listed),
            attached=len(services.tracker.case(secretary.reference).documents),
            views=(cases, [(v.name, v.position) for v in services.views.status()]),
        )


@pytest.fixture
def on_small_disk(store: Store, tmp_path: Path) -> Iterator[tuple[Flask, SmallDisk]]:
    """The app with its home on a small disk of its own."""
    with small_disk(tmp_path / "disk") as disk:
        app = make_app(store, disk.root / "home")
        app.config["PROPAGATE_EXCEPTIONS"] = False  # failures answered as served
        try:
            yield app, disk
        finally:
            close_app(app)


def secretary_of(app: Flask) -> Secretary:
    """The secretary signed in (pages in Albanian), with a case to add to."""
    web = app.test_client()
    web.set_cookie("language", LANGUAGE)
    sign_in(web, "secretary")
    api = ApiClient(app.test_client(), token_for(app, "secretary"))
    reference = (api.post("/api/v1/cases", NEW_CASE).json or {})["reference"]
    return Secretary(web, api, csrf_token(web, "/cases/new"), reference)


def said(app: Flask, language: str) -> str:
    """What a person reading `language` is told when the disk is full."""
    with app.test_request_context(), force_locale(language):
        return message_for(StoreFull("the disk is full"))


def refusal_missing(app: Flask, name: str, typed: str, answer: TestResponse) -> str:
    """What is wrong with a refusal ('' when it says the disk is full, and
    gives back what was typed)."""
    if name.startswith("api"):
        body = answer.json or {}
        reasons = [e.get("reason", "") for e in body.get("errors", [])]
        if answer.status_code != 507 or body.get("message") != said(app, "en"):
            return f"{answer.status_code} {body}"
        return "" if any("disk is full" in r for r in reasons) else f"{body}"
    page = html.unescape(answer.get_data(as_text=True))
    wanted = FORM_REFUSED if name in ("web case", "web meeting") else (507,)
    if answer.status_code not in wanted:
        return f"{answer.status_code} {page[:300]}"
    if said(app, LANGUAGE) not in page:
        return f"no message in {LANGUAGE}: {_alerts(page)}"
    kept = {"web sign-in": "", "web document": 'name="file"'}.get(
        name, f'value="{typed}"'
    )
    return "" if kept in page else "the form was not given back"


def _alerts(page: str) -> list[str]:
    return re.findall(r'class="errors?"[^>]*>\s*(?:<li>)?([^<]*)', page)


def succeeded(secretary: Secretary, name: str, answer: TestResponse) -> bool:
    """Whether a request was carried out (a web form's page then opened)."""
    if name.startswith("api"):
        return answer.status_code == 201
    if name == "web sign-in":
        return answer.status_code == 200
    if answer.status_code != 302:
        return False
    # Opened at once, as a browser does: its message is shown, not kept.
    return secretary.web.get(answer.headers["Location"]).status_code == 200


def damaged_files(disk: SmallDisk) -> list[str]:
    """The SQLite files on the disk that do not pass their integrity check."""
    damaged = []
    for path in sorted(disk.root.rglob("*.sqlite3")):
        with sqlite3.connect(path) as database:
            (verdict,) = database.execute("PRAGMA integrity_check").fetchone()
        database.close()
        if verdict != "ok":
            damaged.append(f"{path.name}: {verdict}")
    return damaged


def test_a_full_disk_refuses_changes_clearly_keeps_nothing_and_recovers_when_freed(
    on_small_disk: tuple[Flask, SmallDisk], store: Store
) -> None:
    app, disk = on_small_disk
    secretary = secretary_of(app)
    refusing = REFUSED[store.kind]
    refused = 0
    for cycle in range(CYCLES):
        before = Stored.now(app, secretary)  # the views caught up, with space
        disk.fill()
        assert disk.space_left() == 0
        for name, send in REQUESTS.items():
            typed = f"Round {cycle}, {name}, on a full disk"
            answer = send(secretary, typed)
            if name in refusing:
                assert (wrong := refusal_missing(app, name, typed, answer)) == "", (
                    f"{name}: {wrong}"
                )
                refused += 1
            else:  # kept on the database server, not on this disk
                assert succeeded(secretary, name, answer), name
        after = Stored.now(app, secretary)
        partial = _partial(before, after, store.kind)
        assert partial == [], partial
        assert damaged_files(disk) == []

        disk.free()
        for name, send in REQUESTS.items():
            answer = send(secretary, f"Round {cycle}, {name}, with space again")
            assert succeeded(secretary, name, answer), (
                f"{name} after freeing: {answer.status_code} "
                f"{answer.get_data(as_text=True)[:300]}"
            )
        recovered = Stored.now(app, secretary)
        assert recovered.attached == after.attached + 2
        assert len(recovered.documents) == len(after.documents) + 2
        assert damaged_files(disk) == []
    print(
        f"DISK_FULL store={store.kind} cycles={CYCLES} requests_refused={refused} "
        f"partial_writes={len(partial)} recovered=yes"
    )


def _partial(before: Stored, after: Stored, kind: str) -> list[str]:
    """What refused requests left behind: files, documents, events, views."""
    found = []
    if after.documents != before.documents:
        found.append(f"files {set(after.documents) ^ set(before.documents)}")
    if after.attached != before.attached:
        found.append(f"{after.attached - before.attached} documents attached")
    if kind == "sqlite" and after.events != before.events:
        found.append(f"{after.events - before.events} events recorded")
    if kind == "sqlite" and after.views != before.views:
        found.append("the views changed")
    return found


def keyed_api_case(secretary: Secretary, typed: str) -> TestResponse:
    """A new case through the API, sent with an Idempotency-Key."""
    key = {"Idempotency-Key": uuid4().hex}
    return secretary.api.post("/api/v1/cases", {**NEW_CASE, "title": typed}, key)


def web_case_with_submitter(secretary: Secretary, typed: str) -> TestResponse:
    """A new case from the web form, naming who raised it (personal data)."""
    return secretary.web.post(
        "/cases/new",
        data={"csrf_token": secretary.token, "municipality": "GRA", "title": typed,
              "description": "Children walk to school in the dark.",
              "category": "infrastructure", "communities": ["serb"],
              "raised_on": "2026-01-10", "language": "en",
              "submitter_name": "Drita Krasniqi"},
    )  # fmt: skip


def web_sign_in(secretary: Secretary, typed: str) -> TestResponse:
    """The sign-in page, opened by someone new (their session is made)."""
    visitor = secretary.web.application.test_client()
    visitor.set_cookie("language", LANGUAGE)
    return visitor.get("/login")


# What is kept beside the events, in files written with sqlite3 directly
# (each file's refusal is its module's own).
BESIDE_THE_EVENTS = {
    "web sign-in": (web_sign_in, "tracker/session_store.py (the sessions file)"),
    "api case": (keyed_api_case, "web/api/idempotency.py (the receipts file)"),
    "web case": (
        web_case_with_submitter,
        "tracker/personal_keys.py (the keys file; its ROLLBACK fails too)",
    ),
}


@pytest.mark.sqlite_only("these files are in TRACKER_HOME on either store")
@pytest.mark.parametrize("name", list(BESIDE_THE_EVENTS))
def test_what_is_kept_beside_the_events_is_refused_clearly_on_a_full_disk(
    on_small_disk: tuple[Flask, SmallDisk], name: str
) -> None:
    app, disk = on_small_disk
    secretary = secretary_of(app)
    send, where = BESIDE_THE_EVENTS[name]
    before = Stored.now(app, secretary)
    disk.fill()
    typed = "On a full disk, with what is kept beside the events"
    wrong = refusal_missing(app, name, typed, send(secretary, typed))
    assert wrong == "", f"{where}: {wrong}"
    assert _partial(before, Stored.now(app, secretary), "sqlite") == []
    disk.free()
    assert succeeded(secretary, name, send(secretary, "With space again"))


def _refused_by_the_store(error: Exception) -> StoreUnavailable:
    """What the tracker makes of the store failing so (as eventsourcing wraps it)."""
    try:
        with unavailable_store_reported():
            try:
                raise error
            except Exception as raised:
                raise OperationalError(str(raised)) from raised
    except StoreUnavailable as refused:
        return refused
    raise AssertionError("not refused")


def test_a_full_disk_on_the_postgresql_server_is_told_as_a_full_disk() -> None:
    # The server's own disk is not the test's to fill: its error, as psycopg
    # raises it, is what would reach the tracker.
    full = DiskFull("could not extend file: No space left on device")
    assert isinstance(_refused_by_the_store(full), StoreFull)
    refused = _refused_by_the_store(ConnectionRefusedError("connection refused"))
    assert not isinstance(refused, StoreFull)
