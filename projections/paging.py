"""Lists a page at a time: one page type for every view's lists."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from projections.datastore import Cursor

PER_PAGE = 25
MAX_PER_PAGE = 200

R = TypeVar("R")


@dataclass(frozen=True)
class Page(Generic[R]):
    """One page of a filtered list, and how many rows match in all."""

    rows: tuple[R, ...]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        """How many pages the whole list takes."""
        return max(1, -(-self.total // self.per_page))


def bounded(page: int, per_page: int, most: int = MAX_PER_PAGE) -> tuple[int, int]:
    """A page number from 1 and a page size within 1..`most`."""
    return max(1, page), max(1, min(per_page, most))


class Where:
    """The conditions of a list query, with their bound values."""

    def __init__(self) -> None:
        self.clauses: list[str] = []
        self.params: list[object] = []

    def add(self, clause: str, *params: object) -> None:
        """One more condition, with the values its ``?`` marks stand for."""
        self.clauses.append(clause)
        self.params.extend(params)

    def any_of(self, column: str, values: tuple[str, ...]) -> None:
        """The column is one of the values (no condition when there are none)."""
        if values:
            self.add(f"{column} IN ({', '.join('?' for _ in values)})", *values)

    @property
    def sql(self) -> str:
        """The WHERE clause, or nothing."""
        return "WHERE " + " AND ".join(self.clauses) if self.clauses else ""


def fetch_page(
    c: Cursor,
    *,
    columns: str,
    source: str,
    where: Where,
    order: str,
    page: int,
    per_page: int,
    counted_in: str | None = None,
    most: int = MAX_PER_PAGE,
) -> tuple[list[Any], int, int, int]:
    """One page of rows, the total that match, and the page and size used.

    `counted_in`: a cheaper source that holds as many matching rows, to count;
    `most`: the largest page this list gives.
    """
    page, per_page = bounded(page, per_page, most)
    c.execute(f"SELECT COUNT(*) FROM {counted_in or source} {where.sql}", where.params)  # nosec B608
    total = int(c.fetchone()[0])
    c.execute(
        f"SELECT {columns} FROM {source} {where.sql} ORDER BY {order} LIMIT ? OFFSET ?",  # nosec B608
        (*where.params, per_page, (page - 1) * per_page),
    )
    return c.fetchall(), total, page, per_page
