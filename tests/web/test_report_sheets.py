"""The accountability report as a workbook and as CSV files: the report's own
figures, municipalities and responses, in the report's language, safe to open."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date, datetime
from typing import Any

import pytest
from flask import Flask
from openpyxl import load_workbook

from domain.reference import municipality
from projections.accountability import (
    FIGURE_NAMES,
    SCALAR_FIGURES,
    AccountabilityReport,
    Period,
    accountability_report,
)
from tests.application.builders import submit
from tests.conftest import TODAY
from tests.web.conftest import services_of
from web.labels import label
from web.reports.definitions import DEFINITIONS, TABLES
from web.reports.rendering import REPORT_LANGUAGES, in_language, report_file
from web.reports.wording import KINDS, SHARE

FORMULA = '=HYPERLINK("http://x")'
CSV_FILES = ("figures", "municipalities", "government_responses", "dictionary")
FILES = {*(f"{name}.csv" for name in CSV_FILES), "README.txt"}
NUMBERS = {"this_period", "previous_period", "change", *SCALAR_FIGURES}
LATIN = re.compile(r"[A-Za-z]")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
Row = dict[str, Any]
# Keyed by (figure, code): this period, previous period, change.
Figures = dict[tuple[str, str | None], tuple[Any, Any, Any]]


def report_of(app: Flask, year: int) -> AccountabilityReport:
    """The demo's report of a year, for every municipality."""
    with services_of(app).views.reading() as c:
        return accountability_report(c, Period.year(year, today=TODAY))


@pytest.fixture
def report(app: Flask) -> AccountabilityReport:
    """2025's report, with an answered referral to an institution named as a formula."""
    tracker = services_of(app).tracker
    case_id = submit(tracker, municipality="GRA", raised_on=date(2025, 3, 3)).case_id
    tracker.accept_case(case_id, actor="advocate")
    referral = tracker.refer_case(
        case_id,
        actor="advocate",
        institution_kind="municipal_directorate",
        institution_name=FORMULA,
        request_kind="general_request",
        sent_on=date(2025, 3, 10),
    )
    tracker.record_response(
        case_id,
        referral.referral_id,
        actor="advocate",
        received_on=date(2025, 4, 2),
        kind="commitment",
        summary="The directorate will clean the river bed.",
    )
    return report_of(app, 2025)


# -- reading the files back -----------------------------------------------------


def sheets(report: AccountabilityReport, language: str = "en") -> list[list[Any]]:
    """The report's workbook in a language: each sheet's rows, header first."""
    content = report_file(report, file_format="xlsx", language=language).content
    workbook = load_workbook(io.BytesIO(content))
    return [[tuple(r) for r in s.iter_rows(values_only=True)] for s in workbook]


def unzipped(report: AccountabilityReport, language: str = "en") -> dict[str, str]:
    """The report's ZIP in a language: each file's text; each CSV starts with a BOM."""
    content = report_file(report, file_format="csv", language=language).content
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    assert set(files) == FILES
    assert all(files[f"{name}.csv"].startswith(b"\xef\xbb\xbf") for name in CSV_FILES)
    return {name: raw.decode("utf-8-sig") for name, raw in files.items()}


def csv_rows(report: AccountabilityReport, language: str = "en") -> dict[str, Any]:
    """The report's CSV files in a language, as rows by column name."""
    files = unzipped(report, language)
    return {
        name: list(csv.DictReader(io.StringIO(files[f"{name}.csv"])))
        for name in CSV_FILES
    }


def tables(
    report: AccountabilityReport, file_format: str, language: str = "en"
) -> dict[str, list[Row]]:
    """The figures, municipalities and responses of either file, as plain values.

    Rows are by column name; a workbook's columns are found by position, as
    its headings are in the report's language. Empty cells are None.
    """
    if file_format == "csv":
        found = csv_rows(report, language)
        return {t.name: [_plain(row) for row in found[t.name]] for t in TABLES}
    return {
        t.name: [
            {c.name: _day(v) for c, v in zip(t.columns, row, strict=True)}
            for row in rows[1:]
        ]
        for t, rows in zip(TABLES, sheets(report, language)[:3], strict=True)
    }


def _plain(row: dict[str, str]) -> Row:
    def value(name: str, text: str) -> Any:
        if text == "":
            return None
        if name == "received_on":
            return date.fromisoformat(text)
        if name in NUMBERS:
            return float(text) if "." in text else int(text)
        return text

    return {name: value(name, text) for name, text in row.items()}


def _day(value: Any) -> Any:
    return value.date() if isinstance(value, datetime) else value


def written(file_format: str, figure: str, value: Any) -> Any:
    """A figure's value as a file keeps it.

    CSV rounds shares to 4 places; openpyxl writes 16 significant digits.
    """
    if file_format == "csv" and value is not None and KINDS[figure] == SHARE:
        return round(value, 4)
    return float(f"{value:.16g}") if isinstance(value, float) else value


def figures_of(report: AccountabilityReport, file_format: str) -> Figures:
    """Every figure and every counted code of the report, as the file keeps them."""
    change = report.change()
    expected: Figures = {}
    for name in FIGURE_NAMES:
        now, before = getattr(report.figures, name), getattr(report.previous, name)
        moved = change[name]
        if isinstance(now, dict) and isinstance(moved, dict):
            for code in now.keys() | before.keys():
                counts = (now.get(code, 0), before.get(code, 0), moved[code])
                expected[name, code] = counts
        else:
            values = (now, before, moved)
            expected[name, None] = tuple(written(file_format, name, v) for v in values)
    return expected


# -- the definitions ------------------------------------------------------------


def test_every_figure_has_a_definition_of_one_sentence() -> None:
    assert set(DEFINITIONS) == set(FIGURE_NAMES)
    with in_language("en"):
        for name, definition in DEFINITIONS.items():
            assert str(definition).endswith("."), name
            assert ". " not in str(definition), name


# -- the figures, the municipalities, the responses ------------------------------


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
@pytest.mark.parametrize("year", [2023, 2025])
def test_every_figure_and_code_of_the_report_is_in_the_file(
    app: Flask, year: int, file_format: str
) -> None:
    report = report_of(app, year)
    found: Figures = {
        (row["figure"], row["code"]): (
            row["this_period"],
            row["previous_period"],
            row["change"],
        )
        for row in tables(report, file_format)["figures"]
    }
    assert {figure for figure, _ in found} == set(FIGURE_NAMES)
    expected = figures_of(report, file_format)
    for key, values in expected.items():
        assert found[key] == values, key
    for key in found.keys() - expected.keys():  # a code counted in neither period
        assert found[key] == (0, 0, 0), key


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_a_figure_without_a_value_is_an_empty_cell(
    app: Flask, file_format: str
) -> None:
    report = report_of(app, 2023)
    assert report.previous.response_rate is None  # nothing was referred in 2022
    assert report.previous.median_days_to_first_response is None
    rows = {row["figure"]: row for row in tables(report, file_format)["figures"]}
    for name in ("response_rate", "median_days_to_first_response"):
        assert (rows[name]["previous_period"], rows[name]["change"]) == (None, None)


def test_numbers_are_numbers_and_dates_are_dates_in_the_workbook(
    report: AccountabilityReport,
) -> None:
    content = report_file(report, file_format="xlsx", language="en").content
    figures, _, responses, _ = load_workbook(io.BytesIO(content)).worksheets
    share = next(row for row in figures.iter_rows() if row[6].value == "joint_share")
    assert isinstance(share[3].value, float)
    assert share[3].number_format.endswith("%")
    received = [row[6] for row in responses.iter_rows(2, values_only=True)]
    assert all(isinstance(day, datetime) for day in received)


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_a_row_per_municipality_holds_its_one_number_figures(
    report: AccountabilityReport, file_format: str
) -> None:
    assert len(report.municipalities) > 1
    expected = [
        {
            "municipality": row.municipality,
            "municipality_label": municipality(row.municipality or "").name("sq"),
            **{n: written(file_format, n, getattr(row, n)) for n in SCALAR_FIGURES},
        }
        for row in report.municipalities
    ]
    assert tables(report, file_format, "sq")["municipalities"] == expected


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
@pytest.mark.parametrize("language", ["sq", "sr_Cyrl"])
def test_the_government_responses_are_the_reports(
    report: AccountabilityReport, file_format: str, language: str
) -> None:
    assert FORMULA in {r.institution for r in report.government_responses}
    with in_language(language):
        expected = [
            {
                "reference": r.reference,
                "municipality": r.municipality,
                "municipality_label": municipality(r.municipality).name(language),
                "institution_kind_label": label(
                    "institution_kinds", r.institution_kind
                ),
                "institution": r.institution.replace(FORMULA, "'" + FORMULA),
                "kind_label": label("response_kinds", r.kind),
                "received_on": date.fromisoformat(r.received_on),
                "institution_kind": r.institution_kind,
                "kind": r.kind,
            }
            for r in report.government_responses
        ]
    found = tables(report, file_format, language)["government_responses"]
    assert found == expected


# -- languages and safety ---------------------------------------------------------

WORDS = {
    "figures": ("code_label",),
    "municipalities": ("municipality_label",),
    "government_responses": (
        "municipality_label",
        "institution_kind_label",
        "kind_label",
    ),
}


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_the_words_are_cyrillic_in_serbian_cyrillic(
    report: AccountabilityReport, file_format: str
) -> None:
    found = tables(report, file_format, "sr_Cyrl")
    words = [
        row[column]
        for table, columns in WORDS.items()
        for row in found[table]
        for column in columns
        if row[column] is not None
    ]
    assert len(words) > 100
    assert [w for w in words if LATIN.search(w) or not CYRILLIC.search(w)] == []


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_the_words_are_albanian_in_albanian(
    report: AccountabilityReport, file_format: str
) -> None:
    found = tables(report, file_format, "sq")
    codes = {(r["figure"], r["code"]): r["code_label"] for r in found["figures"]}
    assert codes["cases_by_category", "environment"] == "Mjedisi"
    places = {r["municipality"]: r for r in found["municipalities"]}
    assert places["GRA"]["municipality_label"] == "Graçanicë"
    answer = next(
        r for r in found["government_responses"] if r["institution"].endswith(FORMULA)
    )
    words = [answer[column] for column in WORDS["government_responses"]]
    assert words == ["Graçanicë", "Drejtoria komunale", "Zotim"]


def test_a_formula_typed_as_an_institution_is_written_as_text(
    report: AccountabilityReport,
) -> None:
    content = report_file(report, file_format="xlsx", language="en").content
    workbook = load_workbook(io.BytesIO(content))
    cells = [cell for sheet in workbook for row in sheet for cell in row]
    assert [cell.value for cell in cells if cell.data_type == "f"] == []
    assert "'" + FORMULA in {cell.value for cell in cells}
    rows = csv_rows(report)["government_responses"]
    institutions = {row["institution"] for row in rows}
    assert "'" + FORMULA in institutions
    assert FORMULA not in institutions


@pytest.mark.parametrize("language", REPORT_LANGUAGES)
def test_every_language_has_valid_sheet_names_and_the_same_csv_columns(
    report: AccountabilityReport, language: str
) -> None:
    content = report_file(report, file_format="xlsx", language=language).content
    names = load_workbook(io.BytesIO(content)).sheetnames
    assert len(set(names)) == 4
    assert all(0 < len(n) <= 31 and not re.search(r"[\[\]:*?/\\]", n) for n in names)
    columns = {name: list(rows[0]) for name, rows in csv_rows(report, language).items()}
    assert columns == {name: list(rows[0]) for name, rows in csv_rows(report).items()}
    assert columns["figures"][-2:] == ["figure", "code"]


# -- what the files say about themselves -----------------------------------------


def test_the_dictionary_describes_every_column_of_every_file(
    report: AccountabilityReport,
) -> None:
    files = csv_rows(report, "sq")
    described = {(r["file"], r["column"]) for r in files["dictionary"]}
    present = {(f"{name}.csv", c) for name, rows in files.items() for c in rows[0]}
    assert described == present
    assert all(r["label"] and r["meaning"] for r in files["dictionary"])


def test_the_about_sheet_and_the_readme_define_every_figure(
    report: AccountabilityReport,
) -> None:
    about = sheets(report)[-1]
    defined = {row[1]: row[2] for row in about if row[1] in FIGURE_NAMES}
    text = unzipped(report)["README.txt"]
    with in_language("en"):
        assert defined == {name: str(DEFINITIONS[name]) for name in FIGURE_NAMES}
        for name in FIGURE_NAMES:
            assert f"  {name} (" in text
            assert str(DEFINITIONS[name]) in text
    assert ("Period", datetime(2025, 1, 1), datetime(2025, 12, 31)) in about
    assert "Period: 2025-01-01 \u2013 2025-12-31" in text
    assert "Previous period: 2024-01-01 \u2013 2024-12-31" in text
