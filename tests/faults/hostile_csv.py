"""Spreadsheets of cases as CSV files: any delimiter, line ending and encoding.

The rows of `hostile_spreadsheets` under their header, written as Python's
csv module writes them (every cell with a line break quoted), with blank
lines between some and each record ending as it likes (CRLF, LF, CR), in
UTF-8 (with or without its byte order mark), UTF-16, UTF-32, cp1250 or
cp1251 (the encoding told to the importer, or not). Now and then a NUL or
another control character is put into the text, or bytes that are not UTF-8
into the file. What the importer must do follows from what it reads, by its
documented rule (`as_the_reader_decodes`).
"""

from __future__ import annotations

import codecs
import csv
import io
import re

from hypothesis import strategies as st

from tests.faults.hostile_headers import Header, header
from tests.faults.hostile_spreadsheets import (
    Expected,
    Row,
    Spreadsheet,
    written_cell,
)
from tests.faults.hostile_text import CONTROL_CHARACTERS, INVALID_UTF8

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# Python's csv module reads no field longer than this.
CSV_FIELD_LIMIT = 131_072
ENCODINGS = ("utf-8",) * 6 + (
    "utf-8-sig",
    "utf-16",
    "cp1250",
    "cp1251",
    "latin-1",
    "utf-32",
)
TERMINATORS = ("\r\n", "\n", "\r")


def as_the_reader_decodes(content: bytes, told: str | None) -> str | None:
    """The text the importer reads (its documented rule), or None if it cannot."""
    marks = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
             (codecs.BOM_UTF16_BE, "utf-16"))  # fmt: skip
    codec = told or next((c for bom, c in marks if content.startswith(bom)), "utf-8")
    if codecs.lookup(codec).name == "utf-8":
        codec = "utf-8-sig"
    try:
        return content.decode(codec)
    except UnicodeDecodeError:
        return None


@st.composite
def csv_file(draw: st.DrawFn, rows: list[Row]) -> Spreadsheet:
    """The rows as CSV: any delimiter, line endings, encoding; maybe damaged."""
    written_header = draw(header())
    rows = written_header.rows_as_read(rows)
    text, lines = _csv_text(draw, written_header, rows)
    text, damage = draw(_damaged_text(text))
    codec = draw(st.sampled_from(ENCODINGS))
    try:
        content = text.encode(codec)
    except UnicodeEncodeError:
        codec, content = "utf-8", text.encode("utf-8")
    told = codec if codec.startswith("cp") and draw(st.integers(0, 3)) < 3 else None
    content, byte_damage = draw(_damaged_bytes(content))
    read = as_the_reader_decodes(content, told)
    expected = _csv_expected(read, text, damage or byte_damage, rows)
    if written_header.wrong and expected.refused_whole is None:
        expected = Expected(refused_whole=written_header.wrong)
    by_line = tuple(zip(lines, rows, strict=True))
    return Spreadsheet(content, "cases.csv", told, by_line, expected)


def _csv_text(
    draw: st.DrawFn, written_header: Header, rows: list[Row]
) -> tuple[str, list[int]]:
    """The CSV text and the line each row starts on (blank lines between some)."""
    sep = draw(st.sampled_from((",", ";", "\t")))
    ends = st.sampled_from(TERMINATORS)
    text, lines = _record(written_header.spelt, sep, draw(ends)), []
    for row in rows:
        if draw(st.integers(0, 4)) == 4:
            text += draw(ends)
        lines.append(len(_LINE_BREAK.findall(text)) + 1)
        cells = [written_cell(row.cells.get(c)) for c in written_header.columns]
        text += _record(cells, sep, draw(ends))
    return text, lines


def _record(cells: list[str], delimiter: str, terminator: str) -> str:
    # The writer quotes a cell holding its own line ending's characters only:
    # it writes "\r\n" (so CR and LF are both quoted), then the ending drawn.
    written = io.StringIO(newline="")
    csv.writer(written, delimiter=delimiter, lineterminator="\r\n").writerow(cells)
    return written.getvalue().removesuffix("\r\n") + terminator


@st.composite
def _damaged_text(draw: st.DrawFn, text: str) -> tuple[str, str | None]:
    """The text, or with a NUL or another control character put in somewhere."""
    # Hypothesis starts from the smallest draws: those leave the text alone.
    how = draw(st.integers(0, 19))
    if how < 18:
        return text, None
    at = draw(st.integers(0, len(text)))
    inserted = "\x00" if how == 18 else draw(st.sampled_from(CONTROL_CHARACTERS))
    return text[:at] + inserted + text[at:], "control"


@st.composite
def _damaged_bytes(draw: st.DrawFn, content: bytes) -> tuple[bytes, str | None]:
    """The bytes, or with bytes that are not UTF-8 put in somewhere."""
    if draw(st.integers(0, 19)) < 19:
        return content, None
    at = draw(st.integers(0, len(content)))
    return content[:at] + draw(st.sampled_from(INVALID_UTF8)) + content[at:], "bytes"


def _csv_expected(
    read: str | None, text: str, damage: str | None, rows: list[Row]
) -> Expected:
    if read is None:
        return Expected(refused_whole="undecodable")
    if "\x00" in read:
        return Expected(refused_whole="NUL")
    huge = any(
        len(str(v)) > CSV_FIELD_LIMIT for row in rows for v in row.cells.values()
    )
    exact = read.lstrip("\ufeff") == text and damage is None
    return Expected(exact=exact, every_line_named=not huge)
