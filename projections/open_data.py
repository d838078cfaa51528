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
from dataclasses import astuple
from datetime import UTC, date, datetime

from domain.reference import MUNICIPALITIES
from projections.accountability import SCALAR_FIGURES, Period
from projections.datastore import Cursor
from projections.export_dictionary import TYPE_FORMATS, Row, Table
from projections.export_formats import About, json_value, write_csv_table, zip_member
from projections.figure_queries import AccountabilityFigures, figures_of
from projections.figure_tally import tallies
from projections.open_data_tables import (
    FIGURES,
    LICENCE,
    OPEN_DICTIONARY,
    PUBLISHED_CASES,
    PUBLISHED_STEPS,
    SCORECARDS,
    TABLES,
)
from projections.publication_queries import (
    MAX_PUBLISHED_PER_PAGE,
    PublicationFilter,
    PublishedCase,
    find_published,
)
from projections.scorecards import scorecards_of
from projections.views import Views


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


def data_years(c: Cursor, today: date) -> range:
    """The years with data: from the first case raised or meeting held to today's.

    Last year at least, so the last complete year is always there.
    """
    c.execute(
        "SELECT MIN(day) FROM (SELECT MIN(raised_on) AS day FROM cases "
        "UNION ALL SELECT MIN(held_on) FROM meetings) AS days"
    )
    first = c.fetchone()[0]
    earliest = int(first[:4]) if first else today.year
    return range(min(earliest, today.year - 1), today.year + 1)


# -- rows -------------------------------------------------------------------


def _rows(c: Cursor, today: date) -> dict[str, list[Row]]:
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
        # Counted once: the scorecards and the figures are of the same tallies.
        counted = tallies(c, start=period.start, end=period.end)
        for card in scorecards_of(counted, period):
            rows[SCORECARDS.name].append((*head, *astuple(card)))
        for code, tally in sorted(counted.items()):
            figures = figures_of(tally, period.start, period.end, code)
            rows[FIGURES.name].append((*head, code, *_scalars(figures)))
    return rows


def _published(c: Cursor) -> Iterator[PublishedCase]:
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
        "notes, documents, advocacy texts and institutions' answers are left out.\n"
        "The scorecards and yearly figures count every case and referral,\n"
        "published or not, as totals per municipality and year only.\n\n"
        "CSV: UTF-8 with a byte-order mark; several codes in a cell are separated\n"
        "by spaces; an empty cell has no value; a text beginning with = + - @ is\n"
        "written after an apostrophe. JSON: a list of objects keyed by column.\n"
        "Dates are YYYY-MM-DD, moments ISO 8601 in UTC. Figures are counted as\n"
        "of the period's end; the current year runs to the as-of day.\n"
    )
