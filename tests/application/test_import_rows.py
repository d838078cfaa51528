"""Each cell of an imported row read as people write it, or its problem named."""

from __future__ import annotations

from datetime import date

import pytest

from tests.application.spreadsheets import csv_file, import_problems, imported, row
from tracker.application import CaseTracker


def test_a_row_with_an_unknown_municipality_is_reported_with_its_line(
    tracker: CaseTracker,
) -> None:
    rows = [row(), row(title="Elsewhere", municipality="Gotham")]

    assert import_problems(tracker, csv_file(rows)) == [
        'line 3, municipality: "Gotham" is not a municipality: give its code (GRA) '
        "or its name in Albanian, Serbian or English"
    ]


@pytest.mark.parametrize(
    "written",
    ["GRA", "gra", "Graçanicë", "GRAČANICA", "Gračanica", "Грачаница", "gracanica"],
)
def test_a_municipality_is_found_by_its_code_or_any_official_name(
    tracker: CaseTracker, written: str
) -> None:
    report = imported(tracker, csv_file([row(municipality=written)]))

    assert report.imported[0].reference == "GRA-2025-001"


def test_names_that_differ_between_languages_each_find_the_municipality(
    tracker: CaseTracker,
) -> None:
    rows = [
        row(municipality="Uroševac", title="One"),
        row(municipality="Ferizaj", title="Two"),
        row(municipality="Ђаковица", title="Three"),
        row(municipality="Djakovica", title="Four"),
        row(municipality="  mitrovicë  e   veriut ", title="Five"),
    ]

    report = imported(tracker, csv_file(rows))

    references = [case.reference for case in report.imported]
    assert references == [
        "FER-2025-001",
        "FER-2025-002",
        "GJA-2025-001",
        "GJA-2025-002",
        "MIN-2025-001",
    ]


@pytest.mark.parametrize(
    ("written", "day"),
    [
        ("2025-11-21", date(2025, 11, 21)),
        ("21.11.2025", date(2025, 11, 21)),
        ("21.11.2025.", date(2025, 11, 21)),
        ("21. 11. 2025.", date(2025, 11, 21)),
        ("21/11/2025", date(2025, 11, 21)),
        ("1.2.2025", date(2025, 2, 1)),
        ("01-02-2025", date(2025, 2, 1)),
    ],
)
def test_dates_in_local_formats_are_read_day_first(
    tracker: CaseTracker, written: str, day: date
) -> None:
    report = imported(tracker, csv_file([row(raised_on=written)]))

    assert tracker.case(report.imported[0].case_id).raised_on == day


@pytest.mark.parametrize("written", ["31.02.2025", "11/21/2025", "21.11.25", "soon"])
def test_a_date_that_is_not_one_is_reported(tracker: CaseTracker, written: str) -> None:
    assert import_problems(tracker, csv_file([row(raised_on=written)])) == [
        f'line 2, raised_on: "{written}" is not a date (write it 21.11.2025 or '
        "2025-11-21)"
    ]


def test_a_date_in_the_future_is_refused_as_a_submission_refuses_it(
    tracker: CaseTracker,
) -> None:
    rows = [row(raised_on="15.01.2026"), row(title="Tomorrow", raised_on="16.01.2026")]

    assert import_problems(tracker, csv_file(rows)) == [
        "line 3, raised_on: raised_on cannot be in the future"
    ]


def test_an_unknown_category_or_community_is_reported(tracker: CaseTracker) -> None:
    rows = [row(category="potholes"), row(title="B", communities="serb;;elves")]

    problems = import_problems(tracker, csv_file(rows))

    assert problems[0].startswith("line 2, category: category must be one of:")
    assert problems[0].endswith("(got 'potholes')")
    assert problems[1].startswith("line 3, communities: communities must be one of")
    assert problems[1].endswith("(got 'elves')")


def test_a_row_without_communities_is_reported(tracker: CaseTracker) -> None:
    assert import_problems(tracker, csv_file([row(communities=" ; ")])) == [
        "line 2, communities: name at least one community raising the issue"
    ]


def test_codes_are_read_however_capitalised_and_language_defaults_to_albanian(
    tracker: CaseTracker,
) -> None:
    rows = [
        row(category="Environment", communities="Serb, ROMA", language=""),
        row(title="Cyrillic text", language="sr-Cyrl"),
    ]

    report = imported(tracker, csv_file(rows))

    first, second = (tracker.case(c.case_id) for c in report.imported)
    assert (first.category, first.communities, first.language) == (
        "environment",
        ("serb", "roma"),
        "sq",
    )
    assert second.language == "sr"


def test_a_submitter_is_kept_and_a_contact_without_a_name_is_reported(
    tracker: CaseTracker,
) -> None:
    header = (*row().keys(), "submitter_name", "submitter_contact")
    named = row(submitter_name="Arta Krasniqi", submitter_contact="+383 44 000 000")
    unnamed = row(title="Anonymous", submitter_contact="someone@example.org")

    assert import_problems(tracker, csv_file([named, unnamed], header=header)) == [
        "line 3, submitter_name: submitter.name must not be empty"
    ]
    report = imported(tracker, csv_file([named], header=header))
    submitter = tracker.case(report.imported[0].case_id).submitter
    assert submitter is not None
    assert (submitter.name, submitter.contact) == ("Arta Krasniqi", "+383 44 000 000")
