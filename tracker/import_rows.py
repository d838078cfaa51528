"""A row of an import file turned into the values a case is submitted with.

Here cells become values: a municipality's name becomes its code, a local
date becomes a date, a list of communities becomes codes. Whether the values
are acceptable is not decided here but by the domain, when the row is
submitted (`CaseRow.submitted`). A cell that cannot be read is a problem of
its line; the example's value stands in for it, so that the domain can still
judge the rest of the row and every problem of the row is reported.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from domain.case import Case
from domain.errors import InvalidValue, UnknownMunicipality
from domain.reference import municipality_named
from tracker.import_columns import COLUMN_NAMES, COLUMNS, Cell, RowProblem
from tracker.import_sheet import SheetRow

ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")
# Day first, as written in Kosovo: 21.11.2025, 21.11.2025., 21/11/2025, 1.2.2025.
LOCAL_DATE = re.compile(r"^(\d{1,2})\s*([./-])\s*(\d{1,2})\s*\2\s*(\d{4})\s*\.?$")
COMMUNITY_SEPARATORS = re.compile(r"[;,]")
SERBIAN_IN_A_SCRIPT = re.compile(r"^sr[-_](latn|cyrl)$")


@dataclass(frozen=True)
class CaseRow:
    """One row of the file, as the values its case is submitted with."""

    line: int
    municipality: str
    title: str
    description: str
    category: str
    communities: tuple[str, ...]
    raised_on: date
    language: str
    location: str
    submitter: dict[str, str] | None

    @property
    def case_id(self) -> UUID:
        """The case's id: the same issue, however often imported, is one case.

        The issue is its municipality, day, title and description; the same
        row in a later, longer copy of the spreadsheet is the same case.
        """
        issue = (self.municipality, self.raised_on.isoformat())
        texts = (" ".join(text.split()) for text in (self.title, self.description))
        identity = "\x1f".join((*issue, *texts))
        return uuid5(NAMESPACE_URL, f"cfpi-tracker:imported-case:{identity}")

    def submitted(self, *, actor: str, reference: str) -> Case:
        """The case this row submits (the domain checks every value)."""
        return Case.submit(
            case_id=self.case_id,
            actor=actor,
            reference=reference,
            municipality_code=self.municipality,
            title=self.title,
            description=self.description,
            category=self.category,
            communities=self.communities,
            raised_on=self.raised_on,
            language=self.language,
            location=self.location,
            submitter=self.submitter,
        )

    def with_example(self, column: str) -> CaseRow:
        """The row with the example's value in that column, to judge the rest."""
        attribute = attribute_of(column)
        return replace(self, **{attribute: getattr(EXAMPLE_ROW, attribute)})


def attribute_of(column: str) -> str:
    """The `CaseRow` attribute a column fills."""
    return "submitter" if column.startswith("submitter") else column


def column_of(field: str | None) -> str | None:
    """The column a domain error's field is about (None if no column is)."""
    if field in ("submitter", "submitter.name"):
        return "submitter_name"
    column = (field or "").replace(".", "_")
    return column if column in COLUMN_NAMES else None


def case_row(row: SheetRow) -> tuple[CaseRow, list[RowProblem]]:
    """The row's values, and the problems of the cells that cannot be read."""
    values: dict[str, Any] = {}
    problems: list[RowProblem] = []
    for column, read in CELL_READERS.items():
        try:
            values[column] = read(row.cells[column])
        except InvalidValue as error:
            problems.append(RowProblem(row.line, column, error.message))
            values[column] = EXAMPLE_VALUES[column]
    name, contact = values.pop("submitter_name"), values.pop("submitter_contact")
    return CaseRow(row.line, submitter=submitter(name, contact), **values), problems


def submitter(name: str, contact: str) -> dict[str, str] | None:
    """Who raised the issue, if the row names anyone (the domain checks it)."""
    given = {"name": name, "contact": contact}
    return {key: value for key, value in given.items() if value} or None


# -- reading cells ------------------------------------------------------------


def text(cell: Cell) -> str:
    """A text cell (a date typed into it reads as 2025-11-21)."""
    return cell.isoformat() if isinstance(cell, date) else cell.strip()


def code(cell: Cell) -> str:
    """A code, however capitalised."""
    return text(cell).casefold()


def community_codes(cell: Cell) -> tuple[str, ...]:
    """Community codes separated by ; or , (checked by the domain)."""
    parts = (code(part) for part in COMMUNITY_SEPARATORS.split(text(cell)))
    return tuple(part for part in parts if part)


def language_code(cell: Cell) -> str:
    """The language of the text; empty means Albanian, Serbian in either script sr."""
    language = code(cell).replace("_", "-")
    return "sr" if SERBIAN_IN_A_SCRIPT.match(language) else language or "sq"


def municipality_code(cell: Cell) -> str:
    """The code of a municipality given by code or by any of its official names."""
    name = text(cell)
    if not name:
        raise InvalidValue("give the municipality's code or name", field="municipality")
    try:
        return municipality_named(name).code
    except UnknownMunicipality:
        raise InvalidValue(
            f'"{name}" is not a municipality: give its code (GRA) or its name '
            "in Albanian, Serbian or English",
            field="municipality",
        ) from None


def raised_on_date(cell: Cell) -> date:
    """A date cell, or a date written 2025-11-21, 21.11.2025(.) or 21/11/2025."""
    if isinstance(cell, date):
        return cell
    written = cell.strip()
    if not written:
        raise InvalidValue("give the day the issue was raised", field="raised_on")
    if iso := ISO_DATE.match(written):
        year, month, day = iso.groups()
    elif local := LOCAL_DATE.match(written):
        day, _, month, year = local.groups()
    else:
        year = month = day = "0"
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise InvalidValue(
            f'"{written}" is not a date (write it 21.11.2025 or 2025-11-21)',
            field="raised_on",
        ) from None


CELL_READERS: Mapping[str, Callable[[Cell], Any]] = {
    "municipality": municipality_code,
    "title": text,
    "description": text,
    "category": code,
    "communities": community_codes,
    "raised_on": raised_on_date,
    "location": text,
    "language": language_code,
    "submitter_name": text,
    "submitter_contact": text,
}
EXAMPLE_VALUES: Mapping[str, Any] = {
    column.name: CELL_READERS[column.name](column.example) for column in COLUMNS
}
EXAMPLE_ROW, _ = case_row(SheetRow(0, {c.name: c.example for c in COLUMNS}))
