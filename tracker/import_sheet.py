"""Reading a spreadsheet of cases: a CSV file in a common encoding, or XLSX.

Either way the result is the same: the rows under the header, each with its
line (the CSV line, or the spreadsheet's row number) and its cells by the
column names of `COLUMNS`. Blank rows are skipped. A file that cannot be read
at all — not CSV or XLSX, an undecodable byte, required columns missing — is
refused with `ImportRefused`; a row that is read but holds a value under no
header is kept as a problem, so that every problem in the file is reported.
A workbook's own reading, within its limits, is `tracker.import_workbook`'s.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePath

from tracker.import_columns import (
    COLUMN_NAMES,
    REQUIRED_COLUMNS,
    Cell,
    ImportRefused,
    RowProblem,
    column_name,
    refused,
    text_cell,
)
from tracker.import_workbook import xlsx_rows

CSV_SUFFIXES = (".csv", ".txt", ".tsv", "")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
ZIP_MAGIC = b"PK\x03\x04"
OLD_EXCEL_MAGIC = b"\xd0\xcf\x11\xe0"
DELIMITERS = (",", ";", "\t")
BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
ENCODING_HINT = (
    "save it as CSV UTF-8, or name its encoding: --encoding cp1250 (Albanian, "
    "Serbian Latin) or --encoding cp1251 (Serbian Cyrillic)"
)


@dataclass(frozen=True)
class SheetRow:
    """A non-blank row under the header: its line and its cells by column."""

    line: int
    cells: Mapping[str, Cell]


@dataclass(frozen=True)
class CaseSheet:
    """An import file's rows, the columns it ignored, the rows it could not lay out."""

    rows: tuple[SheetRow, ...]
    ignored_columns: tuple[str, ...] = ()
    problems: tuple[RowProblem, ...] = ()


def read_sheet(
    content: bytes, *, filename: str, encoding: str | None = None
) -> CaseSheet:
    """Read an import file (CSV or XLSX, by its content and name)."""
    suffix = PurePath(filename).suffix.lower()
    if content.startswith(ZIP_MAGIC) or suffix in XLSX_SUFFIXES:
        return laid_out(xlsx_rows(content, filename))
    if content.startswith(OLD_EXCEL_MAGIC):
        raise refused(f"{filename} is an old Excel .xls workbook: save it as .xlsx")
    if suffix in CSV_SUFFIXES:
        return laid_out(csv_rows(content, encoding))
    raise refused(
        f"{filename} is neither CSV (.csv) nor Excel (.xlsx): save it as one of them"
    )


# -- laying rows out by the header -----------------------------------------


def laid_out(rows: Iterable[tuple[int, Sequence[Cell]]]) -> CaseSheet:
    """Find the header (the first non-blank row) and lay the rows under it out."""
    filled = ((line, cells) for line, cells in rows if not is_blank(cells))
    try:
        header_line, header = next(filled)
    except StopIteration:
        raise refused(
            "the file is empty: its first row names the columns "
            f"({', '.join(COLUMN_NAMES)})"
        ) from None
    names = header_names(header, header_line)
    sheet_rows, problems = [], []
    for line, cells in filled:
        sheet_rows.append(SheetRow(line, row_cells(cells, names)))
        problems.extend(values_without_header(line, cells, header))
    ignored = (str(c) for c, name in zip(header, names, strict=True) if c and not name)
    return CaseSheet(tuple(sheet_rows), tuple(ignored), tuple(problems))


def header_names(header: Sequence[Cell], line: int) -> list[str]:
    """The layout's column name under each header cell ("" where none)."""
    found = [column_name(str(cell)) for cell in header]
    problems = [
        RowProblem(line, name, "the column appears twice")
        for name in COLUMN_NAMES
        if found.count(name) > 1
    ]
    missing = [name for name in REQUIRED_COLUMNS if name not in found]
    if missing:
        problems.append(
            RowProblem(
                line,
                None,
                f"required columns missing: {', '.join(missing)} "
                f"(the header row has: {', '.join(str(c) for c in header if c)})",
            )
        )
    if problems:
        raise ImportRefused(problems=problems)
    return [name if name in COLUMN_NAMES else "" for name in found]


def row_cells(cells: Sequence[Cell], names: Sequence[str]) -> dict[str, Cell]:
    """A row's cells by column name; a column the row stops short of is empty."""
    by_column: dict[str, Cell] = dict.fromkeys(COLUMN_NAMES, "")
    by_column.update(
        (name, cell) for name, cell in zip(names, cells, strict=False) if name
    )
    return by_column


def values_without_header(
    line: int, cells: Sequence[Cell], header: Sequence[Cell]
) -> list[RowProblem]:
    """A problem if the row holds values where the header row is empty."""
    # Loaded here, as in `xlsx_rows`: only an import needs openpyxl.
    from openpyxl.utils.cell import get_column_letter

    stray = [
        get_column_letter(i + 1)
        for i, cell in enumerate(cells)
        if cell and (i >= len(header) or not header[i])
    ]
    if not stray:
        return []
    return [
        RowProblem(
            line,
            None,
            f"values in column {', '.join(stray)}, which has no name in the "
            "header row (for CSV: is a delimiter inside a text without quotes?)",
        )
    ]


def is_blank(cells: Sequence[Cell]) -> bool:
    """Whether a row holds nothing but empty cells."""
    return not any(cells)


# -- CSV -------------------------------------------------------------------


def csv_rows(content: bytes, encoding: str | None) -> Iterator[tuple[int, list[Cell]]]:
    """Each CSV record with the line it starts on."""
    text = decoded(content, encoding)
    if "\x00" in text:
        raise refused("the file holds NUL characters: it is not CSV text")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter(text))
    line = 1
    try:
        for record in reader:
            yield line, [text_cell(cell) for cell in record]
            line = reader.line_num + 1
    except csv.Error as error:
        raise refused(f"not readable as CSV ({error})", line) from None


def decoded(content: bytes, encoding: str | None) -> str:
    """The file's text: UTF-8 (with or without BOM), UTF-16 with BOM, or as told."""
    codec = encoding or next(
        (codec for bom, codec in BYTE_ORDER_MARKS if content.startswith(bom)), "utf-8"
    )
    try:
        if codecs.lookup(codec).name == "utf-8":
            codec = "utf-8-sig"
    except LookupError:
        raise refused(
            f"{encoding!r} is not an encoding (try cp1250 or cp1251)"
        ) from None
    try:
        return content.decode(codec)
    except UnicodeDecodeError as error:
        line = content.count(b"\n", 0, error.start) + 1
        hint = ENCODING_HINT if encoding is None else "is it in another encoding?"
        raise refused(
            f"byte 0x{content[error.start]:02X} is not {encoding or 'UTF-8'} text; "
            f"{hint}",
            line,
        ) from None


def delimiter(text: str) -> str:
    """The delimiter the header line uses most: comma, semicolon or tab."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    return max(DELIMITERS, key=header.count)
