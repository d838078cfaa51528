"""The column layout of a spreadsheet of cases, its cells, and what can be wrong.

`COLUMNS` is the one description of an import file: the reader, the row
checks, the templates and the web's help page all read it. Headers are matched
without regard to case, surrounding spaces, or spaces and hyphens written for
underscores ("Raised on" is `raised_on`). Columns not in the layout are read
past and named in the report, so a misspelt optional column is noticed.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from domain.errors import InvalidValue
from domain.reference import LANGUAGES


@dataclass(frozen=True)
class Column:
    """One column of the import layout: header, required?, meaning, example."""

    name: str
    required: bool
    meaning: str
    example: str


COLUMNS: tuple[Column, ...] = (
    Column(
        "municipality",
        True,
        "Municipality code (GRA) or its official name in Albanian, Serbian "
        "(Latin or Cyrillic) or English; capitals and diacritics do not matter",
        "Graçanicë",
    ),
    Column(
        "title",
        True,
        "Short title of the issue",
        "Rruga pa ndriçim në Llapllasellë",
    ),
    Column(
        "description",
        True,
        "What the community raised, in the language given in `language`",
        "Rruga kryesore është pa ndriçim që nga tetori; fëmijët ecin në errësirë.",
    ),
    Column(
        "category",
        True,
        "Category code (infrastructure, environment, ...; see the list of codes)",
        "infrastructure",
    ),
    Column(
        "communities",
        True,
        "Codes of the communities raising it, separated by ; or , (at least one)",
        "albanian; serb",
    ),
    Column(
        "raised_on",
        True,
        "Day it was raised: 2025-11-21, 21.11.2025, 21.11.2025. or 21/11/2025 "
        "(day first), or a date cell; not in the future",
        "21.11.2025",
    ),
    Column(
        "location",
        False,
        "Village, street or place the issue is about",
        "Llapllasellë / Laplje Selo",
    ),
    Column(
        "language",
        False,
        f"Language of title and description: {', '.join(LANGUAGES)} (empty: sq)",
        "sq",
    ),
    Column(
        "submitter_name",
        False,
        "Name of the person who raised it (personal data; leave empty if "
        "they did not agree to be named)",
        "Arta Krasniqi",
    ),
    Column(
        "submitter_contact",
        False,
        "Their phone or e-mail (personal data; needs submitter_name)",
        "+383 44 000 000",
    ),
)

# A cell as read: text (trimmed), or a real date from a spreadsheet's date cell.
Cell = str | date

COLUMN_NAMES: tuple[str, ...] = tuple(column.name for column in COLUMNS)
REQUIRED_COLUMNS: tuple[str, ...] = tuple(c.name for c in COLUMNS if c.required)


def text_cell(value: str) -> str:
    """A text cell trimmed, in one Unicode form (ë typed one way or another)."""
    return unicodedata.normalize("NFC", value.strip())


def column_name(header: str) -> str:
    """The layout's name for a header as people write it ("Raised on")."""
    return "_".join(header.strip().casefold().replace("-", " ").split())


@dataclass(frozen=True)
class RowProblem:
    """Why a line cannot be imported (no column: the whole row; line 0: the file)."""

    line: int
    column: str | None
    reason: str

    def __str__(self) -> str:
        """The problem as one line for people: ``line 7, raised_on: ...``."""
        where = f"line {self.line}" if self.line else "file"
        if self.column:
            where += f", {self.column}"
        return f"{where}: {self.reason}"


class ImportRefused(InvalidValue):
    """The file has problems (all in `problems`); none of its cases was imported."""

    def __init__(
        self,
        message: str | None = None,
        *,
        field: str | None = "file",
        problems: Iterable[RowProblem] = (),
    ) -> None:
        self.problems = tuple(sorted(problems, key=_file_order))
        count = len(self.problems)
        summary = f"{count} problem{'s' if count != 1 else ''} in the file"
        super().__init__(message or f"{summary}; nothing was imported", field=field)


def refused(reason: str, line: int = 0) -> ImportRefused:
    """The refusal of a whole file, for one reason."""
    return ImportRefused(problems=[RowProblem(line, None, reason)])


def _file_order(problem: RowProblem) -> tuple[int, int]:
    """By line; within a line, the whole row first, then column by column."""
    column = problem.column or ""
    return problem.line, COLUMN_NAMES.index(column) + 1 if column in COLUMN_NAMES else 0
