"""Reading the case list: filters, pages, and one case's row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from domain.case_rules import CLOSED_STATUSES
from projections.datastore import Cursor, stored_day
from projections.paging import PER_PAGE, Page, Where, fetch_page


@dataclass(frozen=True)
class CaseRow:
    """One case as the list shows it."""

    case_id: str
    reference: str
    municipality: str
    year: int
    category: str
    communities: tuple[str, ...]
    jointly_raised: bool
    title: str
    status: str
    priority: str | None
    raised_on: date
    open_referrals: int
    next_due_on: date | None
    overdue: bool
    very_overdue: bool
    published: bool
    last_activity_at: str
    version: int
    accepted_at: str | None
    first_action_on: date | None
    first_referral_on: date | None
    first_response_on: date | None
    first_substantive_response_on: date | None
    resolved_on: date | None
    reopened_on: date | None


@dataclass(frozen=True)
class CaseFilter:
    """What a case list is narrowed to; every field is optional."""

    municipalities: tuple[str, ...] = ()
    status: str | None = None
    category: str | None = None
    community: str | None = None
    year: int | None = None
    overdue: bool | None = None
    published: bool | None = None
    # Only cases not yet closed (not declined, duplicate or resolved).
    open: bool = False
    # Only these cases (ids in hex): a search's matches, say.
    case_ids: tuple[str, ...] = ()


_COLUMNS = ", ".join(
    f"cases.{column}"
    for column in (
        "case_id", "reference", "municipality", "year", "category", "communities",
        "jointly_raised", "title", "status", "priority", "raised_on",
        "open_referrals", "next_due_on", "very_overdue_on", "published",
        "last_activity_at", "version", "accepted_at", "first_action_on",
        "first_referral_on", "first_response_on", "first_substantive_response_on",
        "resolved_on", "reopened_on",
    )
)  # fmt: skip
# Newest raised first. A list by community is read in this order from
# ``case_communities``, which keeps each case's raised-on date and reference.
_ORDER = "{t}.raised_on DESC, {t}.reference DESC"
_BY_COMMUNITY = "case_communities {join} cases USING (case_id)"


def find_cases(
    c: Cursor,
    wanted: CaseFilter,
    *,
    today: date,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> Page[CaseRow]:
    """The cases matching the filter, newest raised first, one page of them."""
    table = "cases" if wanted.community is None else "case_communities"
    by_community = _BY_COMMUNITY.format(join=c.dialect.join_in_order)
    only_community = wanted == CaseFilter(community=wanted.community)
    rows, total, page, per_page = fetch_page(
        c, columns=_COLUMNS, source="cases" if table == "cases" else by_community,
        where=_where(wanted, today), order=_ORDER.format(t=table), page=page,
        per_page=per_page, counted_in=table if only_community else None,
    )  # fmt: skip
    return Page(tuple(_row(r, today) for r in rows), total, page, per_page)


def recent_cases(
    c: Cursor, *, municipalities: tuple[str, ...], today: date, limit: int
) -> tuple[CaseRow, ...]:
    """The cases something happened to last, latest first."""
    where = Where()
    where.any_of("cases.municipality", municipalities)
    c.execute(
        f"SELECT {_COLUMNS} FROM cases {where.sql} "  # nosec B608
        "ORDER BY cases.last_activity_at DESC LIMIT ?",
        (*where.params, limit),
    )
    return tuple(_row(r, today) for r in c.fetchall())


def case_row(c: Cursor, case_id: str, *, today: date) -> CaseRow | None:
    """One case's row, by id (hex) or reference."""
    c.execute(
        f"SELECT {_COLUMNS} FROM cases WHERE case_id = ? OR reference = ?",  # nosec B608
        (case_id, case_id),
    )
    found = c.fetchone()
    return _row(found, today) if found else None


def _where(wanted: CaseFilter, today: date) -> Where:
    where = Where()
    if wanted.community is not None:
        where.add("case_communities.community = ?", wanted.community)
    where.any_of("cases.municipality", wanted.municipalities)
    where.any_of("cases.case_id", wanted.case_ids)
    for column in ("status", "category"):
        value = getattr(wanted, column)
        if value is not None:
            where.add(f"cases.{column} = ?", value)
    if wanted.year is not None:
        # A range of raised-on dates, which the list's indexes are ordered by.
        where.add(
            "cases.raised_on BETWEEN ? AND ?",
            date(wanted.year, 1, 1).isoformat(),
            date(wanted.year, 12, 31).isoformat(),
        )
    if wanted.overdue is not None:
        where.add(
            "cases.next_due_on < ?"
            if wanted.overdue
            else "(cases.next_due_on IS NULL OR cases.next_due_on >= ?)",
            today.isoformat(),
        )
    if wanted.published is not None:
        where.add("cases.published = ?", int(wanted.published))
    if wanted.open:
        marks = ", ".join("?" for _ in CLOSED_STATUSES)
        where.add(f"cases.status NOT IN ({marks})", *CLOSED_STATUSES)
    return where


def _row(r: Any, today: date) -> CaseRow:
    next_due, very = stored_day(r["next_due_on"]), stored_day(r["very_overdue_on"])
    return CaseRow(
        case_id=r["case_id"],
        reference=r["reference"],
        municipality=r["municipality"],
        year=r["year"],
        category=r["category"],
        communities=tuple(r["communities"].split()),
        jointly_raised=bool(r["jointly_raised"]),
        title=r["title"],
        status=r["status"],
        priority=r["priority"],
        raised_on=date.fromisoformat(r["raised_on"]),
        open_referrals=r["open_referrals"],
        next_due_on=next_due,
        overdue=next_due is not None and next_due < today,
        very_overdue=very is not None and very <= today,
        published=bool(r["published"]),
        last_activity_at=r["last_activity_at"],
        version=r["version"],
        accepted_at=r["accepted_at"],
        first_action_on=stored_day(r["first_action_on"]),
        first_referral_on=stored_day(r["first_referral_on"]),
        first_response_on=stored_day(r["first_response_on"]),
        first_substantive_response_on=stored_day(r["first_substantive_response_on"]),
        resolved_on=stored_day(r["resolved_on"]),
        reopened_on=stored_day(r["reopened_on"]),
    )
