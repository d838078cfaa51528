"""Reading published cases: filtered lists, pages, and one case.

Everything here reads the ``publications`` table of `PublicationsView`
alone, which holds only what a coordinator published.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from projections.datastore import Cursor
from projections.paging import PER_PAGE, Page, Where, fetch_page
from projections.publications import PublicationsView

# The largest page of published cases a list gives (Open311 asks up to 1000).
MAX_PUBLISHED_PER_PAGE = 1000


@dataclass(frozen=True)
class Step:
    """One dated step on a published case's timeline."""

    on: date
    # The event's name: "Submitted", "Referred", "ResponseReceived", ...
    step: str
    # Its code, where it has one: the kind of action or response, the outcome.
    kind: str | None


@dataclass(frozen=True)
class PublishedCase:
    """A case as the public may see it; None for a field not published."""

    case_id: str
    reference: str
    raised_on: date
    fields: tuple[str, ...]
    title: str | None
    description: str | None
    category: str | None
    communities: tuple[str, ...] | None
    municipality: str | None
    location: str | None
    status: str | None
    timeline: tuple[Step, ...] | None
    responses: tuple[Step, ...] | None
    published_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class PublicationFilter:
    """What a list of published cases is narrowed to; every field is optional.

    A case whose municipality, category or status is not published matches
    no filter on it.
    """

    references: tuple[str, ...] = ()
    municipalities: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    raised_from: date | None = None
    raised_until: date | None = None


_COLUMNS = ", ".join(PublicationsView.public_columns)


def find_published(
    c: Cursor,
    wanted: PublicationFilter,
    *,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> Page[PublishedCase]:
    """The published cases matching the filter, newest raised first, one page."""
    rows, total, page, per_page = fetch_page(
        c, columns=_COLUMNS, source="publications", where=_where(wanted),
        order="raised_on DESC, reference DESC", page=page, per_page=per_page,
        most=MAX_PUBLISHED_PER_PAGE,
    )  # fmt: skip
    return Page(tuple(_published(r) for r in rows), total, page, per_page)


def published_case(c: Cursor, reference: str) -> PublishedCase | None:
    """One published case by its reference; None if it is not published."""
    c.execute(f"SELECT {_COLUMNS} FROM publications WHERE reference = ?", (reference,))  # nosec B608
    found = c.fetchone()
    return _published(found) if found else None


def _where(wanted: PublicationFilter) -> Where:
    where = Where()
    where.any_of("reference", wanted.references)
    where.any_of("municipality", wanted.municipalities)
    where.any_of("category", wanted.categories)
    where.any_of("status", wanted.statuses)
    if wanted.raised_from is not None:
        where.add("raised_on >= ?", wanted.raised_from.isoformat())
    if wanted.raised_until is not None:
        where.add("raised_on <= ?", wanted.raised_until.isoformat())
    return where


def _published(r: Any) -> PublishedCase:
    return PublishedCase(
        case_id=r["case_id"],
        reference=r["reference"],
        raised_on=date.fromisoformat(r["raised_on"]),
        fields=tuple(r["fields"].split()),
        title=r["title"],
        description=r["description"],
        category=r["category"],
        communities=None
        if r["communities"] is None
        else tuple(r["communities"].split()),
        municipality=r["municipality"],
        location=r["location"],
        status=r["status"],
        timeline=_steps(r["timeline"]),
        responses=_steps(r["responses"]),
        published_at=datetime.fromisoformat(r["published_at"]),
        updated_at=datetime.fromisoformat(r["updated_at"]),
    )


def _steps(text: str | None) -> tuple[Step, ...] | None:
    if text is None:
        return None
    return tuple(
        Step(date.fromisoformat(on), step, kind) for on, step, kind in json.loads(text)
    )
