"""Generated spreadsheets through every door of the importer: whole or not at all.

Hypothesis writes spreadsheets of cases (`hostile_spreadsheets`,
`hostile_workbooks`): rows good and broken (unknown municipalities and
categories, bad and future dates, texts too long, a contact without a name,
formula cells), headers in any order and spelling, a column missing or
doubled, CSV in any delimiter, line endings and encoding (told or not),
bytes that are not UTF-8, NUL, workbooks cut short or damaged. Each file goes
through the application (as a secretary limited to Graçanicë, or not), the
``tracker import cases`` command, or the upload page, and the importer must
keep its promise (`import_verdicts`): never an unhandled error; a refused
file writes nothing and names every broken row's line and column; a good
file lands exactly its rows, each as written, and a second time adds nothing.
"""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.application.spreadsheets import numbered_rows
from tests.application.spreadsheets import xlsx_file as plain_workbook
from tests.faults.hostile_csv import csv_file
from tests.faults.hostile_spreadsheets import (
    Row,
    Spreadsheet,
    good_row,
    limited_to,
    mostly_in,
    numbered,
    some_rows,
)
from tests.faults.hostile_workbooks import damaged_workbook, xlsx_file, zip_bomb
from tests.faults.import_doors import (
    Outcome,
    through_the_application,
    through_the_command,
    through_the_page,
)
from tests.faults.import_verdicts import landing_verdict, refusal_verdict
from tests.faults.scale import rounds
from tests.stores import Store
from tests.web.conftest import close_app, make_app, services_of, sign_in
from tracker.application import CaseTracker
from tracker.import_columns import ImportRefused, RowProblem
from tracker.import_sheet import read_sheet
from tracker.import_workbook import MAX_UNPACKED_BYTES

pytestmark = pytest.mark.faults

EXAMPLES = rounds(60, 500)
# The command line and the page cost more a file: fewer of them.
SLOW_EXAMPLES = rounds(12, 150)
MANY_ROWS = rounds(300, 3_000)
GRACANICA = ("GRA",)


@dataclass
class Bench:
    """The app on this store, its home (the command line uses it) and a tally."""

    app: Flask
    home: Path
    store: Store
    tally: Counter[str] = field(default_factory=Counter)

    @property
    def tracker(self) -> CaseTracker:
        """The app's tracker ('today' is 2026-01-15)."""
        return services_of(self.app).tracker

    def head(self) -> int:
        """The id of the store's newest notification."""
        return self.tracker.recorder.max_notification_id() or 0


@pytest.fixture(scope="module")
def bench(
    module_store: Store, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Bench]:
    """The app on an empty store, shared by the module's generated files."""
    home = tmp_path_factory.mktemp("fuzz-import") / "home"
    app = make_app(module_store, home)
    yield Bench(app, home, module_store)
    close_app(app)
    shutil.rmtree(home, ignore_errors=True)


def judged(bench: Bench, sheet: Spreadsheet, door: Callable[[], Outcome]) -> None:
    """Send a file through a door; tally the outcome; fail on a broken promise."""
    before = bench.head()
    try:
        outcome, problems = door()
    except Exception as error:
        bench.tally["unhandled"] += 1
        failure = f"{type(error).__name__}: {error}"
        raise AssertionError(f"{failure} for {sheet.described()}") from error
    if outcome != "landed" and bench.head() != before:
        problems.append("something was written though nothing landed")
    bench.tally["files"] += 1
    bench.tally[outcome] += 1
    bench.tally["broken_promises"] += bool(problems)
    assert not problems, f"{outcome}: {problems} for {sheet.described()}"


def summary(bench: Bench, door: str) -> None:
    """The line RELIABILITY.md quotes, for one door on one store."""
    t = bench.tally
    print(
        f"FUZZ_IMPORT store={bench.store.kind} door={door} files={t['files']} "
        f"landed={t['landed']} refused={t['refused']} unhandled={t['unhandled']} "
        f"broken_promises={t['broken_promises']}"
    )
    bench.tally.clear()


def examples(count: int) -> settings:
    """Hypothesis's settings for `count` generated files."""
    return settings(
        max_examples=count,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
    )


@st.composite
def any_file(draw: st.DrawFn, municipalities: tuple[str, ...]) -> Spreadsheet:
    """A CSV file or a workbook (now and then a damaged one) of generated rows."""
    form = draw(st.sampled_from(("csv", "xlsx")))
    good = st.lists(good_row(form), min_size=1, max_size=6)
    rows = numbered(draw(st.one_of(good, some_rows(form))))
    if municipalities:
        rows = limited_to(draw(mostly_in(rows, municipalities[0])), municipalities)
    if form == "csv":
        return draw(csv_file(rows))
    sheet = draw(xlsx_file(rows))
    return draw(damaged_workbook(sheet)) if draw(st.integers(0, 4)) == 4 else sheet


def test_a_generated_file_lands_whole_or_not_at_all(bench: Bench) -> None:
    @examples(EXAMPLES)
    @given(data=st.data(), municipalities=st.sampled_from(((), GRACANICA)))
    def whole_or_nothing(data: st.DataObject, municipalities: tuple[str, ...]) -> None:
        sheet = data.draw(any_file(municipalities))
        judged(
            bench,
            sheet,
            lambda: through_the_application(bench.tracker, sheet, municipalities),
        )

    try:
        whole_or_nothing()
    finally:
        summary(bench, "application")


def test_the_import_command_lands_a_file_whole_or_not_at_all(
    bench: Bench, tmp_path: Path
) -> None:
    @examples(SLOW_EXAMPLES)
    @given(data=st.data())
    def whole_or_nothing(data: st.DataObject) -> None:
        sheet = data.draw(any_file(()))
        judged(
            bench,
            sheet,
            lambda: through_the_command(
                bench.store.environ(bench.home), sheet, tmp_path
            ),
        )

    try:
        whole_or_nothing()
    finally:
        summary(bench, "command")


def test_the_upload_page_lands_a_file_whole_or_not_at_all(bench: Bench) -> None:
    signed_in = {}
    for username in ("secretary", "admin"):
        client = bench.app.test_client()
        client.set_cookie("language", "en")
        signed_in[username] = sign_in(client, username)

    @examples(SLOW_EXAMPLES)
    @given(data=st.data(), username=st.sampled_from(sorted(signed_in)),
           button=st.sampled_from(("land", "land", "check")))  # fmt: skip
    def whole_or_nothing(data: st.DataObject, username: str, button: str) -> None:
        limit = GRACANICA if username == "secretary" else ()
        sheet = data.draw(any_file(limit))
        client = signed_in[username]
        judged(bench, sheet, lambda: through_the_page(client, sheet, button))

    try:
        whole_or_nothing()
    finally:
        summary(bench, "page")


def test_thousands_of_rows_land_whole_or_not_at_all(bench: Bench) -> None:
    tracker = bench.tracker
    before = bench.head()
    spreadsheet = plain_workbook(numbered_rows(MANY_ROWS, municipality="STR"))
    broken = plain_workbook(
        [*numbered_rows(MANY_ROWS, municipality="KAM"), {"municipality": "Atlantis"}]
    )
    with pytest.raises(ImportRefused) as refused:
        tracker.import_cases(read_sheet(broken, filename="k.xlsx"), actor="secretary")
    assert {p.line for p in refused.value.problems} == {MANY_ROWS + 2}
    assert bench.head() == before
    report = tracker.import_cases(
        read_sheet(spreadsheet, filename="s.xlsx"), actor="secretary"
    )
    assert len(report.imported) == MANY_ROWS
    assert len({case.reference for case in report.imported}) == MANY_ROWS


def test_a_zip_bomb_workbook_is_refused_before_it_is_unpacked() -> None:
    megabytes = MAX_UNPACKED_BYTES // 2**20 + 16
    bomb = zip_bomb(plain_workbook(numbered_rows(2)), megabytes)
    assert len(bomb) < megabytes * 2**20 // 500  # a ratio a bomb has
    with pytest.raises(ImportRefused) as refused:
        read_sheet(bomb, filename="bomb.xlsx")
    assert "unpacks to more than" in str(refused.value.problems[0])


def test_a_verdict_sees_a_good_line_blamed_and_a_broken_line_missed() -> None:
    good, broken = Row({"title": "Fine"}), Row({"title": ""}, frozenset({"title"}))
    sheet = Spreadsheet(b"", "cases.csv", None, ((2, good), (3, broken)))
    assert refusal_verdict(sheet, [RowProblem(3, "title", "empty")]) == []
    assert refusal_verdict(sheet, [RowProblem(2, "title", "empty")]) == [
        "good lines blamed: [2]"
    ]
    assert refusal_verdict(sheet, [RowProblem(3, "category", "unknown")]) == [
        "line 3: ['title'] not named ({'category'})"
    ]
    assert landing_verdict(sheet, 2) == ["landed with broken lines [3]"]
