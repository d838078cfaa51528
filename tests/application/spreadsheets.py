"""Spreadsheets of cases as secretaries keep them, built for tests."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

import openpyxl
import pytest

from tracker.application import CaseTracker
from tracker.import_columns import ImportRefused
from tracker.import_sheet import CaseSheet, read_sheet
from tracker.importing import ImportReport

HEADER: tuple[str, ...] = (
    "municipality",
    "title",
    "description",
    "category",
    "communities",
    "raised_on",
    "location",
    "language",
)


def row(**overrides: Any) -> dict[str, Any]:
    """A plausible row of a Graçanicë forum's spreadsheet; override any cell."""
    cells: dict[str, Any] = {
        "municipality": "GRA",
        "title": "Street lights out in Laplje Selo",
        "description": "The main street has been dark since October.",
        "category": "infrastructure",
        "communities": "serb; albanian",
        "raised_on": "21.11.2025",
        "location": "Laplje Selo",
        "language": "en",
    }
    cells.update(overrides)
    return cells


def numbered_rows(count: int, **overrides: Any) -> list[dict[str, Any]]:
    """`count` different rows (their titles are numbered)."""
    return [row(title=f"Issue number {n}", **overrides) for n in range(1, count + 1)]


def csv_file(
    rows: Iterable[dict[str, Any]],
    *,
    header: Sequence[str] = HEADER,
    delimiter: str = ",",
    encoding: str = "utf-8",
) -> bytes:
    """A CSV file of the rows under the header."""
    text = io.StringIO(newline="")
    writer = csv.writer(text, delimiter=delimiter)
    writer.writerow(header)
    for cells in rows:
        writer.writerow(cells.get(column, "") for column in header)
    return text.getvalue().encode(encoding)


def xlsx_file(
    rows: Iterable[dict[str, Any]],
    *,
    header: Sequence[str] = HEADER,
    sheet_title: str = "cases",
    first_row: int = 1,
) -> bytes:
    """An XLSX workbook whose sheet holds the rows under the header."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    for _ in range(first_row - 1):
        sheet.append([])
    sheet.append(list(header))
    for cells in rows:
        sheet.append([cells.get(column) for column in header])
    content = io.BytesIO()
    workbook.save(content)
    return content.getvalue()


def sheet_of(
    content: bytes, filename: str = "cases.csv", encoding: str | None = None
) -> CaseSheet:
    """The file read as the importer reads it."""
    return read_sheet(content, filename=filename, encoding=encoding)


def imported(
    tracker: CaseTracker,
    content: bytes,
    filename: str = "cases.csv",
    *,
    encoding: str | None = None,
    dry_run: bool = False,
) -> ImportReport:
    """Import a file by a secretary."""
    return tracker.import_cases(
        sheet_of(content, filename, encoding), actor="secretary", dry_run=dry_run
    )


def import_problems(
    tracker: CaseTracker, content: bytes, filename: str = "cases.csv"
) -> list[str]:
    """The problems an import of the file reports, one line each."""
    with pytest.raises(ImportRefused) as refused:
        imported(tracker, content, filename)
    return [str(problem) for problem in refused.value.problems]
