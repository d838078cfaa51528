"""What importing a generated spreadsheet did, judged against what it must do.

The importer promises (`tracker.importing`): every row or none. A file with
any broken row imports nothing and names each broken row's line and column;
a file that cannot be read at all is refused whole; a good file imports
exactly its rows, once (again, it adds nothing). The verdicts here say, in
words, each way an outcome breaks that promise; an empty list is a pass.
"""

from __future__ import annotations

from collections.abc import Sequence

from domain.reference import COMMUNITIES
from tests.faults.hostile_spreadsheets import (
    Row,
    Spreadsheet,
    as_kept,
    code_of,
)
from tracker.application import CaseTracker
from tracker.import_columns import RowProblem
from tracker.import_rows import COMMUNITY_SEPARATORS
from tracker.importing import ImportedCase
from tracker.views import CaseView

# The column a broken cell is reported under (a contact names no one).
REPORTED_AS = {"submitter_contact": "submitter_name"}


def refusal_verdict(sheet: Spreadsheet, problems: Sequence[RowProblem]) -> list[str]:
    """How a refusal breaks the promise (a good file refused, a line not named)."""
    if not problems:
        return ["refused without naming a problem"]
    expected = sheet.expected
    if expected.refused_whole or not expected.exact:
        return []
    if not sheet.broken_lines:
        return [f"a file of good rows was refused: {_shown(problems)}"]
    named = {problem.line for problem in problems}
    if not named <= sheet.broken_lines:
        return [f"good lines blamed: {sorted(named - sheet.broken_lines)}"]
    if not expected.every_line_named:
        return []
    found = [f"line {n} not named" for n in sorted(sheet.broken_lines - named)]
    for line, row in sheet.rows:
        columns = {p.column for p in problems if p.line == line}
        missing = {REPORTED_AS.get(c, c) for c in row.broken} - columns
        if missing:
            found.append(f"line {line}: {sorted(missing)} not named ({columns})")
    return found


def landing_verdict(sheet: Spreadsheet, imported: int, before: int = 0) -> list[str]:
    """How an import that landed (`imported` new cases, `before` rows imported
    by an earlier file) breaks the promise."""
    expected = sheet.expected
    if expected.refused_whole:
        return [f"landed though it must be refused whole ({expected.refused_whole})"]
    if expected.exact and sheet.broken_lines:
        return [f"landed with broken lines {sorted(sheet.broken_lines)}"]
    if imported + before != len(sheet.rows):
        return [f"{imported} cases (and {before} before) from {len(sheet.rows)} rows"]
    return []


def read_back_verdict(
    tracker: CaseTracker, sheet: Spreadsheet, imported: Sequence[ImportedCase]
) -> list[str]:
    """Each value of a landed case that is not its row's, as the row says it."""
    if not sheet.expected.exact:
        return []
    form = "xlsx" if sheet.filename.endswith(".xlsx") else "csv"
    rows = dict(sheet.rows)
    found = []
    for case in imported:
        kept = tracker.case(case.case_id)
        for name, (got, wanted) in _values(kept, rows[case.line], form).items():
            if got != wanted:
                found.append(f"line {case.line} {name}: {got!r:.80} ≠ {wanted!r:.80}")
    return found


def _values(kept: CaseView, row: Row, form: str) -> dict[str, tuple[object, object]]:
    """Each kept value beside the value its row gives it."""
    cells = row.cells

    def text(column: str) -> str:
        return "" if column in row.formulas else as_kept(cells.get(column), form)

    communities = {
        part.strip().casefold()
        for part in COMMUNITY_SEPARATORS.split(text("communities"))
    }
    submitter = kept.submitter
    return {
        "municipality": (kept.municipality, code_of(str(cells["municipality"]))),
        "title": (kept.title, text("title")),
        "description": (kept.description, text("description")),
        "category": (kept.category, text("category").casefold()),
        "communities": (
            kept.communities,
            tuple(c for c in COMMUNITIES if c in communities),
        ),
        "raised_on": (kept.raised_on, row.day),
        "language": (kept.language, _language(text("language"))),
        "location": (kept.location, text("location") or None),
        "submitter": (
            (submitter.name, submitter.contact) if submitter else None,
            _submitter(text("submitter_name"), text("submitter_contact")),
        ),
    }


def _language(cell: str) -> str:
    code = cell.casefold().replace("_", "-")
    return "sr" if code in ("sr-latn", "sr-cyrl") else code or "sq"


def _submitter(name: str, contact: str) -> tuple[str, str | None] | None:
    return (name, contact or None) if name else None


def _shown(problems: Sequence[RowProblem]) -> str:
    return "; ".join(str(problem) for problem in problems[:5])
