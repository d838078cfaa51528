"""How many cases each municipality has in each status, from the case list."""

from __future__ import annotations

from collections import Counter

from projections.views import Views


def cases_by_municipality_and_status(views: Views) -> dict[str, Counter[str]]:
    """Case counts by municipality code, then by status."""
    counts: dict[str, Counter[str]] = {}
    with views.reading() as c:
        c.execute(
            "SELECT municipality, status, COUNT(*) FROM cases "
            "GROUP BY municipality, status ORDER BY municipality"
        )
        for municipality, status, count in c.fetchall():
            counts.setdefault(municipality, Counter())[status] = count
    return counts
