"""Reading the tracker's downloads as a spreadsheet or a program would.

A CSV file is read cell by cell as a spreadsheet opens it; a workbook with
openpyxl, which tells a formula cell (data type ``f``) from text (``s``);
JSON with `json`. `runs_as_formula` is what a spreadsheet would run.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Iterator
from typing import Any

import openpyxl

from tests.faults.hostile_text import FORMULA_TRIGGERS

# The characters XML 1.0 cannot hold: a workbook's cell leaves them out.
NOT_IN_A_WORKBOOK = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?(e-?\d+)?$")


def runs_as_formula(cell: str) -> bool:
    """Whether a spreadsheet opening a CSV cell would run it (not a number)."""
    return cell.startswith(FORMULA_TRIGGERS) and not _NUMBER.match(cell)


def as_csv_shows(text: str) -> str:
    """How a CSV download must show a text: after an apostrophe if it could run."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def as_workbook_shows(text: str) -> str:
    """How a workbook must show a text: without what XML cannot hold, then as CSV.

    XML reads every line ending as a line feed: a carriage return comes back so.
    """
    kept = NOT_IN_A_WORKBOOK.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
    return as_csv_shows(kept)


def csv_tables(archive: bytes) -> dict[str, list[dict[str, str]]]:
    """Every CSV file of a ZIP, as rows keyed by their header."""
    tables = {}
    with zipfile.ZipFile(io.BytesIO(archive)) as files:
        for name in files.namelist():
            if name.endswith(".csv"):
                text = files.read(name).decode("utf-8-sig")
                rows = csv.DictReader(io.StringIO(text, newline=""))
                tables[name.removesuffix(".csv")] = list(rows)
    return tables


def json_tables(archive: bytes) -> dict[str, Any]:
    """Every JSON file of a ZIP, by name."""
    with zipfile.ZipFile(io.BytesIO(archive)) as files:
        return {
            name.removesuffix(".json"): json.loads(files.read(name))
            for name in files.namelist()
            if name.endswith(".json")
        }


def workbook_sheets(content: bytes) -> dict[str, list[list[Any]]]:
    """Every sheet of a workbook as rows of cells (openpyxl's, with data types)."""
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    try:
        return {
            sheet.title: [list(row) for row in sheet.iter_rows()] for sheet in workbook
        }
    finally:
        workbook.close()


def formula_cells(sheets: dict[str, list[list[Any]]]) -> Iterator[str]:
    """Where a workbook holds a formula (a cell of data type ``f``)."""
    for title, rows in sheets.items():
        for row in rows:
            for cell in row:
                if cell.data_type == "f":
                    yield f"{title}!{cell.coordinate}: {cell.value!r:.80}"


def sheet_rows(rows: list[list[Any]]) -> list[dict[str, Any]]:
    """A sheet's rows as cells keyed by the header row's values."""
    header = [cell.value for cell in rows[0]]
    return [dict(zip(header, row, strict=False)) for row in rows[1:]]
