"""Lists a page at a time: one page type for every view's lists."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

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


def bounded(page: int, per_page: int) -> tuple[int, int]:
    """A page number from 1 and a page size within 1..MAX_PER_PAGE."""
    return max(1, page), max(1, min(per_page, MAX_PER_PAGE))
