"""Reading import files as they come: encodings, delimiters, XLSX, headers."""

from __future__ import annotations

import codecs
import io
from datetime import date

import openpyxl
import pytest

from domain.reference import CATEGORIES, COMMUNITIES, MUNICIPALITIES
from tests.application.spreadsheets import (
    HEADER,
    csv_file,
    imported,
    row,
    sheet_of,
    xlsx_file,
)
from tracker.application import CaseTracker
from tracker.import_columns import COLUMN_NAMES, COLUMNS, ImportRefused
from tracker.import_rows import municipality_code
from tracker.import_sheet import read_sheet
from tracker.import_templates import template_csv, template_xlsx

LATIN = row(
    municipality="Graçanicë",
    title="Ndriçimi në rrugën e Čaglavicës",
    description="Šta ćemo: ulica je mračna, đaci idu u školu po mraku; ç ë ž.",
)
CYRILLIC = row(
    municipality="Штрпце",
    title="Загађена река код школе",
    description="Канализација тече у реку поред школе.",
    language="sr",
)


def refusal_of(content: bytes, filename: str = "cases.csv", **options: str) -> str:
    """The problems reading the file reports, one line each."""
    with pytest.raises(ImportRefused) as refused:
        sheet_of(content, filename, **options)
    return "\n".join(str(problem) for problem in refused.value.problems)


def test_a_windows_1250_csv_without_its_encoding_is_refused_at_the_bad_line() -> None:
    content = csv_file([row(), LATIN], encoding="cp1250")

    assert refusal_of(content) == (
        "line 3: byte 0xE7 is not UTF-8 text; save it as CSV UTF-8, or name its "
        "encoding: --encoding cp1250 (Albanian, Serbian Latin) or --encoding cp1251 "
        "(Serbian Cyrillic)"
    )


def test_a_windows_1250_csv_with_its_encoding_lands_letter_for_letter(
    tracker: CaseTracker,
) -> None:
    content = csv_file([row(), LATIN], encoding="cp1250")

    report = imported(tracker, content, encoding="cp1250")

    case = tracker.case(report.imported[1].case_id)
    assert (case.title, case.description) == (LATIN["title"], LATIN["description"])
    assert case.municipality == "GRA"


def test_a_windows_1251_cyrillic_csv_with_its_encoding_lands_letter_for_letter(
    tracker: CaseTracker,
) -> None:
    content = csv_file([CYRILLIC], encoding="cp1251", delimiter=";")

    report = imported(tracker, content, encoding="CP1251")

    case = tracker.case(report.imported[0].case_id)
    assert (case.reference, case.title) == ("STR-2025-001", CYRILLIC["title"])


def test_a_utf8_csv_with_a_byte_order_mark_reads_its_first_column() -> None:
    content = codecs.BOM_UTF8 + csv_file([CYRILLIC])

    sheet = sheet_of(content)

    assert sheet.rows[0].cells["municipality"] == "Штрпце"
    assert sheet.ignored_columns == ()


def test_a_utf16_tab_separated_file_as_excel_saves_unicode_text_is_read() -> None:
    content = csv_file([LATIN], delimiter="\t", encoding="utf-16")

    sheet = sheet_of(content, "cases.txt")

    assert sheet.rows[0].cells["title"] == LATIN["title"]


def test_a_semicolon_delimited_csv_is_read(tracker: CaseTracker) -> None:
    content = csv_file([row(communities="serb, roma")], delimiter=";")

    report = imported(tracker, content)

    assert tracker.case(report.imported[0].case_id).communities == ("serb", "roma")


def test_the_encoding_given_is_honoured_over_the_guess() -> None:
    content = csv_file([LATIN])  # UTF-8, read as if Windows-1250

    sheet = sheet_of(content, encoding="cp1250")

    assert sheet.rows[0].cells["title"] != LATIN["title"]
    assert refusal_of(b"title\n\x98\n", encoding="cp1250") == (
        "line 2: byte 0x98 is not cp1250 text; is it in another encoding?"
    )


def test_an_unknown_encoding_name_is_refused() -> None:
    assert refusal_of(csv_file([row()]), encoding="klingon") == (
        "file: 'klingon' is not an encoding (try cp1250 or cp1251)"
    )


def test_missing_required_columns_are_named_and_no_row_is_read() -> None:
    header = ("Municipality", "Title", "date", "notes")

    assert refusal_of(csv_file([row()], header=header)) == (
        "line 1: required columns missing: description, category, communities, "
        "raised_on (the header row has: Municipality, Title, date, notes)"
    )


def test_headers_are_matched_without_regard_to_capitals_spaces_or_hyphens() -> None:
    header = [" Municipality", "TITLE", "Description", "category", "Communities",
              "Raised on", "location ", "Language"]  # fmt: skip
    content = csv_file([row()], header=HEADER).replace(
        b",".join(h.encode() for h in HEADER), ",".join(header).encode()
    )

    assert sheet_of(content).rows[0].cells["raised_on"] == "21.11.2025"


def test_a_column_named_twice_is_refused() -> None:
    assert refusal_of(csv_file([row()], header=(*HEADER, "Title"))) == (
        "line 1, title: the column appears twice"
    )


def test_columns_not_in_the_layout_are_ignored_and_named() -> None:
    sheet = sheet_of(csv_file([row(notes="call back")], header=(*HEADER, "notes")))

    assert sheet.ignored_columns == ("notes",)
    assert sheet.problems == ()


def test_a_value_under_no_header_is_reported_with_its_line() -> None:
    content = (
        csv_file([row()]) + b"GRA,T,Text, with a comma,other,serb,1.1.2025,Village,en\n"
    )

    sheet = sheet_of(content)

    assert [str(p) for p in sheet.problems] == [
        "line 3: values in column I, which has no name in the header row "
        "(for CSV: is a delimiter inside a text without quotes?)"
    ]


def test_blank_rows_are_skipped_and_lines_stay_those_of_the_file() -> None:
    content = b"\n" + csv_file([row()]) + b",,,,,,,\n\n" + csv_file([row()])[-80:]

    sheet = sheet_of(content)

    assert [r.line for r in sheet.rows] == [3, 6]


def test_a_quoted_text_over_several_lines_keeps_the_line_it_starts_on() -> None:
    rows = [row(description="First line\nsecond line"), row(title="Next")]

    sheet = sheet_of(csv_file(rows))

    assert [r.line for r in sheet.rows] == [2, 4]
    assert sheet.rows[0].cells["description"] == "First line\nsecond line"


def test_xlsx_lines_are_spreadsheet_row_numbers_and_dates_stay_dates() -> None:
    rows = [row(raised_on=date(2025, 11, 21)), {}, row(title="T", raised_on="1.2.2025")]

    sheet = sheet_of(xlsx_file(rows, first_row=3), "forum.xlsx")

    assert [r.line for r in sheet.rows] == [4, 6]
    assert sheet.rows[0].cells["raised_on"] == date(2025, 11, 21)
    assert sheet.rows[1].cells["raised_on"] == "1.2.2025"


def test_the_cases_sheet_is_read_when_it_is_not_the_first() -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx_file([row()], sheet_title="X")))
    workbook.create_sheet("Cases", 0)
    workbook["Cases"].append(list(HEADER))
    workbook["Cases"].append(list(row(title="From the cases sheet").values()))
    content = io.BytesIO()
    workbook.save(content)

    sheet = sheet_of(content.getvalue(), "forum.xlsx")

    assert sheet.rows[0].cells["title"] == "From the cases sheet"


@pytest.mark.parametrize(
    ("content", "filename", "reason"),
    [
        (b"%PDF-1.4", "cases.pdf", "cases.pdf is neither CSV (.csv) nor Excel (.xlsx)"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1", "cases.xls", "cases.xls is an old Excel .xls"),
        (b"not a workbook", "cases.xlsx", "cases.xlsx is not an Excel workbook"),
        (b"PK\x03\x04broken", "cases.csv", "cases.csv is not an Excel workbook"),
        (b"", "cases.csv", "the file is empty"),
        (b"\n \n", "cases.csv", "the file is empty"),
        (b"a\x00b\n", "cases.csv", "the file holds NUL characters"),
    ],
)
def test_a_file_that_is_neither_csv_nor_xlsx_is_refused_clearly(
    content: bytes, filename: str, reason: str
) -> None:
    assert refusal_of(content, filename).startswith(f"file: {reason}")


def test_a_header_without_rows_is_refused(tracker: CaseTracker) -> None:
    with pytest.raises(ImportRefused) as refused:
        imported(tracker, csv_file([]))

    assert [str(p) for p in refused.value.problems] == [
        "file: no rows under the header"
    ]


def test_every_official_name_of_every_municipality_finds_it() -> None:
    for m in MUNICIPALITIES:
        for name in m.names:
            assert municipality_code(name) == m.code
            assert municipality_code(name.upper()) == m.code


def test_both_templates_read_back_and_their_example_row_imports(
    tracker: CaseTracker,
) -> None:
    as_csv = imported(tracker, template_csv(), "template.csv")
    as_xlsx = imported(tracker, template_xlsx(), "template.xlsx")

    assert [c.line for c in as_csv.imported] == [2]
    assert as_xlsx.already_imported == as_csv.imported
    case = tracker.case(as_csv.imported[0].case_id)
    assert (case.municipality, case.raised_on) == ("GRA", date(2025, 11, 21))
    assert case.title == COLUMNS[1].example
    assert template_csv().startswith(codecs.BOM_UTF8 + b"municipality,title,")


def test_the_xlsx_template_explains_every_column_and_lists_the_codes() -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(template_xlsx()))
    cases, explained = workbook["cases"], workbook["help"]

    assert [c.value for c in cases[1]] == list(COLUMN_NAMES)
    assert cases["F2"].is_date
    values = {cell.value for line in explained.iter_rows() for cell in line}
    assert {c.meaning for c in COLUMNS} <= values
    assert {*CATEGORIES, *COMMUNITIES} <= values
    assert {m.sr_cyrl for m in MUNICIPALITIES} <= values


def test_a_small_workbook_declaring_a_huge_sheet_is_refused_at_once() -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["municipality", "title"])
    sheet["XFD1048576"] = "far away"
    content = io.BytesIO()
    workbook.save(content)
    assert len(content.getvalue()) < 20_000
    with pytest.raises(ImportRefused) as refusal:
        read_sheet(content.getvalue(), filename="bomb.xlsx")
    assert "declares more than" in str(refusal.value.problems[0])
