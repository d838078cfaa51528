"""Writing an export's tables as a ZIP of CSV files, a workbook, or JSON.

Every writer takes the tables one after the other, with their rows as an
iterator, and writes each row as it comes: only the finished file is held.

A text cell that a spreadsheet would run as a formula (it starts with
``= + - @``, a tab or a carriage return) is written after an apostrophe in
CSV and XLSX, so opening the file runs nothing; JSON is read by programs
and keeps every text verbatim.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from openpyxl import Workbook

from projections.export_dictionary import DICTIONARY, Row, Table, Value, dictionary_rows

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 cannot hold: control characters (openpyxl refuses them
# in a cell) and U+FFFE, U+FFFF (openpyxl writes them, and no spreadsheet,
# openpyxl included, can open the workbook after).
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

Tables = Iterable[tuple[Table, Iterator[Row]]]


@dataclass(frozen=True)
class About:
    """What an export covers: when it was made, as of which day, where."""

    exported_at: datetime
    as_of: date
    municipalities: tuple[str, ...]


def cell_text(text: str) -> str:
    """Text as a workbook cell holds it: no character XML cannot hold (control
    characters but tab, newline and carriage return; U+FFFE, U+FFFF), and
    never run as a formula."""
    return neutralised(XML_ILLEGAL.sub("", text))


def neutralised(text: str) -> str:
    """Text a spreadsheet shows as written, never runs as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


# -- CSV (in a ZIP) -----------------------------------------------------------


def write_csv_zip(about: About, tables: Tables) -> bytes:
    """A ZIP: one CSV per table, dictionary.csv and README.txt."""
    buffer = io.BytesIO()
    counts: dict[str, int] = {}
    with zipfile.ZipFile(buffer, "w") as archive:
        for table, rows in tables:
            member = zip_member(archive, f"{table.name}.csv", about)
            counts[table.name] = write_csv_table(member, table, rows)
        write_csv_table(
            zip_member(archive, "dictionary.csv", about), DICTIONARY, dictionary_rows()
        )
        with zip_member(archive, "README.txt", about) as readme:
            readme.write(_readme(about, counts).encode("utf-8"))
    return buffer.getvalue()


def zip_member(archive: zipfile.ZipFile, name: str, about: About) -> IO[bytes]:
    """A new file in the archive, compressed, dated when the export was made."""
    at = about.exported_at
    info = zipfile.ZipInfo(
        name, date_time=(at.year, at.month, at.day, at.hour, at.minute, at.second)
    )
    info.compress_type = zipfile.ZIP_DEFLATED
    return archive.open(info, "w")


def write_csv_table(raw: IO[bytes], table: Table, rows: Iterator[Row]) -> int:
    """Write a table as UTF-8 CSV with a BOM (Excel then reads ë, ç, ш); rows."""
    count = 0
    with io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as text:
        writer = csv.writer(text)
        writer.writerow(table.names)
        for row in rows:
            writer.writerow([csv_cell(value) for value in row])
            count += 1
    return count


def csv_cell(value: Value) -> str:
    """A value as a CSV cell: ISO dates, true/false, codes space-separated."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return " ".join(value)
    if isinstance(value, str):
        return neutralised(value)
    return str(value)


def _readme(about: About, counts: dict[str, int]) -> str:
    where = " ".join(about.municipalities)
    tables = "\n".join(f"  {name}.csv: {count} rows" for name, count in counts.items())
    return (
        "CFPI case tracker: export\n\n"
        f"Exported at: {about.exported_at.isoformat()}\n"
        f"Deadline states as of: {about.as_of.isoformat()}\n"
        f"Municipalities: {where}\n\n"
        f"Tables:\n{tables}\n"
        "  dictionary.csv: every column of every table, its type and meaning\n\n"
        "Files are CSV in UTF-8 with a byte-order mark, comma-separated.\n"
        "Dates are YYYY-MM-DD, moments ISO 8601 in UTC, booleans true/false;\n"
        "several codes in one cell are separated by spaces; an empty cell has\n"
        "no value. A text that begins with = + - @, a tab or a carriage return\n"
        "is written after an apostrophe: a spreadsheet does not run it.\n"
        "Names and contacts of the people who raised cases are not exported.\n"
    )


# -- XLSX ---------------------------------------------------------------------


def write_xlsx(about: About, tables: Tables) -> bytes:
    """A workbook: one sheet per table, then a "dictionary" sheet."""
    from openpyxl import Workbook  # only a process that writes one loads it

    workbook = Workbook(write_only=True)
    for table, rows in tables:
        _write_sheet(workbook, table, rows)
    _write_sheet(workbook, DICTIONARY, dictionary_rows())
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write_sheet(workbook: Workbook, table: Table, rows: Iterator[Row]) -> None:
    """A sheet with a bold, frozen header row; rows streamed to it."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    sheet = workbook.create_sheet(table.name)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for name in table.names:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows:
        sheet.append([_xlsx_cell(value) for value in row])


def _xlsx_cell(value: Value) -> object:
    if isinstance(value, datetime):
        # Excel has no time zones: moments are written in UTC.
        return value.astimezone(UTC).replace(tzinfo=None)
    if isinstance(value, tuple):
        return " ".join(value)
    if isinstance(value, str):
        return cell_text(value)
    return value


# -- JSON ---------------------------------------------------------------------


def write_json(about: About, tables: Tables) -> bytes:
    """One JSON document: what it covers, the dictionary, then every table."""
    buffer = io.BytesIO()
    with io.TextIOWrapper(buffer, encoding="utf-8", newline="\n") as text:
        head = {
            "exported_at": about.exported_at.isoformat(),
            "as_of": about.as_of.isoformat(),
            "municipalities": list(about.municipalities),
        }
        text.write("{")
        separator = "\n"
        for key, value in head.items():
            text.write(f"{separator}{json.dumps(key)}: {json.dumps(value)}")
            separator = ",\n"
        _write_json_table(text, DICTIONARY, dictionary_rows())
        for table, rows in tables:
            _write_json_table(text, table, rows)
        text.write("\n}\n")
        text.flush()
        return buffer.getvalue()


def _write_json_table(text: IO[str], table: Table, rows: Iterator[Row]) -> None:
    """``"name": [ {row}, ... ]``, one row a line, after the document so far."""
    text.write(f',\n"{table.name}": [')
    separator = "\n"
    for row in rows:
        fields = {
            name: json_value(value)
            for name, value in zip(table.names, row, strict=True)
        }
        text.write(separator + json.dumps(fields, ensure_ascii=False))
        separator = ",\n"
    text.write("\n]")


def json_value(value: Value) -> object:
    """A value as JSON has it: ISO dates, lists of codes, the rest as is."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value
