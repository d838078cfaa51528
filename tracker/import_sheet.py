"""Reading a spreadsheet of cases: a CSV file in a common encoding, or XLSX.

Either way the result is the same: the rows under the header, each with its
line (the CSV line, or the spreadsheet's row number) and its cells by the
column names of `COLUMNS`. Blank rows are skipped. A file that cannot be read
at all — not CSV or XLSX, an undecodable byte, required columns missing — is
refused with `ImportRefused`; a row that is read but holds a value under no
header is kept as a problem, so that every problem in the file is reported.
"""

from __future__ import annotations

import codecs
import csv
import io
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import PurePath

from tracker.import_columns import (
    COLUMN_NAMES,
    REQUIRED_COLUMNS,
    ImportRefused,
    RowProblem,
    column_name,
    refused,
)

# A cell as read: text (trimmed), or a real date from a spreadsheet's date cell.
Cell = str | date

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
CASES_SHEET = "cases"


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


# The largest sheet read: far beyond a forum's years of cases.
MAX_ROWS = 100_000
MAX_COLUMNS = 200


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
    from openpyxl.utils.cell import get_column_letter  # see `xlsx_rows`

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


def text_cell(value: str) -> str:
    """A text cell trimmed, in one Unicode form (ë typed one way or another)."""
    return unicodedata.normalize("NFC", value.strip())


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


# -- XLSX ------------------------------------------------------------------


def xlsx_rows(content: bytes, filename: str) -> list[tuple[int, list[Cell]]]:
    """Each row of the "cases" sheet (else the first) with its row number."""
    # Loaded here, not with the module: every process that opens the
    # tracker imports this module, and only an import reads a workbook.
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(
            io.BytesIO(content), read_only=True, data_only=True
        )
    # openpyxl raises many kinds of error on a damaged or foreign zip file.
    except Exception:
        raise refused(
            f"{filename} is not an Excel workbook (.xlsx): save it as .xlsx or CSV"
        ) from None
    try:
        sheet = next(
            (s for s in workbook.worksheets if s.title.casefold() == CASES_SHEET),
            workbook.worksheets[0],
        )
        # A few kilobytes can declare a million rows by 16,384 columns, which
        # openpyxl would pad out in memory: the declared size is checked first.
        if (sheet.max_row or 0) > MAX_ROWS or (sheet.max_column or 0) > MAX_COLUMNS:
            raise refused(
                f"{filename} declares more than {MAX_ROWS:,} rows or "
                f"{MAX_COLUMNS} columns: split it, or delete the empty ones"
            )
        return [
            (line, [xlsx_cell(value) for value in values])
            for line, values in enumerate(
                sheet.iter_rows(min_row=1, values_only=True), start=1
            )
        ]
    finally:
        workbook.close()


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
