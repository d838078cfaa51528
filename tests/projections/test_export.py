"""The export: four tables and their dictionary, in CSV, XLSX and JSON."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

import openpyxl
import pytest

from domain.errors import InvalidValue, UnknownMunicipality
from domain.reference import CATEGORIES
from projections.case_queries import CaseFilter, find_cases
from projections.export import EXPORT_FORMATS, export_file
from projections.export_dictionary import DICTIONARY, TABLES
from projections.meetings import find_meetings
from projections.referral_queries import find_referrals, referral_responses
from projections.views import Views
from tests.application.builders import RAISED_ON, submit
from tests.conftest import TODAY
from tests.projections.export_files import every_text, opened
from tests.stores import Store
from tracker.application import CaseTracker

FORMULA = '=HYPERLINK("http://evil","x")'
SECRET_NAME = "Zana Qorrsekreti"
SECRET_CONTACT = "zana.q9x7@example.org"
CYRILLIC = "Река загађена код школе у Штрпцу"
ALBANIAN = "Lumi është i ndotur pranë shkollës; çdo ditë e më keq."
TABLE_NAMES = [table.name for table in TABLES]


def record_forum(tracker: CaseTracker) -> UUID:
    """A meeting and two cases (STR and GRA), each from a named submitter.

    The STR case, raised at the meeting, is answered; the GRA one is not.
    """
    secret = {"name": SECRET_NAME, "contact": SECRET_CONTACT}
    meeting_id = tracker.record_meeting(
        actor="secretary",
        municipality="STR",
        held_on=RAISED_ON,
        place="Дом културе, Штрпце",
        attendance=[
            {"gender": "female", "community": "serb", "count": 3},
            {"gender": "male", "community": "albanian", "count": 2},
        ],
    )
    str_case = submit(
        tracker, title=CYRILLIC, description=ALBANIAN, language="sr",
        meeting_id=meeting_id, submitter=secret,
    ).case_id  # fmt: skip
    gra_case = submit(
        tracker, municipality="GRA", title=FORMULA, submitter=secret
    ).case_id
    for case_id in (str_case, gra_case):
        tracker.accept_case(case_id, actor="advocate", priority="high")
        referral = tracker.refer_case(
            case_id, actor="advocate", institution_kind="mayor",
            institution_name="Kryetari i Komunës", request_kind="general_request",
            sent_on=date(2025, 3, 10),
        )  # fmt: skip
        if case_id == str_case:
            response_id = tracker.record_response(
                case_id, referral.referral_id, actor="advocate",
                received_on=date(2025, 3, 20), kind="commitment", summary="We will.",
            )  # fmt: skip
            tracker.verify_commitment(
                case_id, response_id, actor="advocate", status="fulfilled",
                verified_on=date(2025, 4, 1), evidence="Seen on site.",
            )  # fmt: skip
    return meeting_id


@pytest.fixture
def forum(tracker: CaseTracker) -> UUID:
    """The seeded forums' meeting, not yet in the views (the export catches up)."""
    return record_forum(tracker)


def exported(views: Views, file_format: str, **options: Any) -> bytes:
    """The export's bytes, as of TODAY."""
    return export_file(views, file_format=file_format, today=TODAY, **options).content


def rows_of(views: Views, file_format: str, table: str, **options: Any) -> list[Any]:
    """One table of an export, read back."""
    return opened(file_format, exported(views, file_format, **options))[table][1]


each_format = pytest.mark.parametrize("file_format", EXPORT_FORMATS)


@each_format
def test_every_format_opens_with_the_four_tables_and_the_dictionary(
    views: Views, forum: UUID, file_format: str
) -> None:
    tables = opened(file_format, exported(views, file_format))
    assert set(tables) == {*TABLE_NAMES, "dictionary"}
    counts = {name: len(rows) for name, (_, rows) in tables.items()}
    assert counts["cases"] == 2
    assert counts["referrals"] == 2
    assert counts["responses"] == 1
    assert counts["meetings"] == 1


@each_format
def test_every_exported_column_is_in_the_dictionary_and_every_one_described_exported(
    views: Views, forum: UUID, file_format: str
) -> None:
    tables = opened(file_format, exported(views, file_format))
    names, dictionary = tables.pop("dictionary")
    assert names == list(DICTIONARY.names)
    described = {(row["table"], row["column"]) for row in dictionary}
    in_file = {
        (table, column) for table, (names, _) in tables.items() for column in names
    }
    assert described == in_file
    assert all(row["type"] and row["meaning"] for row in dictionary)


@each_format
def test_allowed_codes_in_the_dictionary_are_the_reference_lists(
    views: Views, file_format: str
) -> None:
    dictionary = rows_of(views, file_format, "dictionary")
    codes = {(r["table"], r["column"]): r["codes"] for r in dictionary}
    categories = codes["cases", "category"]
    listed = categories if isinstance(categories, list) else str(categories).split()
    assert tuple(listed) == CATEGORIES


@each_format
def test_a_municipality_limit_leaves_other_municipalities_out_of_every_table(
    views: Views, forum: UUID, file_format: str
) -> None:
    content = exported(views, file_format, municipalities=("GRA",))
    tables = opened(file_format, content)
    for name in TABLE_NAMES:
        assert {row["municipality"] for row in tables[name][1]} <= {"GRA"}, name
    assert len(tables["cases"][1]) == 1
    assert len(tables["meetings"][1]) == 0
    assert CYRILLIC not in every_text(file_format, content)


@each_format
def test_a_submitters_name_and_contact_appear_in_no_format(
    tracker: CaseTracker, views: Views, forum: UUID, file_format: str
) -> None:
    recorded = [
        (case.submitter.name, case.submitter.contact)
        for case in tracker.cases()
        if case.submitter
    ]
    assert recorded == [(SECRET_NAME, SECRET_CONTACT)] * 2
    text = every_text(file_format, exported(views, file_format))
    assert "Qorrsekreti" not in text
    assert "q9x7" not in text


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_a_formula_is_neutralised_in_spreadsheet_formats(
    views: Views, forum: UUID, file_format: str
) -> None:
    titles = {row["title"] for row in rows_of(views, file_format, "cases")}
    assert "'" + FORMULA in titles
    assert FORMULA not in titles


def test_csv_files_are_compressed_in_their_zip(views: Views, forum: UUID) -> None:
    with zipfile.ZipFile(io.BytesIO(exported(views, "csv"))) as archive:
        members = archive.infolist()
    assert {m.compress_type for m in members} == {zipfile.ZIP_DEFLATED}
    assert len(members) == len(TABLES) + 2


def test_a_formula_is_kept_verbatim_in_json(views: Views, forum: UUID) -> None:
    titles = {row["title"] for row in rows_of(views, "json", "cases")}
    assert FORMULA in titles


def test_a_formula_never_reaches_a_workbook_as_a_formula(
    views: Views, forum: UUID
) -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(exported(views, "xlsx")))
    cells = workbook["cases"].iter_rows(min_row=2)
    assert all(cell.data_type != "f" for row in cells for cell in row)


@each_format
def test_cyrillic_and_albanian_text_survive(
    views: Views, forum: UUID, file_format: str
) -> None:
    (case,) = rows_of(views, file_format, "cases", municipalities=("STR",))
    assert case["title"] == CYRILLIC
    assert case["description"] == ALBANIAN
    (meeting,) = rows_of(views, file_format, "meetings")
    assert meeting["place"] == "Дом културе, Штрпце"


def test_json_has_real_dates_booleans_numbers_and_lists(
    views: Views, forum: UUID
) -> None:
    document = json.loads(exported(views, "json", municipalities=("STR",)))
    assert document["as_of"] == TODAY.isoformat()
    assert document["municipalities"] == ["STR"]
    (case,) = document["cases"]
    assert case["communities"] == ["albanian", "serb"]
    assert case["jointly_raised"] is True
    assert case["raised_on"] == RAISED_ON.isoformat()
    assert case["open_referrals"] == 0
    assert case["meeting_id"] == forum.hex
    (response,) = document["responses"]
    assert response["substantive"] is True
    assert response["commitment_status"] == "fulfilled"
    (meeting,) = document["meetings"]
    assert meeting["attendance_total"] == 5
    assert meeting["attendance_by_gender_female"] == 3
    assert meeting["attendance_by_community_albanian"] == 2
    assert meeting["cases_raised"] == 1


def test_a_workbook_has_a_bold_frozen_header_and_real_dates(
    views: Views, forum: UUID
) -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(exported(views, "xlsx")))
    assert workbook.sheetnames == [*TABLE_NAMES, "dictionary"]
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == "A2"
        assert all(cell.font.b for cell in sheet[1])
    cases = workbook["cases"]
    raised_on = cases.cell(2, list(TABLES[0].names).index("raised_on") + 1)
    assert raised_on.is_date
    assert raised_on.value.date() == RAISED_ON


def test_a_referrals_deadline_state_is_judged_as_of_the_day_given(
    views: Views, forum: UUID
) -> None:
    states = {
        row["case_reference"][:3]: row["deadline_state"]
        for row in rows_of(views, "json", "referrals")
    }
    assert states == {"STR": "answered", "GRA": "very_overdue"}
    early = export_file(views, file_format="json", today=date(2025, 3, 12)).content
    assert {r["deadline_state"] for r in json.loads(early)["referrals"]} == {"pending"}


@pytest.fixture
def demo_views(
    store: Store, demo_tracker: CaseTracker, tmp_path: Path
) -> Iterator[Views]:
    """The views of this test's copy of the demo data."""
    views = store.views(demo_tracker, tmp_path / "demo-views.sqlite3")
    yield views
    views.close()


def test_the_figures_agree_with_the_views(demo_views: Views) -> None:
    document = json.loads(exported(demo_views, "json", municipalities=("STR",)))
    with demo_views.reading() as c:
        cases = find_cases(c, CaseFilter(municipalities=("STR",)), today=TODAY)
        referrals = find_referrals(
            c, today=TODAY, municipalities=("STR",), per_page=200
        )
        responses = sum(
            len(referral_responses(c, r.referral_id)) for r in referrals.rows
        )
        meetings = find_meetings(c, municipalities=("STR",))
    assert len(document["cases"]) == cases.total > 0
    assert len(document["referrals"]) == referrals.total > 0
    assert referrals.total <= 200
    assert len(document["responses"]) == responses > 0
    assert len(document["meetings"]) == meetings.total > 0
    states = {r.referral_id: r.deadline_state.value for r in referrals.rows}
    assert {r["referral_id"]: r["deadline_state"] for r in document["referrals"]} == (
        states
    )


def test_an_unknown_format_or_municipality_is_refused(views: Views) -> None:
    with pytest.raises(InvalidValue, match="format must be one of: csv, xlsx, json"):
        export_file(views, file_format="pdf", today=TODAY)
    with pytest.raises(UnknownMunicipality):
        export_file(views, file_format="csv", municipalities=("XXX",), today=TODAY)


def test_the_file_is_named_for_the_day_and_the_municipalities(views: Views) -> None:
    whole = export_file(views, file_format="csv", today=date(2026, 11, 21))
    assert whole.filename == "cfpi-export-2026-11-21.zip"
    assert whole.media_type == "application/zip"
    some = export_file(
        views, file_format="xlsx", municipalities=("STR", "GRA"), today=TODAY
    )
    assert some.filename == "cfpi-export-GRA-STR-2026-01-15.xlsx"


def test_an_empty_store_exports_empty_tables(views: Views) -> None:
    for file_format in EXPORT_FORMATS:
        tables = opened(file_format, exported(views, file_format))
        assert all(not tables[name][1] for name in TABLE_NAMES)
