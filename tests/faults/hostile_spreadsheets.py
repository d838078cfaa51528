"""Spreadsheets of cases, generated good and bad, with what importing them must do.

A generated file is rows (each good, or broken in known columns) under a
header (`hostile_headers`), written as CSV (`hostile_csv`) or XLSX
(`hostile_workbooks`), and sometimes damaged as a file.
Beside the bytes it keeps what the importer must make of them (`Expected`):
refuse the whole file; refuse it naming exactly the broken rows' lines and
columns; or import exactly its rows, each reading back as written.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import cache

from hypothesis import strategies as st

from domain.errors import DomainError
from domain.reference import (
    CATEGORIES,
    COMMUNITIES,
    LANGUAGES,
    MUNICIPALITIES,
    municipality_named,
)
from tests.faults.hostile_text import control_text, formula_text, lookalike_text
from tracker.import_columns import REQUIRED_COLUMNS

TODAY = date(2026, 1, 15)
CellValue = str | date | datetime | None
# What XML 1.0 (a workbook's cells) cannot hold at all.
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


@dataclass(frozen=True)
class Row:
    """A row's cells by column, and the columns broken on purpose."""

    cells: dict[str, CellValue]
    broken: frozenset[str] = frozenset()
    # Formula cells (XLSX): they read as empty, having no value saved.
    formulas: frozenset[str] = frozenset()
    # The day its raised_on cell says, however it is written.
    day: date | None = None


@dataclass(frozen=True)
class Expected:
    """What importing a file must do."""

    # Why the whole file is refused, whatever its rows (None: the rows decide).
    refused_whole: str | None = None
    # Whether the reader sees exactly the cells written (else only: nothing
    # crashes, and the file lands whole or not at all).
    exact: bool = True
    # Whether every broken row is named (a file-level refusal names one line).
    every_line_named: bool = True


@dataclass(frozen=True)
class Spreadsheet:
    """A generated import file, its rows by line, and what importing it must do."""

    content: bytes
    filename: str
    encoding: str | None
    rows: tuple[tuple[int, Row], ...]
    expected: Expected = field(default_factory=Expected)

    @property
    def broken_lines(self) -> set[int]:
        """The lines of the rows broken on purpose."""
        return {line for line, row in self.rows if row.broken}

    def described(self) -> str:
        """The file in a few hundred characters, for a failure's message."""
        return (
            f"{self.filename} ({len(self.content)} bytes, encoding told "
            f"{self.encoding}, {self.expected}, broken lines "
            f"{sorted(self.broken_lines)}): {self.content[:300]!r}"
        )


# -- rows -------------------------------------------------------------------


def in_file(text: str, form: str) -> str:
    """Text as the file can hold it: no NUL in CSV, nothing XML refuses in XLSX."""
    if form == "xlsx":
        return _NOT_IN_XML.sub("", text)
    return text.replace("\x00", "").encode("utf-8", "ignore").decode("utf-8")


@cache
def free_text() -> st.SearchStrategy[str]:
    """Text a person may type into a cell: formulas, look-alikes, controls, any."""
    return st.one_of(
        formula_text(), lookalike_text(), control_text(), st.text(max_size=60)
    )


@cache
def municipality_names() -> st.SearchStrategy[str]:
    """A municipality by code or any official name, in any capitals."""
    names = [name for m in MUNICIPALITIES for name in m.names]
    return st.builds(
        lambda name, how: (name, name.upper(), name.lower())[how],
        st.sampled_from(names),
        st.integers(0, 2),
    )


def written(day: date, how: int) -> str:
    """A day as a secretary writes it: ISO, or day first with dots or slashes."""
    formats = ("%Y-%m-%d", "%d.%m.%Y", "%d.%m.%Y.", "%d/%m/%Y", "%-d.%-m.%Y")
    return day.strftime(formats[how])


@st.composite
def good_row(draw: st.DrawFn, form: str) -> Row:
    """A row the importer must take, its texts as hostile as a cell may hold."""
    day = draw(st.dates(date(1990, 1, 1), TODAY))
    category = draw(st.sampled_from(CATEGORIES))
    communities = draw(st.lists(st.sampled_from(COMMUNITIES), min_size=1, max_size=3))
    cells: dict[str, CellValue] = {
        "municipality": draw(municipality_names()),
        "title": in_file(draw(free_text()), form)[:200] + " #",
        "description": in_file(draw(free_text()), form).strip() or "Unlit road",
        "category": category.upper() if draw(st.booleans()) else category,
        "communities": draw(st.sampled_from(("; ", ",", ";"))).join(communities),
        "raised_on": day
        if form == "xlsx" and draw(st.booleans())
        else written(day, draw(st.integers(0, 4))),
        "location": in_file(draw(st.one_of(st.just(""), free_text())), form),
        "language": draw(st.sampled_from(("", "sr-Latn", "SR_cyrl", *LANGUAGES))),
    }
    if draw(st.booleans()):
        cells["submitter_name"] = in_file(draw(free_text()), form)[:150].strip() or "A"
        cells["submitter_contact"] = in_file(draw(free_text()), form)[:150]
    return Row(cells, day=day)


# A value of each column the importer must refuse, by what is wrong with it.
BROKEN_VALUES: dict[str, tuple[str, ...]] = {
    "municipality": ("Atlantis", "", "GRA GRA", "Graçanicë Graçanicë", "=GRA"),
    "title": ("", "   ", "x" * 301),
    "description": ("", "\t", "y" * 20_001, "h" * 200_000),
    "category": ("weather", "infra structure", "", "=1+1"),
    "communities": ("", ";", "martians", "serb; martians"),
    "raised_on": (
        "",
        "2026-02-30",
        "31.02.2025",
        "yesterday",
        "1989-12-31",
        "2099-01-01",
        "21.11.25",
    ),
    "language": ("xx", "klingon", "sr-Latn-RS"),
    "location": ("z" * 2_001,),
    "submitter_name": ("n" * 201,),
}


@st.composite
def broken_row(draw: st.DrawFn, form: str) -> Row:
    """A good row with one to three columns given values the importer refuses."""
    row = draw(good_row(form))
    columns = draw(
        st.lists(st.sampled_from(sorted(BROKEN_VALUES)), min_size=1, max_size=3)
    )
    cells = dict(row.cells)
    for column in columns:
        cells[column] = draw(st.sampled_from(BROKEN_VALUES[column]))
    return replace(row, cells=cells, broken=frozenset(columns))


@st.composite
def contact_without_name(draw: st.DrawFn, form: str) -> Row:
    """A row naming how to reach someone, but not whom (refused at the name)."""
    row = draw(good_row(form))
    cells = {**row.cells, "submitter_name": "", "submitter_contact": "+383 44 1"}
    return replace(row, cells=cells, broken=frozenset({"submitter_contact"}))


FORMULAS = ('=HYPERLINK("http://attacker.example","x")', "=1+1", "=cmd|' /C calc'!A0")


@st.composite
def formula_row(draw: st.DrawFn) -> Row:
    """An XLSX row with a formula cell: no value was saved, so it reads empty."""
    row = draw(good_row("xlsx"))
    column = draw(st.sampled_from(("title", "category", "location")))
    cells = {**row.cells, column: draw(st.sampled_from(FORMULAS))}
    broken = frozenset({column}) if column in REQUIRED_COLUMNS else frozenset()
    return replace(row, cells=cells, broken=broken, formulas=frozenset({column}))


def some_rows(form: str, most: int = 6) -> st.SearchStrategy[list[Row]]:
    """One to `most` rows, mostly good, some broken."""
    good = good_row(form)
    kinds = [good, good, good, broken_row(form), contact_without_name(form)]
    if form == "xlsx":
        kinds.append(formula_row())
    return st.lists(st.one_of(kinds), min_size=1, max_size=most)


def numbered(rows: list[Row]) -> list[Row]:
    """The rows with their number after their title: no two are the same case."""
    return [
        row
        if {"title"} & (row.broken | row.formulas)
        else replace(row, cells={**row.cells, "title": f"{row.cells['title']}{n}"})
        for n, row in enumerate(rows, start=1)
    ]


def code_of(name: str) -> str | None:
    """The code of a municipality named so, if one is."""
    try:
        return municipality_named(name).code
    except DomainError:
        return None


@st.composite
def mostly_in(draw: st.DrawFn, rows: list[Row], municipality: str) -> list[Row]:
    """The rows, most of them moved to one municipality (named any way)."""
    names = municipality_named(municipality).names
    return [
        replace(row, cells={**row.cells, "municipality": draw(st.sampled_from(names))})
        if "municipality" not in row.broken and draw(st.integers(0, 9)) < 9
        else row
        for row in rows
    ]


def limited_to(rows: list[Row], municipalities: tuple[str, ...]) -> list[Row]:
    """The rows as an importer limited to some municipalities must judge them."""
    if not municipalities:
        return rows
    judged = []
    for row in rows:
        code = code_of(str(row.cells["municipality"]))
        if code is not None and code not in municipalities:
            row = replace(row, broken=row.broken | {"municipality"})
        judged.append(row)
    return judged


# -- what a row reads back as -----------------------------------------------


def written_cell(value: CellValue) -> str:
    """A cell as text in a CSV file: a day in ISO, nothing as empty."""
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else str(value)


def as_kept(value: CellValue, form: str) -> str:
    """A text cell as the case keeps it: trimmed, NFC, a workbook's CR a newline."""
    text = written_cell(value)
    if form == "xlsx":
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text.strip()).strip()
