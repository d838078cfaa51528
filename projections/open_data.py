"""Open data: published cases, scorecards and yearly figures, as one ZIP.

The public portal serves it (``/public/open-data.zip``). Each table is in it
twice, ``<table>.csv`` and ``<table>.json``: what coordinators published of
each case and the steps of the published timelines (read from the
``publications`` table alone, so only redacted text and chosen fields), every
municipality's scorecard for every year with data, and each municipality's
one-number accountability figures for each year. A data dictionary describes
every column of every table (``dictionary.csv``, ``dictionary.json``) and
``README.txt`` gives the licence and what is left out.

Columns are declared with the export's `Table` and `Column`; the scorecard
and figures columns follow their dataclasses' fields, so a file cannot
drift from what the projections count.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import astuple, fields, replace
from datetime import UTC, date, datetime

from eventsourcing.sqlite import SQLiteCursor

from domain.reference import (
    ADVOCACY_ACTION_KINDS,
    COMMITMENT_STATUSES,
    FOLLOW_UP_CHANNELS,
    INSTITUTION_KINDS,
    MUNICIPALITIES,
    OUTCOMES,
    PUBLISHABLE_FIELDS,
    RESPONSE_KINDS,
)
from projections.accountability import SCALAR_FIGURES, Period
from projections.export_dictionary import (
    CASES,
    CODE,
    CODES,
    DATE,
    DATETIME,
    DECIMAL,
    DICTIONARY,
    INTEGER,
    TEXT,
    TYPE_FORMATS,
    Column,
    Row,
    Table,
)
from projections.export_formats import (
    About,
    json_value,
    write_csv_table,
    zip_member,
)
from projections.figure_queries import AccountabilityFigures, figures_by_municipality
from projections.publication_queries import (
    MAX_PUBLISHED_PER_PAGE,
    PublicationFilter,
    PublishedCase,
    find_published,
)
from projections.publications import STEPS
from projections.scorecards import MIN_REFERRALS, Scorecard, scorecards
from projections.views import Views

LICENCE = "Creative Commons Attribution 4.0 International (CC BY 4.0)"


_CASE = {column.name: column for column in CASES.columns}
_YEAR = (
    Column("year", INTEGER, "The calendar year."),
    Column("period_start", DATE, "The first day counted: 1 January."),
    Column("period_end", DATE, "The last day counted: 31 December, or the as-of day."),
)
_MUNICIPALITY = Column(
    "municipality", CODE, "The municipality.", tuple(m.code for m in MUNICIPALITIES)
)
# What each counted column holds (DESIGN.md §6), for the year of its row.
_MEANINGS = {
    "cases_raised": "Cases whose raised-on date is in the year.",
    "cases_jointly_raised": "Of those, cases raised by two or more communities.",
    "joint_share": "cases_jointly_raised over cases_raised (empty if none).",
    "advocacy_actions": "Advocacy actions dated in the year.",
    "referrals_made": "Referrals sent to an institution in the year.",
    "referrals_answered": "Of those, referrals with a substantive response by "
    "the period's end.",
    "responses_received": "Responses dated in the year.",
    "government_responses": "Substantive responses dated in the year (every "
    "kind but an acknowledgement or a redirection).",
    "response_rate": "Of the referrals made in the year, the share with a "
    "substantive response by the period's end (empty if none were made).",
    "response_rate_low": "The low end of the response rate's 95% Wilson interval.",
    "response_rate_high": "The high end of the response rate's 95% Wilson interval.",
    "median_days_to_first_response": "Over the referrals made in the year that "
    "had any response by the period's end: the median of calendar days from "
    "sending to the first response (empty if none).",
    "median_days_to_substantive_response": "The same, to the first substantive "
    "response (empty if none).",
    "overdue_referrals": "Referrals past due at the period's end with no "
    "substantive response, whenever they were sent.",
    "commitments_made": "Commitment responses dated in the year.",
    "commitments_fulfilled": "Of those, the ones verified fulfilled by the "
    "period's end.",
    "cases_resolved": "Cases resolved in the year.",
    "cases_partially_resolved": "Cases partially resolved in the year.",
    "cases_unresolved": "Cases closed unresolved in the year.",
    "meetings_held": "Forum meetings held in the year.",
    "meeting_attendance_total": "People counted at those meetings.",
    "response_rate_rank": "Rank by response rate, 1 the highest; only where "
    f"at least {MIN_REFERRALS} referrals were made (equal rates share a rank).",
    "median_days_rank": "Rank by median days to a substantive response, 1 the "
    f"fastest; only where at least {MIN_REFERRALS} referrals had one.",
}
_TYPES = {"int": INTEGER, "int | None": INTEGER, "float | None": DECIMAL}


def _counted(of: type, names: tuple[str, ...]) -> tuple[Column, ...]:
    """Columns for fields of a dataclass, typed by their annotations."""
    annotated = {f.name: str(f.type) for f in fields(of)}
    return tuple(Column(n, _TYPES[annotated[n]], _MEANINGS[n]) for n in names)


_SCORED = tuple(f.name for f in fields(Scorecard) if f.name != "municipality")
_STEP_KINDS = tuple(dict.fromkeys((
    *ADVOCACY_ACTION_KINDS, *INSTITUTION_KINDS, *FOLLOW_UP_CHANNELS,
    *RESPONSE_KINDS, *COMMITMENT_STATUSES, *OUTCOMES,
)))  # fmt: skip

PUBLISHED_CASES = Table(
    "published_cases",
    "One row per case a coordinator published; a field not published is empty.",
    (
        _CASE["reference"], _CASE["raised_on"],
        Column("published_fields", CODES, "The fields the coordinator chose to "
               "publish; the others are empty.", PUBLISHABLE_FIELDS),
        Column("title", TEXT, "The public title, as the coordinator redacted it."),
        Column("description", TEXT, "The public description, as redacted."),
        _CASE["category"], _CASE["communities"], _CASE["municipality"],
        Column("location", TEXT, "Where the issue is (a village, a street)."),
        _CASE["status"],
        Column("published_at", DATETIME, "When it was last published."),
        Column("updated_at", DATETIME, "When its public record last changed."),
    ),
)  # fmt: skip
PUBLISHED_STEPS = Table(
    "published_steps",
    "One row per dated step of a published case: its whole timeline if that "
    "is published, else its responses if those are.",
    (
        Column("reference", TEXT, "The case (see published_cases.reference)."),
        Column("step_on", DATE, "The day of the step."),
        Column("step", CODE, "What happened.",
               ("Submitted", *(e.__name__ for e, (on, _) in STEPS.items() if on))),
        Column("kind", CODE, "Its kind, where it has one: of action, of "
               "institution referred to, of follow-up, of response, a "
               "commitment's status, an outcome.", _STEP_KINDS),
    ),
)  # fmt: skip
SCORECARDS = Table(
    "scorecards",
    "One row per municipality per year: how it answered the referrals the "
    "forums made that year.",
    (*_YEAR, _MUNICIPALITY, *_counted(Scorecard, _SCORED)),
)
FIGURES = Table(
    "accountability_figures",
    "One row per municipality per year with anything counted: the "
    "accountability figures that are one number.",
    (*_YEAR, _MUNICIPALITY, *_counted(AccountabilityFigures, SCALAR_FIGURES)),
)
OPEN_DICTIONARY = Table(
    DICTIONARY.name,
    "One row per column of every table of this archive, this one included.",
    tuple(
        replace(column, codes=tuple(TYPE_FORMATS)) if column.name == "type" else column
        for column in DICTIONARY.columns
    ),
)
TABLES: tuple[Table, ...] = (
    PUBLISHED_CASES, PUBLISHED_STEPS, SCORECARDS, FIGURES, OPEN_DICTIONARY,
)  # fmt: skip


def open_data_zip(views: Views, today: date) -> bytes:
    """The open-data archive as of today: every table in CSV and JSON, a README."""
    about = About(
        exported_at=datetime.now(UTC).replace(microsecond=0),
        as_of=today,
        municipalities=tuple(m.code for m in MUNICIPALITIES),
    )
    with views.reading() as c:
        rows = _rows(c, today)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for table in TABLES:
            _write_csv(archive, about, table, rows[table.name])
            _write_json(archive, about, table, rows[table.name])
        with zip_member(archive, "README.txt", about) as readme:
            readme.write(_readme(about, rows).encode("utf-8"))
    return buffer.getvalue()


def data_years(c: SQLiteCursor, today: date) -> range:
    """The years with data: from the first case raised or meeting held to today's.

    Last year at least, so the last complete year is always there.
    """
    c.execute(
        "SELECT MIN(day) FROM (SELECT MIN(raised_on) AS day FROM cases "
        "UNION ALL SELECT MIN(held_on) FROM meetings)"
    )
    first = c.fetchone()[0]
    earliest = int(first[:4]) if first else today.year
    return range(min(earliest, today.year - 1), today.year + 1)


# -- rows -------------------------------------------------------------------


def _rows(c: SQLiteCursor, today: date) -> dict[str, list[Row]]:
    published = list(_published(c))
    rows: dict[str, list[Row]] = {
        PUBLISHED_CASES.name: [_case_row(case) for case in published],
        PUBLISHED_STEPS.name: [
            (case.reference, step.on, step.step, step.kind)
            for case in published
            for step in case.timeline or case.responses or ()
        ],
        SCORECARDS.name: [],
        FIGURES.name: [],
        OPEN_DICTIONARY.name: [
            (table.name, column.name, column.type, TYPE_FORMATS[column.type],
             column.meaning, column.codes)
            for table in TABLES for column in table.columns
        ],
    }  # fmt: skip
    for year in data_years(c, today):
        period = Period.year(year, today=today)
        head: Row = (year, period.start, period.end)
        for card in scorecards(c, period):
            rows[SCORECARDS.name].append((*head, *astuple(card)))
        _, each = figures_by_municipality(c, start=period.start, end=period.end)
        for figures in each.values():
            rows[FIGURES.name].append((*head, figures.municipality, *_scalars(figures)))
    return rows


def _published(c: SQLiteCursor) -> Iterator[PublishedCase]:
    """Every published case, a page at a time."""
    page, pages = 1, 1
    while page <= pages:
        found = find_published(
            c, PublicationFilter(), page=page, per_page=MAX_PUBLISHED_PER_PAGE
        )
        yield from found.rows
        page, pages = page + 1, found.pages


def _case_row(case: PublishedCase) -> Row:
    return (
        case.reference, case.raised_on, case.fields, case.title, case.description,
        case.category, case.communities, case.municipality, case.location,
        case.status, case.published_at, case.updated_at,
    )  # fmt: skip


def _scalars(figures: AccountabilityFigures) -> tuple[int | float | None, ...]:
    return tuple(getattr(figures, name) for name in SCALAR_FIGURES)


# -- files ------------------------------------------------------------------


def _write_csv(
    archive: zipfile.ZipFile, about: About, table: Table, rows: list[Row]
) -> None:
    """A table as UTF-8 CSV with a BOM, as the export writes it."""
    write_csv_table(zip_member(archive, f"{table.name}.csv", about), table, iter(rows))


def _write_json(
    archive: zipfile.ZipFile, about: About, table: Table, rows: list[Row]
) -> None:
    """A table as a JSON list of objects, one a line, keyed by column name."""
    objects = (
        {name: json_value(value) for name, value in zip(table.names, row, strict=True)}
        for row in rows
    )
    lines = ",\n".join(json.dumps(o, ensure_ascii=False) for o in objects)
    with zip_member(archive, f"{table.name}.json", about) as raw:
        raw.write(f"[\n{lines}\n]\n".encode())


def _readme(about: About, rows: dict[str, list[Row]]) -> str:
    tables = "\n".join(
        f"  {t.name}.csv, {t.name}.json: {len(rows[t.name])} rows. {t.meaning}"
        for t in TABLES
    )
    return (
        "CFPI case tracker: open data of the Community Forums for Public\n"
        "Interest in Kosovo: the cases the forums made public, and how each\n"
        "municipality answered the forums' referrals.\n\n"
        f"Made at {about.exported_at.isoformat()}, as of {about.as_of.isoformat()}.\n\n"
        f"Licence: {LICENCE}, https://creativecommons.org/licenses/by/4.0/\n"
        "Share and adapt for any purpose, naming the CFPI as the source.\n\n"
        f"Tables, each in CSV and in JSON:\n{tables}\n\n"
        "Not included: no personal data (no name or contact of anyone who raised\n"
        "a case or attended a meeting, no person's community); only the cases a\n"
        "coordinator published, only the fields chosen for publication, and the\n"
        "title and description as redacted for the public. Unpublished cases,\n"
        "notes, documents, advocacy texts and institutions' answers are left out.\n\n"
        "CSV: UTF-8 with a byte-order mark; several codes in a cell are separated\n"
        "by spaces; an empty cell has no value; a text beginning with = + - @ is\n"
        "written after an apostrophe. JSON: a list of objects keyed by column.\n"
        "Dates are YYYY-MM-DD, moments ISO 8601 in UTC. Figures are counted as\n"
        "of the period's end; the current year runs to the as-of day.\n"
    )
