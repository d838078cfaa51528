"""The counts behind the accountability figures, per municipality, in one pass.

Each query of the figures view groups by municipality, so a report for all
municipalities, its per-municipality table and a scorecard cost the same
queries as one municipality's figures. A `Tally` holds one municipality's
counts, and the day counts of its referrals (medians cannot be added, the
days they are taken over can); tallies add up to a larger place's.

The definitions are those documented in `projections.figure_queries`.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from projections.datastore import Cursor
from projections.dialect import Dialect

# Rows of a table that belong to the report's municipality (all when None).
_PLACE = "(CAST(:municipality AS TEXT) IS NULL OR {m}municipality = :municipality)"
_IN_PERIOD = "BETWEEN :start AND :end"


@dataclass
class Tally:
    """One place's counts for a period; tallies of places add up."""

    cases_raised: int = 0
    cases_jointly_raised: int = 0
    cases_by_category: Counter[str] = field(default_factory=Counter)
    cases_by_status: Counter[str] = field(default_factory=Counter)
    advocacy_actions: Counter[str] = field(default_factory=Counter)
    referrals_made: int = 0
    # Calendar days from sending to the first (substantive) answer, for the
    # referrals made in the period that had one by its end.
    days_to_first: list[int] = field(default_factory=list)
    days_to_substantive: list[int] = field(default_factory=list)
    responses_by_kind: Counter[str] = field(default_factory=Counter)
    overdue_referrals: int = 0
    commitments_made: int = 0
    commitments_fulfilled: int = 0
    resolutions: Counter[str] = field(default_factory=Counter)
    meetings_held: int = 0
    attendance_by_gender: Counter[str] = field(default_factory=Counter)
    attendance_by_community: Counter[str] = field(default_factory=Counter)

    def add(self, other: Tally) -> None:
        """Count another place's tally in this one."""
        self.cases_raised += other.cases_raised
        self.cases_jointly_raised += other.cases_jointly_raised
        self.referrals_made += other.referrals_made
        self.days_to_first.extend(other.days_to_first)
        self.days_to_substantive.extend(other.days_to_substantive)
        self.overdue_referrals += other.overdue_referrals
        self.commitments_made += other.commitments_made
        self.commitments_fulfilled += other.commitments_fulfilled
        self.meetings_held += other.meetings_held
        for name in _COUNTERS:
            getattr(self, name).update(getattr(other, name))

    def answered(self) -> int:
        """Referrals made in the period with a substantive answer by its end."""
        return len(self.days_to_substantive)

    def median_days(self, *, substantive: bool) -> float | None:
        """Median days to the first (substantive) answer; None if none came."""
        days = self.days_to_substantive if substantive else self.days_to_first
        return statistics.median(days) if days else None


_COUNTERS = (
    "cases_by_category",
    "cases_by_status",
    "advocacy_actions",
    "responses_by_kind",
    "resolutions",
    "attendance_by_gender",
    "attendance_by_community",
)


def combined(tallies: Iterable[Tally]) -> Tally:
    """The tallies of several places as one place's."""
    total = Tally()
    for tally in tallies:
        total.add(tally)
    return total


# Reads a query's rows into the tallies of their municipalities (column 0).
Reader = Callable[[Tally, tuple[Any, ...]], None]


def _cases(tally: Tally, row: tuple[Any, ...]) -> None:
    _, category, jointly, status, count = row
    tally.cases_raised += count
    tally.cases_jointly_raised += count if jointly else 0
    tally.cases_by_category[category] += count
    tally.cases_by_status[status] += count


def _referrals(tally: Tally, row: tuple[Any, ...]) -> None:
    _, made, first, substantive = row
    tally.referrals_made += made
    tally.days_to_first.extend(_numbers(first))
    tally.days_to_substantive.extend(_numbers(substantive))


def _numbers(listed: str | None) -> list[int]:
    """The whole numbers of a joined list (None: there were none)."""
    return [int(n) for n in listed.split(",")] if listed else []


def _commitments(tally: Tally, row: tuple[Any, ...]) -> None:
    tally.commitments_made += row[1]
    tally.commitments_fulfilled += row[2]


def _attendance(tally: Tally, row: tuple[Any, ...]) -> None:
    _, gender, community, count = row
    tally.attendance_by_gender[gender] += count
    tally.attendance_by_community[community] += count


def _counted(name: str) -> Reader:
    """Adds ``(municipality, code, count)`` rows to one of a tally's counters."""

    def read(tally: Tally, row: tuple[Any, ...]) -> None:
        getattr(tally, name)[row[1]] += row[2]

    return read


def _number(name: str) -> Reader:
    """Adds ``(municipality, count)`` rows to one of a tally's numbers."""

    def read(tally: Tally, row: tuple[Any, ...]) -> None:
        setattr(tally, name, getattr(tally, name) + row[1])

    return read


def _dated(table: str, code: str, dated: str) -> str:
    """Rows of a table dated in the period, by municipality and a code column."""
    return (
        f"SELECT municipality, {code}, COUNT(*) FROM {table} "  # nosec B608
        f"WHERE {dated} {_IN_PERIOD} AND {_PLACE.format(m='')} "
        f"GROUP BY municipality, {code}"
    )


# The cases raised in the period, with each one's status as of the end: its
# current one if nothing it records is dated later, else the one after its
# last event dated by the end.
_CASES = (
    "SELECT c.municipality, c.category, "
    "CASE WHEN c.communities >= 2 THEN 1 ELSE 0 END, "  # nosec B608
    "CASE WHEN c.latest_on <= :end THEN c.status ELSE ("
    "SELECT s.status FROM figure_status_changes s WHERE s.case_id = c.case_id "
    "AND s.effective_on <= :end ORDER BY s.seq DESC LIMIT 1) END, COUNT(*) "
    f"FROM figure_cases c WHERE c.raised_on {_IN_PERIOD} "
    f"AND {_PLACE.format(m='c.')} GROUP BY 1, 2, 3, 4"
)


def _days_to(dialect: Dialect, answer: str) -> str:
    """Calendar days from sending to an answer, if it came by the period's end."""
    days = dialect.days_between(answer, "sent_on")
    return dialect.joined(f"CASE WHEN {answer} <= :end THEN {days} END")


def _referrals_sql(dialect: Dialect) -> str:
    """Per municipality: the referrals made, and the days each took to its first
    (substantive) answer, listed in one text each (far fewer rows to read).
    """
    return (
        f"SELECT municipality, COUNT(*), "  # nosec B608
        f"{_days_to(dialect, 'first_response_on')}, "
        f"{_days_to(dialect, 'first_substantive_response_on')} "
        f"FROM figure_referrals WHERE sent_on {_IN_PERIOD} "
        f"AND {_PLACE.format(m='')} GROUP BY municipality"
    )


# A referral's due date as of the end: its current one unless an extension
# takes effect after the end, then the last one in effect by the end.
_DUE_AT_END = (
    "CASE WHEN r.extended_on IS NULL OR r.extended_on <= :end THEN r.due_on ELSE ("
    "SELECT d.due_on FROM figure_deadlines d WHERE d.referral_id = r.referral_id "
    "AND d.effective_on <= :end ORDER BY d.seq DESC LIMIT 1) END"
)
_OVERDUE = (
    "SELECT r.municipality, COUNT(*) FROM figure_referrals r "  # nosec B608
    f"WHERE r.sent_on <= :end AND {_DUE_AT_END} < :end "
    "AND (r.first_substantive_response_on IS NULL "
    f"OR r.first_substantive_response_on > :end) AND {_PLACE.format(m='r.')} "
    "GROUP BY r.municipality"
)
_COMMITMENTS = (
    "SELECT municipality, COUNT(*), COALESCE(SUM(CASE WHEN (SELECT v.status "  # nosec B608
    "FROM figure_verifications v WHERE v.response_id = r.response_id "
    "AND v.verified_on <= :end ORDER BY v.seq DESC LIMIT 1) = 'fulfilled' "
    "THEN 1 ELSE 0 END), 0) "
    "FROM figure_responses r WHERE r.kind = 'commitment' "
    f"AND r.received_on {_IN_PERIOD} AND {_PLACE.format(m='')} GROUP BY municipality"
)
_MEETINGS = (
    "SELECT municipality, COUNT(*) FROM figure_meetings "  # nosec B608
    f"WHERE held_on {_IN_PERIOD} AND {_PLACE.format(m='')} GROUP BY municipality"
)
_ATTENDANCE = (
    "SELECT m.municipality, a.gender, a.community, SUM(a.count) "  # nosec B608
    "FROM figure_attendance a JOIN figure_meetings m USING (meeting_id) "
    f"WHERE m.held_on {_IN_PERIOD} AND {_PLACE.format(m='m.')} "
    "GROUP BY m.municipality, a.gender, a.community"
)


def tallies(
    c: Cursor, *, start: date, end: date, municipality: str | None = None
) -> dict[str, Tally]:
    """Each municipality's counts for the period (only the place, if given)."""
    period = {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "municipality": municipality,
    }
    queries: list[tuple[str, Reader]] = [
        (_CASES, _cases),
        (_dated("figure_actions", "kind", "taken_on"), _counted("advocacy_actions")),
        (_referrals_sql(c.dialect), _referrals),
        (
            _dated("figure_responses", "kind", "received_on"),
            _counted("responses_by_kind"),
        ),
        (_OVERDUE, _number("overdue_referrals")),
        (_COMMITMENTS, _commitments),
        (
            _dated("figure_resolutions", "outcome", "resolved_on"),
            _counted("resolutions"),
        ),
        (_MEETINGS, _number("meetings_held")),
        (_ATTENDANCE, _attendance),
    ]
    counted: defaultdict[str, Tally] = defaultdict(Tally)
    for sql, read in queries:
        c.execute(sql, period)
        for row in c.fetchall():
            read(counted[str(row[0])], row)
    return dict(counted)
