"""Opening an export again, as its readers would: zipfile + csv, openpyxl, json."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from typing import Any

import openpyxl

# Each table of an export file: its column names and its rows, by column.
Opened = dict[str, tuple[list[str], list[dict[str, Any]]]]


def opened(file_format: str, content: bytes) -> Opened:
    """Every table of an export file, read back with the standard readers."""
    return {"csv": _from_zip, "xlsx": _from_workbook, "json": _from_json}[file_format](
        content
    )


def _from_zip(content: bytes) -> Opened:
    tables: Opened = {}
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if name.endswith(".csv"):
                raw = archive.read(name)
                assert raw.startswith(b"\xef\xbb\xbf"), f"{name} has no BOM"
                reader = csv.DictReader(io.StringIO(raw.decode("utf-8-sig")))
                rows = list(reader)
                tables[name.removesuffix(".csv")] = (
                    list(reader.fieldnames or []),
                    rows,
                )
    return tables


def _from_workbook(content: bytes) -> Opened:
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    tables: Opened = {}
    for sheet in workbook.worksheets:
        header, *rows = list(sheet.iter_rows(values_only=True))
        names = [str(name) for name in header]
        tables[sheet.title] = (
            names,
            [dict(zip(names, row, strict=True)) for row in rows],
        )
    return tables


def _from_json(content: bytes) -> Opened:
    document = json.loads(content)
    return {
        name: (list(rows[0]) if rows else [], rows)
        for name, rows in document.items()
        if isinstance(rows, list) and name != "municipalities"
    }


def every_text(file_format: str, content: bytes) -> str:
    """All the text a file holds, unpacked (a ZIP's or a workbook's members)."""
    if file_format == "json":
        return content.decode("utf-8")
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return "\n".join(
            archive.read(name).decode("utf-8-sig") for name in archive.namelist()
        )
