"""Importing the cases a forum kept in a spreadsheet: every row or none.

Every row is checked before anything is written, by the rules a submission
obeys (the domain's own, and the tracker's "not in the future"), and every
problem of every row is reported. Only then are the new cases numbered and
saved with their registers in one transaction; if another writer numbered a
case meanwhile, the store refuses the save and the whole file is numbered
again. A case's id comes from its row's content, so a row imported before is
found and left alone: importing a file twice adds nothing the second time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID

from domain.case import Case
from domain.case_register import CaseRegister, format_reference
from domain.errors import DomainError
from tracker.errors import CaseNotFound
from tracker.import_columns import COLUMNS, ImportRefused, RowProblem, refused
from tracker.import_rows import CaseRow, case_row, column_of
from tracker.import_sheet import CaseSheet
from tracker.store import Store

# A file numbers many cases at once; after this many refused saves the store
# is too busy for it, and the person is asked to try again.
IMPORT_ATTEMPTS = 20


@dataclass(frozen=True)
class ImportedCase:
    """A row of the file and the case it is (or was before) imported as."""

    line: int
    case_id: UUID
    reference: str


@dataclass(frozen=True)
class ImportReport:
    """What an import did: cases added, rows imported before, columns ignored."""

    valid_rows: int
    imported: tuple[ImportedCase, ...]
    already_imported: tuple[ImportedCase, ...]
    ignored_columns: tuple[str, ...]
    dry_run: bool


class ImportCommands(Store):
    """Cases from a spreadsheet, landed all at once or not at all."""

    # Given by `CaseTracker`.
    _register: Callable[[str, int], CaseRegister]

    def import_cases(
        self,
        sheet: CaseSheet,
        *,
        actor: str,
        dry_run: bool = False,
        municipalities: tuple[str, ...] = (),
    ) -> ImportReport:
        """Submit every new case of the sheet in one transaction, or refuse all.

        `municipalities`, when given, are the only ones the importer may
        submit in (a secretary's); a row of another is a problem.
        """
        rows = self._checked_rows(sheet, actor, municipalities)

        def attempt() -> ImportReport:
            new, before = self._new_and_imported_before(rows)
            imported = () if dry_run else self._numbered_and_saved(new, actor)
            return ImportReport(
                len(rows), imported, before, sheet.ignored_columns, dry_run
            )

        return self.numbered(attempt, attempts=IMPORT_ATTEMPTS)

    def _checked_rows(
        self, sheet: CaseSheet, actor: str, municipalities: tuple[str, ...]
    ) -> list[CaseRow]:
        """Every row as submission values, or `ImportRefused` with every problem."""
        if not sheet.rows:
            raise refused("no rows under the header")
        problems = list(sheet.problems)
        rows: list[CaseRow] = []
        for sheet_row in sheet.rows:
            row, unreadable = case_row(sheet_row)
            problems += unreadable + self._broken_rules(row, actor)
            problems += _outside(row, unreadable, municipalities)
            rows.append(row)
        problems += repeated_cases(rows, problems)
        if problems:
            raise ImportRefused(problems=problems)
        return rows

    def _broken_rules(self, row: CaseRow, actor: str) -> list[RowProblem]:
        """Each rule of submission the row breaks.

        The domain stops at the first broken rule; to find the next one, the
        example's good value stands in for the broken one and the row is
        judged again (at most once per column).
        """
        problems: list[RowProblem] = []
        for _ in COLUMNS:
            try:
                self.require_past(row.raised_on, "raised_on")
                row.submitted(actor=actor, reference=_trial_reference(row))
            except DomainError as error:
                column = column_of(error.field)
                if column is None:
                    raise  # not about the row (the actor, say)
                problems.append(RowProblem(row.line, column, error.message))
                row = row.with_example(column)
            else:
                break
        return problems

    def _new_and_imported_before(
        self, rows: list[CaseRow]
    ) -> tuple[list[CaseRow], tuple[ImportedCase, ...]]:
        """The rows whose case is not in the store yet, and those whose case is."""
        stored = {row.case_id for row in rows if self.exists(row.case_id)}
        before = tuple(
            ImportedCase(row.line, row.case_id, self._reference(row.case_id))
            for row in rows
            if row.case_id in stored
        )
        return [row for row in rows if row.case_id not in stored], before

    def _reference(self, case_id: UUID) -> str:
        return self.load(case_id, Case, CaseNotFound).reference

    def _numbered_and_saved(
        self, rows: list[CaseRow], actor: str
    ) -> tuple[ImportedCase, ...]:
        """Number each row's case in its register and save them all at once."""
        registers: dict[tuple[str, int], CaseRegister] = {}
        cases: list[Case] = []
        for row in rows:
            key = (row.municipality, row.raised_on.year)
            if key not in registers:
                registers[key] = self._register(*key)
            reference = registers[key].number(row.case_id)
            cases.append(row.submitted(actor=actor, reference=reference))
        self.save_all(*registers.values(), *cases)
        return tuple(
            ImportedCase(row.line, case.id, case.reference)
            for row, case in zip(rows, cases, strict=True)
        )


def repeated_cases(rows: list[CaseRow], problems: list[RowProblem]) -> list[RowProblem]:
    """Rows that are the same case as an earlier row of the file."""
    # A row with problems holds stand-in values: it is no case yet.
    broken = {problem.line for problem in problems}
    first_lines: dict[UUID, int] = {}
    repeated = []
    for row in (row for row in rows if row.line not in broken):
        first = first_lines.setdefault(row.case_id, row.line)
        if first != row.line:
            repeated.append(
                RowProblem(row.line, None, f"the same case as line {first}")
            )
    return repeated


def _outside(
    row: CaseRow, unreadable: list[RowProblem], municipalities: tuple[str, ...]
) -> list[RowProblem]:
    """The row's municipality, when it is not one the importer works in."""
    misread = any(p.column == "municipality" for p in unreadable)
    if not municipalities or misread or row.municipality in municipalities:
        return []
    return [RowProblem(row.line, "municipality", "not one of your municipalities")]


def _trial_reference(row: CaseRow) -> str:
    """A reference for judging a row; the real one is given when it lands."""
    return format_reference(row.municipality, row.raised_on.year, 0)
