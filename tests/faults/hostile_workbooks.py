"""Workbooks of cases (XLSX), generated, damaged, and one that unpacks to too much.

The rows of `hostile_spreadsheets` go into a workbook's "cases" sheet (not
always its first, the header not always on row 1, blank rows between):
text cells stay text even when they start with "=", date cells are dates,
and formula cells are formulas with no value saved. A damaged workbook is
cut short, garbled after its zip signature, has no sheet, skips to row
50,000,000 without declaring its size, or has one of its parts replaced.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import replace
from functools import cache
from typing import Any

import openpyxl
from hypothesis import strategies as st

from tests.faults.hostile_headers import Header, header
from tests.faults.hostile_spreadsheets import (
    Expected,
    Row,
    Spreadsheet,
)


@st.composite
def xlsx_file(draw: st.DrawFn, rows: list[Row]) -> Spreadsheet:
    """The rows in a workbook's "cases" sheet (not always its first)."""
    written_header = draw(header())
    rows = written_header.rows_as_read(rows)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    if draw(st.booleans()):
        sheet.title = "Read me"
        sheet["A1"] = "Not the cases"
        sheet = workbook.create_sheet()
    sheet.title = draw(st.sampled_from(("cases", "Cases", "CASES")))
    line = draw(st.integers(1, 3))
    named = dict(zip(written_header.columns, written_header.spelt, strict=True))
    _write_row(sheet, line, named, written_header)
    lines = []
    for row in rows:
        line += 1 + (draw(st.integers(0, 4)) == 4)
        _write_row(sheet, line, row.cells, written_header, row.formulas)
        lines.append(line)
    content = io.BytesIO()
    workbook.save(content)
    expected = Expected(refused_whole=written_header.wrong)
    by_line = tuple(zip(lines, rows, strict=True))
    return Spreadsheet(content.getvalue(), "cases.xlsx", None, by_line, expected)


def _write_row(
    sheet: Any,
    line: int,
    cells: dict[str, Any],
    written_header: Header,
    formulas: frozenset[str] = frozenset(),
) -> None:
    for number, column in enumerate(written_header.columns, start=1):
        value = cells.get(column)
        cell = sheet.cell(row=line, column=number, value=value)
        if isinstance(value, str) and column not in formulas:
            cell.data_type = "s"  # text, even when it starts with "="


DAMAGES = ("part", "part", "part", "cut", "garbage", "no sheet", "far row")


@st.composite
def damaged_workbook(draw: st.DrawFn, good: Spreadsheet) -> Spreadsheet:
    """A workbook cut short, garbled, without a sheet, or with a part damaged."""
    how = draw(st.sampled_from(DAMAGES))
    content = good.content
    if how == "cut":
        damaged = content[: draw(st.integers(0, len(content) - 1))]
    elif how == "garbage":
        damaged = b"PK\x03\x04" + draw(st.binary(max_size=300))
    elif how == "no sheet":
        damaged = zipped({"[Content_Types].xml": b"<Types/>", "x.txt": b"hello"})
    elif how == "far row":
        damaged = zipped(_far_row(unzipped(content)))
    else:
        damaged = draw(_part_damaged(unzipped(content)))
    # A damaged part that openpyxl never reads leaves the rows to decide.
    expected = Expected(refused_whole=how) if how != "part" else Expected(exact=False)
    return replace(good, content=damaged, expected=expected)


@st.composite
def _part_damaged(draw: st.DrawFn, parts: dict[str, bytes]) -> bytes:
    """The workbook with one part cut short, garbled, or its cell addresses bent."""
    # The sheets most often: openpyxl reads them last, row by row.
    sheets = sorted(name for name in parts if name.startswith("xl/worksheets/"))
    name = draw(st.sampled_from(sheets if draw(st.booleans()) else sorted(parts)))
    data = parts[name]
    parts[name] = draw(
        st.one_of(
            st.integers(0, max(0, len(data) - 1)).map(lambda n: data[:n]),
            st.binary(max_size=100),
            st.just(data.replace(b' r="', b' r="$', 1)),
            st.just(data.replace(b"<row ", b'<row r="x" ', 1)),
            st.just(data.replace(b"<c ", b'<c t="d" ', 1)),
        )
    )
    return zipped(parts)


def _far_row(parts: dict[str, bytes]) -> dict[str, bytes]:
    """Every sheet without its declared size, and a cell on row 50,000,000."""
    far = (
        b'<row r="50000000"><c r="A50000000" t="inlineStr"><is><t>far</t></is>'
        b"</c></row></sheetData>"
    )
    return {
        name: re.sub(rb"<dimension [^>]*/>", b"", data).replace(b"</sheetData>", far)
        if name.startswith("xl/worksheets/")
        else data
        for name, data in parts.items()
    }


def unzipped(content: bytes) -> dict[str, bytes]:
    """A zip file's members by name."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def zipped(parts: dict[str, bytes]) -> bytes:
    """Members zipped into a file."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@cache
def zip_bomb(workbook: bytes, megabytes: int) -> bytes:
    """The workbook with its sheet padded by `megabytes` of spaces: a few
    hundred kilobytes that unpack to far more than a forum ever keeps."""
    parts = unzipped(workbook)
    sheet = next(name for name in parts if name.startswith("xl/worksheets/"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            if name != sheet:
                archive.writestr(name, data)
        member = zipfile.ZipInfo(sheet)
        member.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(member, "w", force_zip64=True) as padded:
            cut = parts[sheet].rindex(b"</sheetData>")
            padded.write(parts[sheet][:cut])
            spaces = b" " * 2**20
            for _ in range(megabytes):
                padded.write(spaces)
            padded.write(parts[sheet][cut:])
    return buffer.getvalue()
