"""Reading the case list: filters, pages, and one case's row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from eventsourcing.sqlite import SQLiteCursor

from projections.paging import PER_PAGE, Page, bounded


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


_COLUMNS = (
    "case_id, reference, municipality, year, category, communities, "
    "jointly_raised, title, status, priority, raised_on, open_referrals, "
    "next_due_on, very_overdue_on, published, last_activity_at, version"
)


def find_cases(
    c: SQLiteCursor,
    wanted: CaseFilter,
    *,
    today: date,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> Page[CaseRow]:
    """The cases matching the filter, newest raised first, one page of them."""
    page, per_page = bounded(page, per_page)
    where, params = _where(wanted, today)
    c.execute(f"SELECT COUNT(*) FROM cases {where}", params)
    total = int(c.fetchone()[0])
    c.execute(
        f"SELECT {_COLUMNS} FROM cases {where} "
        "ORDER BY raised_on DESC, reference DESC LIMIT ? OFFSET ?",
        (*params, per_page, (page - 1) * per_page),
    )
    rows = tuple(_row(r, today) for r in c.fetchall())
    return Page(rows, total, page, per_page)


def case_row(c: SQLiteCursor, case_id: str, *, today: date) -> CaseRow | None:
    """One case's row, by id (hex) or reference."""
    c.execute(
        f"SELECT {_COLUMNS} FROM cases WHERE case_id = ? OR reference = ?",
        (case_id, case_id),
    )
    found = c.fetchone()
    return _row(found, today) if found else None


def _where(wanted: CaseFilter, today: date) -> tuple[str, list[object]]:
    clauses: list[str] = []
    params: list[object] = []
    if wanted.municipalities:
        marks = ", ".join("?" for _ in wanted.municipalities)
        clauses.append(f"municipality IN ({marks})")
        params.extend(wanted.municipalities)
    for column in ("status", "category", "year"):
        value = getattr(wanted, column)
        if value is not None:
            clauses.append(f"{column} = ?")
            params.append(value)
    if wanted.community is not None:
        clauses.append(
            "case_id IN (SELECT case_id FROM case_communities WHERE community = ?)"
        )
        params.append(wanted.community)
    if wanted.overdue is not None:
        clauses.append(
            "next_due_on < ?"
            if wanted.overdue
            else "(next_due_on IS NULL OR next_due_on >= ?)"
        )
        params.append(today.isoformat())
    if wanted.published is not None:
        clauses.append("published = ?")
        params.append(int(wanted.published))
    return ("WHERE " + " AND ".join(clauses) if clauses else ""), params


def _row(r: Any, today: date) -> CaseRow:
    next_due = date.fromisoformat(r["next_due_on"]) if r["next_due_on"] else None
    very = date.fromisoformat(r["very_overdue_on"]) if r["very_overdue_on"] else None
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
    )
