"""Importing cases from a spreadsheet: every row checked, all land or none."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from domain.errors import InvalidValue
from tests.application.builders import event_count, submit
from tests.application.spreadsheets import (
    csv_file,
    import_problems,
    imported,
    numbered_rows,
    row,
    sheet_of,
    xlsx_file,
)
from tracker.application import CaseTracker
from tracker.import_columns import ImportRefused

BAD_ROWS_FILE = csv_file(
    [
        row(title="Good one"),
        row(municipality="Atlantis", category="roads", raised_on="31.02.2025"),
        row(title="Another good one"),
        row(title=" ", communities="serb, martians", raised_on="16.01.2026"),
    ]
)


def test_a_good_csv_lands_with_references_in_the_order_of_its_rows(
    tracker: CaseTracker,
) -> None:
    report = imported(tracker, csv_file(numbered_rows(3)))

    assert [(c.line, c.reference) for c in report.imported] == [
        (2, "GRA-2025-001"),
        (3, "GRA-2025-002"),
        (4, "GRA-2025-003"),
    ]
    case = tracker.case("GRA-2025-002")
    assert (case.title, case.raised_on) == ("Issue number 2", date(2025, 11, 21))
    assert case.communities == ("albanian", "serb")
    assert (case.category, case.location, case.language) == (
        "infrastructure",
        "Laplje Selo",
        "en",
    )
    assert tracker.case_history("GRA-2025-002")[0].actor == "secretary"


def test_a_good_xlsx_with_date_cells_and_cyrillic_text_lands_and_reads_back_exactly(
    tracker: CaseTracker,
) -> None:
    cyrillic = row(
        municipality="Грачаница",
        title="Нема уличне расвете у Лапљем Селу",
        description="Главна улица је у мраку од октобра; деца иду у школу по мраку.",
        location="Лапље Село",
        language="sr",
        raised_on=date(2025, 11, 21),
    )
    albanian = row(title="Rruga pa ndriçim në Llapllasellë", raised_on=date(2025, 3, 4))

    report = imported(tracker, xlsx_file([cyrillic, albanian]), "forum.xlsx")

    case = tracker.case(report.imported[0].case_id)
    assert (case.title, case.description, case.location) == (
        cyrillic["title"],
        cyrillic["description"],
        cyrillic["location"],
    )
    assert (case.municipality, case.raised_on) == ("GRA", date(2025, 11, 21))
    assert tracker.case("GRA-2025-002").title == "Rruga pa ndriçim në Llapllasellë"


def test_one_bad_row_among_good_ones_writes_nothing(tracker: CaseTracker) -> None:
    submit(tracker)
    before = event_count(tracker)

    with pytest.raises(ImportRefused):
        imported(tracker, BAD_ROWS_FILE)

    assert event_count(tracker) == before
    assert len(tracker.cases()) == 1


def test_every_problem_of_every_row_is_reported_with_its_line_and_column(
    tracker: CaseTracker,
) -> None:
    problems = import_problems(tracker, BAD_ROWS_FILE)

    assert problems == [
        'line 3, municipality: "Atlantis" is not a municipality: give its code '
        "(GRA) or its name in Albanian, Serbian or English",
        "line 3, category: category must be one of: community_rights, environment, "
        "domestic_violence, gender_equality, rule_of_law, economy_employment, "
        "infrastructure, public_services, safety_crime, natural_hazards, "
        "youth_emigration, organized_crime, violent_extremism, culture_language, "
        "property, other (got 'roads')",
        'line 3, raised_on: "31.02.2025" is not a date (write it 21.11.2025 or '
        "2025-11-21)",
        "line 5, title: title must not be empty",
        "line 5, communities: communities must be one of: albanian, serb, bosniak, "
        "turkish, roma, ashkali, egyptian, gorani, croat, montenegrin, other "
        "(got 'martians')",
        "line 5, raised_on: raised_on cannot be in the future",
    ]


def test_a_dry_run_checks_every_row_and_writes_nothing(tracker: CaseTracker) -> None:
    before = event_count(tracker)

    report = imported(tracker, csv_file(numbered_rows(4)), dry_run=True)

    assert (report.dry_run, report.valid_rows, report.imported) == (True, 4, ())
    assert event_count(tracker) == before
    with pytest.raises(ImportRefused):
        imported(tracker, BAD_ROWS_FILE, dry_run=True)


def test_importing_the_same_file_twice_adds_nothing_the_second_time(
    tracker: CaseTracker,
) -> None:
    content = csv_file(numbered_rows(3))
    first = imported(tracker, content)
    after_first = event_count(tracker)

    second = imported(tracker, content)

    assert second.imported == ()
    assert second.already_imported == first.imported
    assert event_count(tracker) == after_first


def test_a_longer_copy_of_the_spreadsheet_adds_only_its_new_rows(
    tracker: CaseTracker,
) -> None:
    imported(tracker, csv_file(numbered_rows(2)))

    report = imported(tracker, xlsx_file(numbered_rows(3)), "later.xlsx")

    assert [(c.line, c.reference) for c in report.imported] == [(4, "GRA-2025-003")]
    assert [c.reference for c in report.already_imported] == [
        "GRA-2025-001",
        "GRA-2025-002",
    ]


def test_the_same_case_twice_in_one_file_is_reported(tracker: CaseTracker) -> None:
    rows = [
        row(),
        row(title="Other"),
        row(description="  The main street has been dark since  October."),
    ]

    assert import_problems(tracker, csv_file(rows)) == [
        "line 4: the same case as line 2"
    ]


def test_imported_cases_are_numbered_after_those_submitted_by_hand(
    tracker: CaseTracker,
) -> None:
    submit(tracker, municipality="GRA", raised_on=date(2025, 6, 1))

    report = imported(tracker, csv_file(numbered_rows(2)))

    assert [c.reference for c in report.imported] == ["GRA-2025-002", "GRA-2025-003"]


def test_a_case_numbered_by_another_writer_meanwhile_makes_the_file_number_again(
    make_tracker: Callable[[], CaseTracker],
) -> None:
    importer, other = make_tracker(), make_tracker()
    # The importer remembers the register as it saved it, at one case...
    submit(importer, municipality="GRA", raised_on=date(2025, 6, 1))
    # ...and another process numbers the second case behind its back.
    submit(other, municipality="GRA", raised_on=date(2025, 7, 1), title="Other")

    report = imported(importer, csv_file(numbered_rows(2)))

    assert importer.numbering_retries == 1
    assert [c.reference for c in report.imported] == ["GRA-2025-003", "GRA-2025-004"]
    references = sorted(c.reference for c in other.cases())
    assert references == [f"GRA-2025-00{n}" for n in range(1, 5)]


def test_cases_of_several_municipalities_and_years_land_together(
    tracker: CaseTracker,
) -> None:
    rows = [
        row(title="A", municipality="STR", raised_on="03.03.2024"),
        row(title="B", municipality="STR", raised_on="03.03.2025"),
        row(title="C", municipality="Viti"),
        row(title="D", municipality="STR", raised_on="04.03.2024"),
    ]

    report = imported(tracker, csv_file(rows))

    assert [c.reference for c in report.imported] == [
        "STR-2024-001",
        "STR-2025-001",
        "VIT-2025-001",
        "STR-2024-002",
    ]


def test_a_row_with_problems_is_not_taken_for_a_repeat_of_another(
    tracker: CaseTracker,
) -> None:
    # With its unknown municipality standing in as the example's (GRA), the
    # second row would otherwise be the same case as the first.
    rows = [row(municipality="GRA"), row(municipality="Oz")]

    problems = import_problems(tracker, csv_file(rows))

    assert [p.split(":")[0] for p in problems] == ["line 3, municipality"]


def test_an_empty_actor_refuses_the_whole_file_not_its_rows(
    tracker: CaseTracker,
) -> None:
    sheet = sheet_of(csv_file(numbered_rows(2)))

    with pytest.raises(InvalidValue) as refused:
        tracker.import_cases(sheet, actor=" ")

    assert refused.value.field == "actor"
    assert event_count(tracker) == 0
