"""Any text a person can store comes out of every download as text that runs nothing.

Hypothesis draws texts (formulas with every trigger, ``=HYPERLINK(…)``, DDE
such as ``=cmd|' /C calc'!A0``, control characters, look-alikes, any text)
and stores them through the API where people type them: a case's title and
description, an institution's name, a meeting's place, and the redacted
title and description a coordinator publishes. Then every file they reach
is read as a spreadsheet or a program reads it:

- the export (``/api/v1/export``) as CSV (ZIP), XLSX and JSON;
- the accountability report's sheets (``/reports/accountability``) as XLSX,
  CSV (ZIP) and JSON;
- the portal's open data (``/public/open-data.zip``), CSV and JSON.

In a workbook no cell is a formula, and each text is the text (without
what XML cannot hold) after an apostrophe if it starts with a formula's
trigger; in a CSV file no cell starts with a trigger (numbers aside), and
each text is shown so; in JSON each text is exactly as stored.
"""

from __future__ import annotations

import io
import json
import shutil
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import openpyxl
import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.faults.downloads import (
    as_csv_shows,
    as_workbook_shows,
    csv_tables,
    formula_cells,
    json_tables,
    runs_as_formula,
    sheet_rows,
    workbook_sheets,
)
from tests.faults.hostile_text import formula_text, hostile_text, lookalike_text
from tests.faults.scale import rounds
from tests.stores import Store
from tests.web.api.conftest import NEW_CASE, ApiClient, token_for
from tests.web.conftest import close_app, make_app, services_of, sign_in

pytestmark = pytest.mark.faults

EXAMPLES = rounds(15, 150)
PLACES = ("title", "description", "institution", "place", "public_title",
          "public_description")  # fmt: skip


@pytest.fixture(scope="module")
def export_app(
    module_store: Store, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Flask]:
    """The app on an empty store, shared by the module's generated texts."""
    home = tmp_path_factory.mktemp("fuzz-export") / "home"
    app = make_app(module_store, home)
    yield app
    close_app(app)
    shutil.rmtree(home, ignore_errors=True)


def storable(text: str) -> str:
    """The text as a person could store it: no NUL (refused), not blank, trimmed."""
    kept = text.replace("\x00", "").strip()
    return kept or "x"


@st.composite
def texts(draw: st.DrawFn) -> dict[str, str]:
    """A text for each place a person types one, mostly formulas."""
    any_text = st.one_of(
        formula_text(), formula_text(), hostile_text(), lookalike_text()
    )
    return {place: storable(draw(any_text)) for place in PLACES}


@dataclass(frozen=True)
class Stored:
    """Where the texts were stored: the case's reference and the meeting's id."""

    reference: str
    meeting_id: str
    texts: dict[str, str]


def stored(app: Flask, admin: ApiClient, texts: dict[str, str]) -> Stored:
    """Store the texts through the API (and publish, as a coordinator does)."""
    made = admin.post(
        "/api/v1/cases",
        {**NEW_CASE, "title": texts["title"], "description": texts["description"]},
    )
    case = f"/api/v1/cases/{answered(made)['reference']}"
    answered(admin.post(f"{case}/triage", {"decision": "accept"}))
    referral = answered(
        admin.post(
            f"{case}/referrals",
            {
                "institution_kind": "mayor",
                "institution_name": texts["institution"],
                "request_kind": "general_request",
                "sent_on": "2026-01-07",
            },
        )
    )
    answered(
        admin.post(
            f"{case}/referrals/{referral['referral_id']}/responses",
            {
                "received_on": "2026-01-12",
                "kind": "information",
                "summary": "Answered.",
            },
        )
    )
    meeting = answered(
        admin.post(
            "/api/v1/meetings",
            {"municipality": "GRA", "date": "2026-01-10", "location": texts["place"]},
        )
    )
    services_of(app).tracker.publish_case(
        UUID(referral["id"]),
        actor="coordinator",
        fields=("title", "description"),
        title=texts["public_title"],
        description=texts["public_description"],
    )
    return Stored(referral["reference"], meeting["id"], texts)  # fmt: skip


def answered(answer: Any) -> dict[str, Any]:
    """The body of an answer the API must have accepted."""
    assert answer.status_code in (200, 201), answer.json
    body: dict[str, Any] = answer.json
    return body


@dataclass(frozen=True)
class Download:
    """A file to fetch, and where in it each stored text must be."""

    name: str
    fetch: Callable[[], bytes]
    # table (or sheet) → the column identifying the row → the places in it.
    rows: Mapping[str, tuple[str, tuple[str, ...]]]


def downloads(app: Flask, admin: ApiClient, coordinator: FlaskClient) -> list[Download]:
    """Every download a stored text reaches, and where in it."""
    portal = app.test_client()

    def export(file_format: str) -> Callable[[], bytes]:
        return lambda: admin.get("/api/v1/export", format=file_format).get_data()

    def report(file_format: str) -> Callable[[], bytes]:
        path = f"/reports/accountability.{file_format}?year=2026&language=en"
        return lambda: coordinator.get(path).get_data()

    exported = {"cases": ("reference", ("title", "description")),
                "referrals": ("case_reference", ("institution",)),
                "meetings": ("meeting_id", ("place",))}  # fmt: skip
    responses = {"government_responses": ("reference", ("institution",))}
    published = {
        "published_cases": ("reference", ("public_title", "public_description"))
    }
    return [
        Download("export.csv", export("csv"), exported),
        Download("export.xlsx", export("xlsx"), exported),
        Download("export.json", export("json"), exported),
        Download("report.csv", report("csv"), responses),
        Download("report.xlsx", report("xlsx"), {"*": ("reference", ("institution",))}),
        Download("report.json", report("json"), responses),
        Download("open-data.zip",
                 lambda: portal.get("/public/open-data.zip").get_data(), published),
    ]  # fmt: skip


def misread(download: Download, content: bytes, where: Stored) -> list[str]:
    """Each way a download shows a stored text other than the rules say."""
    if download.name.endswith(".xlsx"):
        return workbook_misread(download, content, where)
    if download.name.endswith(".json"):
        return json_misread(download, json.loads(content), where)
    found = [
        f"{name}.csv: {cell!r:.80} would run"
        for name, rows in csv_tables(content).items()
        for row in rows for cell in row.values() if runs_as_formula(cell or "")
    ]  # fmt: skip
    if download.name == "open-data.zip":
        found += json_misread(download, json_tables(content), where)
    return found + shown_in_rows(download, csv_tables(content), where, as_csv_shows)


def workbook_misread(download: Download, content: bytes, where: Stored) -> list[str]:
    """A formula anywhere in the workbook, or a text not shown as text."""
    sheets = workbook_sheets(content)
    found = [f"{download.name}: formula at {at}" for at in formula_cells(sheets)]
    # An empty cell reads as None: a text all of what XML cannot hold is one.
    tables = {
        title: [{k: _value(c) for k, c in row.items()} for row in sheet_rows(rows)]
        for title, rows in sheets.items()
        if rows
    }
    return found + shown_in_rows(download, tables, where, as_workbook_shows)


def _value(cell: Any) -> Any:
    return "" if cell.value is None else cell.value


def json_misread(download: Download, document: Any, where: Stored) -> list[str]:
    """A stored text that a JSON download does not hold exactly."""
    return shown_in_rows(download, document, where, lambda text: text)


def shown_in_rows(
    download: Download,
    tables: dict[str, Any],
    where: Stored,
    shows: Callable[[str], str],
) -> list[str]:
    """Each stored text not in its row as `shows` says it must be."""
    found = []
    for table, (key, places) in download.rows.items():
        candidates = tables.values() if table == "*" else [tables.get(table) or []]
        row = next(
            (r for rows in candidates for r in rows if isinstance(r, dict)
             and (where.reference in r.values() or r.get(key) == where.meeting_id)),
            None,
        )  # fmt: skip
        if row is None:
            found.append(f"{download.name}: no row of {where.reference} in {table}")
            continue
        for place in places:
            wanted = shows(where.texts[place])
            if wanted not in row.values():
                found.append(f"{download.name} {table}: {place} {wanted!r:.80} missing")
    return found


def test_stored_text_runs_nothing_in_any_download_and_is_exact_in_json(
    export_app: Flask, store_kind: str
) -> None:
    admin = ApiClient(export_app.test_client(), token_for(export_app, "admin"))
    coordinator = export_app.test_client()
    coordinator.set_cookie("language", "en")
    sign_in(coordinator, "coordinator")
    files = downloads(export_app, admin, coordinator)
    tally: Counter[str] = Counter()

    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(drawn=texts())
    def runs_nothing(drawn: dict[str, str]) -> None:
        where = stored(export_app, admin, drawn)
        tally["texts"] += len(drawn)
        problems = []
        for download in files:
            problems += misread(download, download.fetch(), where)
            tally["files"] += 1
        tally["misread"] += len(problems)
        assert not problems, f"{problems} for {drawn}"

    try:
        runs_nothing()
    finally:
        print(
            f"FUZZ_EXPORT store={store_kind} texts={tally['texts']} "
            f"files={tally['files']} misread={tally['misread']}"
        )


def test_a_formula_in_a_download_would_be_seen() -> None:
    workbook = openpyxl.Workbook()
    workbook.active.append(["reference", '=HYPERLINK("http://attacker.example")'])
    content = io.BytesIO()
    workbook.save(content)
    assert list(formula_cells(workbook_sheets(content.getvalue()))) == [
        "Sheet!B1: '=HYPERLINK(\"http://attacker.example\")'"
    ]
    assert runs_as_formula("@SUM(1+1)*cmd|' /C calc'!A0")
    assert runs_as_formula("-2+3+cmd|' /C calc'!A0")
    assert not runs_as_formula("-5")
    assert not runs_as_formula("'=1+1")
