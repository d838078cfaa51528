"""How many cases each municipality has in each status.

Today this reads every case through the application's queries; issue 3's
tracked views will feed the same function without replaying the log.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from tracker.application import CaseTracker


def cases_by_municipality_and_status(
    tracker: CaseTracker, *, on: date | None = None
) -> dict[str, Counter[str]]:
    """Case counts by municipality code, then by status."""
    counts: dict[str, Counter[str]] = {}
    for view in tracker.cases(on=on):
        counts.setdefault(view.municipality, Counter())[view.status] += 1
    return counts
