"""The accountability report as a workbook, or as a ZIP of CSV files.

Both hold the tables of `web.reports.definitions`, in the report's language
(`web.reports.rendering.in_language`). The workbook has headings in words,
numbers as numbers, dates as dates and an "About" sheet; the CSV files are
headed by DESIGN.md §6's names, each code beside its words. Text a spreadsheet
would run as a formula (institution names are typed by people) is written
after an apostrophe, as in the export.
"""

from __future__ import annotations

import csv
import io
import re
import textwrap
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache, partial

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from projections.accountability import (
    FIGURE_NAMES,
    SCALAR_FIGURES,
    AccountabilityReport,
    Change,
    Period,
)
from projections.export_formats import cell_text, neutralised
from web import i18n
from web.labels import label
from web.reports import definitions as defined
from web.reports import wording
from web.reports.definitions import DEFINITIONS, Column, Table
from web.reports.wording import COUNT, DAYS, SHARE, code_name, figure_name


@dataclass(frozen=True)
class Amount:
    """A figure's value (None: unknown), and whether it is a count, share or days."""

    value: int | float | None
    kind: str
    change: bool = False


Cell = str | int | float | date | Amount | None
Row = tuple[Cell, ...]

_CODE_LISTS = wording.CODE_LISTS


# -- the tables -----------------------------------------------------------------


def report_tables(report: AccountabilityReport) -> Iterator[tuple[Table, list[Row]]]:
    """Each table of the report with its rows, in the report's language."""
    yield defined.FIGURE_TABLE, list(_figure_rows(report))
    yield defined.MUNICIPALITY_TABLE, list(_municipality_rows(report))
    yield defined.RESPONSE_TABLE, list(_response_rows(report))


def _figure_rows(report: AccountabilityReport) -> Iterator[Row]:
    """A row per one-number figure, and per code of a figure counted by code."""
    change = report.change()
    for heading, names in wording.SECTIONS:
        section = str(heading)
        for name in names:
            now, before = getattr(report.figures, name), getattr(report.previous, name)
            if name not in wording.CODES:
                amounts = _amounts(name, now, before, change[name])
                yield (section, figure_name(name), None, *amounts, name, None)
                continue
            difference = change[name]
            # Narrows a type.
            assert isinstance(difference, dict)  # nosec B101
            for code in _codes(name, difference):
                amounts = _amounts(
                    name, now.get(code, 0), before.get(code, 0), difference.get(code, 0)
                )
                words = code_name(name, code)
                yield (section, figure_name(name), words, *amounts, name, code)


def _codes(figure: str, counted: Iterable[str]) -> tuple[str, ...]:
    """Every code of the figure's list, then any other code that was counted."""
    listed = _CODE_LISTS[figure]
    return (*listed, *sorted(set(counted) - set(listed)))


def _amounts(
    name: str, now: float | None, before: float | None, change: Change
) -> tuple[Amount, Amount, Amount]:
    kind = wording.KINDS[name]
    # Narrows a type.
    assert not isinstance(change, dict)  # nosec B101
    return Amount(now, kind), Amount(before, kind), Amount(change, kind, change=True)


def _municipality_rows(report: AccountabilityReport) -> Iterator[Row]:
    for row in report.municipalities:
        code = row.municipality or ""
        figures = (Amount(getattr(row, n), wording.KINDS[n]) for n in SCALAR_FIGURES)
        yield (code, i18n.municipality_name(code), *figures)


def _response_rows(report: AccountabilityReport) -> Iterator[Row]:
    # The same few names over thousands of rows: each is looked up once.
    place = cache(i18n.municipality_name)
    institution_kind = cache(partial(label, "institution_kinds"))
    kind = cache(partial(label, "response_kinds"))
    for response in report.government_responses:
        yield (
            response.reference,
            response.municipality,
            place(response.municipality),
            institution_kind(response.institution_kind),
            response.institution,
            kind(response.kind),
            date.fromisoformat(response.received_on),
            response.institution_kind,
            response.kind,
        )


def _about(report: AccountabilityReport) -> list[Row]:
    """What the report covers: period, previous period, place, language."""
    now, before, place = report.period, report.previous_period, report.municipality
    name = i18n.municipality_name(place) if place else str(wording.ALL_MUNICIPALITIES)
    language = i18n.language()
    return [
        (str(wording.PERIOD), now.start, now.end),
        (str(wording.PREVIOUS_PERIOD), before.start, before.end),
        (str(wording.MUNICIPALITY), name, place),
        (str(defined.LANGUAGE), i18n.LANGUAGES[language], language),
    ]


_DICTIONARY = defined.DICTIONARY_TABLE


# -- the workbook ---------------------------------------------------------------

# Characters a sheet's title cannot hold; Excel allows 31 characters.
_NOT_IN_TITLES = re.compile(r"[\[\]:*?/\\]")
# How a value (False) and a change (True) of each kind of figure are shown.
_NUMBER_FORMATS: dict[tuple[str, bool], str] = {
    **{(COUNT, False): "#,##0", (COUNT, True): "+#,##0;-#,##0;0"},
    **{(SHARE, False): "0.0%", (SHARE, True): "+0.0%;-0.0%;0.0%"},
    **{(DAYS, False): "0.0", (DAYS, True): "+0.0;-0.0;0.0"},
}
# The columns of the figures headed with their period's days too.
_PERIODS = {"this_period": "period", "previous_period": "previous_period"}
_WIDE = 40
_BOLD = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")
_WIDE_COLUMNS = ("section_label", "figure_label", "code_label", "institution")


def write_xlsx(report: AccountabilityReport) -> bytes:
    """The report as a workbook: a sheet per table, then "About this report"."""
    workbook = Workbook(write_only=True)
    for table, rows in report_tables(report):
        sheet = _sheet(workbook, str(table.sheet))
        _widths(sheet, [_width(column) for column in table.columns])
        sheet.freeze_panes = "A2"
        headings = [_sheet_heading(column, report) for column in table.columns]
        sheet.append(_bold(sheet, headings))
        for row in rows:
            sheet.append([_sheet_cell(sheet, value) for value in row])
    _about_sheet(_sheet(workbook, str(defined.ABOUT)), report)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _about_sheet(sheet: WriteOnlyWorksheet, report: AccountabilityReport) -> None:
    """Title, what the report covers, how it counts, and each figure's definition."""
    _widths(sheet, [_WIDE, _WIDE, 100])
    sheet.append(_bold(sheet, [str(wording.TITLE)]))
    for row in _about(report):
        sheet.append([_sheet_cell(sheet, value) for value in row])
    sheet.append([])
    for note in (defined.AS_OF, defined.VALUES, defined.SHEET_NOTE):
        sheet.append([str(note)])
    sheet.append([])
    sheet.append(_bold(sheet, [str(wording.FIGURE), "figure", str(defined.DEFINITION)]))
    for name in FIGURE_NAMES:
        definition = WriteOnlyCell(sheet, value=str(DEFINITIONS[name]))
        sheet.append([figure_name(name), name, _styled(definition, alignment=_WRAP)])


def _width(column: Column) -> int:
    wide = column.name in _WIDE_COLUMNS
    return _WIDE if wide else max(10, len(column.title) + 2)


def _widths(sheet: WriteOnlyWorksheet, widths: list[int]) -> None:
    for number, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = width


def _sheet_heading(column: Column, report: AccountabilityReport) -> str:
    if column.name not in _PERIODS:
        return column.title
    period: Period = getattr(report, _PERIODS[column.name])
    days = f"{i18n.day(period.start)} \u2013 {i18n.day(period.end)}"
    return f"{column.title} ({days})"


def _sheet(workbook: Workbook, title: str) -> WriteOnlyWorksheet:
    """A new sheet, its title made one Excel accepts."""
    allowed = _NOT_IN_TITLES.sub("", title).strip().strip("'")[:31]
    sheet: WriteOnlyWorksheet = workbook.create_sheet(allowed or None)
    return sheet


def _bold(sheet: WriteOnlyWorksheet, texts: list[str]) -> list[WriteOnlyCell]:
    return [_styled(WriteOnlyCell(sheet, value=text), font=_BOLD) for text in texts]


def _styled(cell: WriteOnlyCell, **style: object) -> WriteOnlyCell:
    for name, value in style.items():
        setattr(cell, name, value)
    return cell


def _sheet_cell(sheet: WriteOnlyWorksheet, value: Cell) -> object:
    if isinstance(value, Amount):
        if value.value is None:
            return None
        number_format = _NUMBER_FORMATS[value.kind, value.change]
        return _styled(WriteOnlyCell(sheet, value.value), number_format=number_format)
    if isinstance(value, str):
        return cell_text(value)
    return value


# -- the CSV files ----------------------------------------------------------------


def write_csv_zip(report: AccountabilityReport) -> bytes:
    """A ZIP of the tables as CSV files, dictionary.csv and README.txt."""
    buffer = io.BytesIO()
    counts: dict[str, int] = {}
    tables = [*report_tables(report), (_DICTIONARY, list(_dictionary_rows()))]
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for table, rows in tables:
            archive.writestr(f"{table.name}.csv", _csv_file(table, rows))
            counts[table.name] = len(rows)
        archive.writestr("README.txt", _readme(report, counts).encode("utf-8"))
    return buffer.getvalue()


def _csv_file(table: Table, rows: list[Row]) -> bytes:
    """UTF-8 CSV with a byte-order mark (Excel then reads ë, ç, ш), headed by names."""
    text = io.StringIO(newline="")
    writer = csv.writer(text)
    writer.writerow(column.name for column in table.columns)
    writer.writerows([_csv_value(value) for value in row] for row in rows)
    return text.getvalue().encode("utf-8-sig")


def _csv_value(value: Cell) -> str:
    if isinstance(value, Amount):
        if value.value is None:
            return ""
        if value.kind == SHARE:
            return _number(round(value.value, 4))
        return _number(value.value)
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return neutralised(value)
    return _number(value)


def _number(value: float) -> str:
    """A number as programs read it: 12, 0.4615, 14.5 (never 12.0 or -0)."""
    return str(int(value)) if value == int(value) else repr(value)


def _dictionary_rows() -> Iterator[Row]:
    for table in (*defined.TABLES, _DICTIONARY):
        for column in table.columns:
            meaning = str(column.meaning)
            yield f"{table.name}.csv", column.name, column.title, meaning


def _readme(report: AccountabilityReport, counts: dict[str, int]) -> str:
    """What the files cover, how they are written, and what each figure counts."""
    about = [
        f"{name}: " + " \u2013 ".join(_csv_value(v) for v in values if v)
        for name, *values in _about(report)
    ]
    files = [
        f"  {t.name}.csv: {t.meaning} ({counts[t.name]} {defined.ROWS})"
        for t in (*defined.TABLES, _DICTIONARY)
    ]
    notes = (defined.AS_OF, defined.VALUES, defined.CSV_NOTE)
    lines = [str(wording.TITLE), "", *about, "", f"{defined.FILES}:", *files, ""]
    lines += [textwrap.fill(str(note), 78) + "\n" for note in notes]
    lines += [f"{defined.DEFINITIONS_HEADING}:"]
    lines += [f"  {n} ({figure_name(n)}): {DEFINITIONS[n]}" for n in FIGURE_NAMES]
    return "\n".join(lines) + "\n"
