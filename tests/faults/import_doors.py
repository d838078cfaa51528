"""The importer's three doors, each sending a generated file through as people do.

The application (``read_sheet`` then ``import_cases``, as a secretary), the
``tracker import cases`` command, and the upload page. Each answers what
became of the file ("landed", "refused", "checked", or "failed" when the
door answered in a way it never should) and how that breaks the importer's
promise (`import_verdicts`); an error no door handles is raised.
"""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

from click.testing import CliRunner
from flask.testing import FlaskClient

from tests.faults.hostile_spreadsheets import Spreadsheet
from tests.faults.import_verdicts import (
    landing_verdict,
    read_back_verdict,
    refusal_verdict,
)
from tests.web.conftest import csrf_token
from tracker.application import CaseTracker
from tracker.cli import main
from tracker.import_columns import ImportRefused, RowProblem
from tracker.import_sheet import CaseSheet, read_sheet

# What became of a file, and each way that broke the promise.
Outcome = tuple[str, list[str]]


def through_the_application(
    tracker: CaseTracker, sheet: Spreadsheet, municipalities: tuple[str, ...]
) -> Outcome:
    """Read and import the file as a secretary; the outcome and broken promises."""

    def read() -> CaseSheet:
        return read_sheet(
            sheet.content, filename=sheet.filename, encoding=sheet.encoding
        )

    try:
        report = tracker.import_cases(
            read(),
            actor="secretary",
            municipalities=municipalities,
        )
    except ImportRefused as refusal:
        return "refused", refusal_verdict(sheet, refusal.problems)
    before = len(report.already_imported)
    problems = landing_verdict(sheet, len(report.imported), before)
    problems += read_back_verdict(tracker, sheet, report.imported)
    again = tracker.import_cases(read(), actor="secretary")
    if again.imported or len(again.already_imported) != len(sheet.rows):
        problems.append(f"a second import landed {len(again.imported)} more")
    return "landed", problems


def through_the_command(
    environ: dict[str, str], sheet: Spreadsheet, folder: Path
) -> Outcome:
    """``tracker import cases FILE``: exit 0 or 1, never a traceback."""
    path = folder / sheet.filename
    path.write_bytes(sheet.content)
    told = ["--encoding", sheet.encoding] if sheet.encoding else []
    result = CliRunner().invoke(
        main, ["import", "cases", str(path), *told], env=environ
    )
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    said = result.stdout + result.stderr
    if result.exit_code == 1 and said.rstrip().endswith("nothing was imported"):
        return "refused", refusal_verdict(sheet, said_problems(result.stderr))
    landed = re.match(r"(\d+) cases? imported", result.stdout)
    if result.exit_code != 0 or landed is None or "Traceback" in said:
        return "failed", [f"exit {result.exit_code}: {said[-500:]}"]
    return "landed", landing_verdict(sheet, int(landed[1]), imported_before(said))


def imported_before(said: str) -> int:
    """How many rows an import says were imported before."""
    before = re.search(r"(\d+) rows? (?:were|was) imported before", said)
    return int(before[1]) if before else 0


def said_problems(stderr: str) -> list[RowProblem]:
    """The problems a refusal printed, one a line (``line 7, raised_on: …``)."""
    lines = re.finditer(r"^(?:line (\d+)|file)(?:, (\w+))?: (.*)$", stderr, re.M)
    return [RowProblem(int(m[1] or 0), m[2], m[3]) for m in lines]


def through_the_page(client: FlaskClient, sheet: Spreadsheet, button: str) -> Outcome:
    """The upload page: 200 or 422 with the problems listed, never a failure."""
    answer = client.post(
        "/cases/import",
        data={
            "csrf_token": csrf_token(client, "/cases/import"),
            "file": (io.BytesIO(sheet.content), sheet.filename),
            "encoding": sheet.encoding or "",
            button: "1",
        },
        content_type="multipart/form-data",
    )
    page = answer.get_data(as_text=True)
    if answer.status_code == 422 and "Nothing was imported" in page:
        return "refused", refusal_verdict(sheet, listed_problems(page))
    checked = re.search(r"(\d+) rows can be imported", page)
    landed = re.search(r"(\d+) cases imported", page)
    if answer.status_code != 200 or not (checked or landed):
        return "failed", [f"answered {answer.status_code}"]
    if checked:
        return "checked", landing_verdict(sheet, int(checked[1]))
    count = int(landed[1]) if landed else -1
    return "landed", landing_verdict(sheet, count, imported_before(page))


def listed_problems(page: str) -> list[RowProblem]:
    """The problems the page lists (``Line 7, raised_on: …``)."""
    items = re.finditer(r"<li>Line (\d+)(?:, <code>(\w+)</code>)?: (.*?)</li>", page)
    return [RowProblem(int(m[1]), m[2], html.unescape(m[3])) for m in items]
