"""Templates of an import file: the header and one example row.

The CSV is UTF-8 with a byte order mark, so that Excel shows ë, č and
Cyrillic correctly when it opens it. The XLSX has the same first sheet,
"cases", with the day as a real date cell, and a second, "help", that
explains each column and lists the codes the columns accept.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from domain.reference import CATEGORIES, COMMUNITIES, LANGUAGES, MUNICIPALITIES
from tracker.import_columns import COLUMN_NAMES, COLUMNS
from tracker.import_rows import EXAMPLE_VALUES
from tracker.import_workbook import CASES_SHEET

HELP_SHEET = "help"
DATE_FORMAT = "DD.MM.YYYY"


def template_csv() -> bytes:
    """A CSV file with the import columns and one example row."""
    text = io.StringIO(newline="")
    writer = csv.writer(text)
    writer.writerow(COLUMN_NAMES)
    writer.writerow(column.example for column in COLUMNS)
    return text.getvalue().encode("utf-8-sig")


def template_xlsx() -> bytes:
    """An XLSX workbook: a "cases" sheet to fill in, and a "help" sheet."""
    import openpyxl  # only a process that writes a template loads it

    workbook = openpyxl.Workbook()
    cases = workbook.active
    cases.title = CASES_SHEET
    cases.append(COLUMN_NAMES)
    cases.append([example_cell(column.name) for column in COLUMNS])
    cases.cell(2, COLUMN_NAMES.index("raised_on") + 1).number_format = DATE_FORMAT
    style_header(cases)
    help_sheet(workbook.create_sheet(HELP_SHEET))
    content = io.BytesIO()
    workbook.save(content)
    return content.getvalue()


def example_cell(column: str) -> Any:
    """The example value of a column, a real date for the day it was raised."""
    if column == "raised_on":
        return EXAMPLE_VALUES[column]
    return next(c.example for c in COLUMNS if c.name == column)


def help_sheet(sheet: Any) -> None:
    """Each column explained, then every code the columns accept."""
    sheet.append(("column", "required", "meaning", "example"))
    for column in COLUMNS:
        sheet.append(
            (column.name, "yes" if column.required else "no", column.meaning,
             column.example)
        )  # fmt: skip
    code_list(sheet, "category", ((c,) for c in CATEGORIES))
    code_list(sheet, "communities", ((c,) for c in COMMUNITIES))
    code_list(sheet, "language", ((code,) for code in LANGUAGES))
    code_list(
        sheet,
        "municipality: code, Albanian, Serbian (Latin), Serbian (Cyrillic), English",
        (m.names for m in MUNICIPALITIES),
    )
    style_header(sheet)
    for letter, width in zip("ABCD", (22, 22, 90, 40), strict=True):
        sheet.column_dimensions[letter].width = width


def code_list(sheet: Any, heading: str, rows: Iterable[Sequence[str]]) -> None:
    """A blank row, a bold heading, then the codes."""
    sheet.append(())
    sheet.append((f"Codes for {heading}",))
    sheet.cell(sheet.max_row, 1).font = _bold()
    for row in rows:
        sheet.append(tuple(row))


def style_header(sheet: Any) -> None:
    """The header row in bold, its columns wide enough to read."""
    from openpyxl.utils import get_column_letter

    for cell in sheet[1]:
        cell.font = _bold()
        letter = get_column_letter(cell.column)
        sheet.column_dimensions[letter].width = max(14, len(str(cell.value)) + 4)


def _bold() -> Any:
    """openpyxl's bold font (loaded with the first workbook written)."""
    from openpyxl.styles import Font

    return Font(bold=True)
