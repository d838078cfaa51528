"""Reading the cases sheet of an XLSX workbook, within limits a crafted file keeps to.

A workbook is a zip file of XML; a few kilobytes of it can declare a
million rows, skip to row 50,000,000, or unpack to gigabytes, and openpyxl
would pad, parse and hold all of it. The limits are checked before openpyxl
reads, or as its rows come; a damaged workbook, whenever openpyxl finds the
damage, is refused like a file that is no workbook at all.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from typing import TYPE_CHECKING

from tracker.import_columns import Cell, ImportRefused, refused, text_cell

if TYPE_CHECKING:
    from openpyxl import Workbook

CASES_SHEET = "cases"
# The largest sheet read: far beyond a forum's years of cases.
MAX_ROWS = 100_000
MAX_COLUMNS = 200
# What a workbook may unpack to: a few megabytes of "zip bomb" can unpack to
# gigabytes, which openpyxl would hold in memory for minutes.
MAX_UNPACKED_BYTES = 128 * 2**20


def xlsx_rows(content: bytes, filename: str) -> list[tuple[int, list[Cell]]]:
    """Each row of the "cases" sheet (else the first) with its row number."""
    # Loaded here, not with the module: every process that opens the
    # tracker imports this module, and only an import reads a workbook.
    import openpyxl

    if unpacked_size(content) > MAX_UNPACKED_BYTES:
        raise refused(
            f"{filename} unpacks to more than {MAX_UNPACKED_BYTES // 2**20} MB: "
            "split it, or save it again as .xlsx or CSV"
        )
    try:
        workbook = openpyxl.load_workbook(
            io.BytesIO(content), read_only=True, data_only=True
        )
        try:
            return sheet_rows(workbook, filename)
        finally:
            workbook.close()
    except ImportRefused:
        raise
    # openpyxl raises many kinds of error on a damaged or foreign zip file,
    # some only when a damaged sheet is read, row by row.
    except Exception:
        raise refused(
            f"{filename} is not an Excel workbook (.xlsx): save it as .xlsx or CSV"
        ) from None


def sheet_rows(workbook: Workbook, filename: str) -> list[tuple[int, list[Cell]]]:
    """The rows of the workbook's "cases" sheet (else its first), within the limits.

    A few kilobytes can declare a million rows by 16,384 columns, or skip
    to row 50,000,000, which openpyxl would pad out row by row: the declared
    size is checked first, and the rows are counted as they come.
    """
    sheet = next(
        (s for s in workbook.worksheets if s.title.casefold() == CASES_SHEET),
        workbook.worksheets[0],
    )
    too_large = refused(
        f"{filename} declares more than {MAX_ROWS:,} rows or {MAX_COLUMNS} "
        "columns: split it, or delete the empty ones"
    )
    if (sheet.max_row or 0) > MAX_ROWS or (sheet.max_column or 0) > MAX_COLUMNS:
        raise too_large
    rows: list[tuple[int, list[Cell]]] = []
    for line, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        if line > MAX_ROWS or len(values) > MAX_COLUMNS:
            raise too_large
        rows.append((line, [xlsx_cell(value) for value in values]))
    return rows


def unpacked_size(content: bytes) -> int:
    """What a zip file's members add up to, unpacked (0 if it is no zip file).

    The sizes are those the zip file declares; Python's zipfile unpacks no
    member past its declared size, so they bound what openpyxl can unpack.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        return 0


def xlsx_cell(value: object) -> Cell:
    """A spreadsheet value as a cell: dates stay dates, the rest becomes text."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return text_cell(str(value))
