"""The accountability figures (DESIGN.md §6), counted from the figures view.

For a period (both ends inclusive) and one municipality or all of them, as of
the period's end: anything dated after ``end`` does not count. Where §6 leaves
room, these are the definitions:

- ``cases_by_category`` and ``cases_by_status`` are over the cases raised in
  the period (their current category, their raised-on date as amended).
- A case's status as of ``end`` is its status after the last of its events, in
  recorded order, whose effective date is on or before ``end``. An event's
  effective date is the date it carries (action taken, referral sent, follow-up,
  response received, commitment verified, resolved, reopened) or else the
  previous event's; the submission's is the raised-on date (as amended). A
  deadline extension carries only the new due date, not the day it was
  granted, so it takes the previous event's date.
- A referral's first (substantive) response is its earliest-dated one;
  it counts only if dated on or before ``end``.
- ``overdue_referrals``: referrals sent on or before ``end``, in any period,
  whose current due date (after extensions) is before ``end`` and with no
  substantive response dated on or before ``end``.
- ``commitments_made``: responses of kind ``commitment`` dated in the period;
  ``commitments_fulfilled``: of those, the ones whose last verification (in
  recorded order) dated on or before ``end`` says ``fulfilled``.
- Resolutions: every resolution dated in the period, so a case resolved,
  reopened and resolved again counts twice.
- Meetings held in the period, with their attendance as last counted.
- Counts by a code hold only the codes that occur (a missing code is 0).
- Medians of an empty set, and shares of a zero denominator, are ``None``.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from eventsourcing.sqlite import SQLiteCursor

from domain.reference import is_substantive


@dataclass(frozen=True)
class AccountabilityFigures:
    """What the accountability report says for one period and place."""

    period_start: date
    period_end: date
    municipality: str | None
    cases_raised: int
    cases_jointly_raised: int
    joint_share: float | None
    cases_by_category: dict[str, int]
    cases_by_status: dict[str, int]
    advocacy_actions: int
    advocacy_actions_by_kind: dict[str, int]
    referrals_made: int
    responses_received: int
    responses_by_kind: dict[str, int]
    government_responses: int
    response_rate: float | None
    median_days_to_first_response: float | None
    median_days_to_substantive_response: float | None
    overdue_referrals: int
    commitments_made: int
    commitments_fulfilled: int
    cases_resolved: int
    cases_partially_resolved: int
    cases_unresolved: int
    meetings_held: int
    meeting_attendance_total: int
    attendance_by_gender: dict[str, int]
    attendance_by_community: dict[str, int]


# Rows of a table that belong to the report's municipality (all when None).
_PLACE = "(:municipality IS NULL OR municipality = :municipality)"
_IN_PERIOD = "BETWEEN :start AND :end"
_CASES = f"FROM figure_cases WHERE raised_on {_IN_PERIOD} AND {_PLACE}"
_STATUS_AT_END = (
    "SELECT s.status, COUNT(*) FROM figure_cases c JOIN figure_status_changes s "
    "ON s.case_id = c.case_id AND s.seq = (SELECT MAX(p.seq) "
    "FROM figure_status_changes p WHERE p.case_id = c.case_id "
    "AND p.effective_on <= :end) "
    f"WHERE c.raised_on {_IN_PERIOD} AND {_PLACE} GROUP BY s.status"
)
_REFERRALS = (
    "SELECT sent_on, first_response_on, first_substantive_response_on "
    f"FROM figure_referrals WHERE sent_on {_IN_PERIOD} AND {_PLACE}"
)
_OVERDUE = (
    "SELECT COUNT(*) FROM figure_referrals WHERE sent_on <= :end "
    "AND due_on < :end AND (first_substantive_response_on IS NULL "
    f"OR first_substantive_response_on > :end) AND {_PLACE}"
)
_COMMITMENTS = (
    "SELECT COUNT(*), COALESCE(SUM((SELECT v.status FROM figure_verifications v "
    "WHERE v.response_id = r.response_id AND v.verified_on <= :end "
    "ORDER BY v.seq DESC LIMIT 1) = 'fulfilled'), 0) FROM figure_responses r "
    f"WHERE r.kind = 'commitment' AND r.received_on {_IN_PERIOD} AND {_PLACE}"
)
_MEETINGS = f"FROM figure_meetings WHERE held_on {_IN_PERIOD} AND {_PLACE}"


def accountability_figures(
    c: SQLiteCursor, *, start: date, end: date, municipality: str | None = None
) -> AccountabilityFigures:
    """The §6 figures for the period and municipality (None: all of them)."""
    period = {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "municipality": municipality,
    }
    cases_raised = _one(c, f"SELECT COUNT(*) {_CASES}", period)
    jointly = _one(c, f"SELECT COUNT(*) {_CASES} AND communities >= 2", period)
    actions = _by_code(c, "figure_actions", "kind", "taken_on", period)
    responses = _by_code(c, "figure_responses", "kind", "received_on", period)
    resolutions = _by_code(c, "figure_resolutions", "outcome", "resolved_on", period)
    referrals = _referrals(c, period, end)
    answered = [r for r in referrals if r.substantive is not None]
    commitments_made, commitments_fulfilled = _pair(c, _COMMITMENTS, period)
    by_gender, by_community = _attendance(c, period)
    return AccountabilityFigures(
        period_start=start,
        period_end=end,
        municipality=municipality,
        cases_raised=cases_raised,
        cases_jointly_raised=jointly,
        joint_share=_share(jointly, cases_raised),
        cases_by_category=_grouped(
            c, f"SELECT category, COUNT(*) {_CASES} GROUP BY category", period
        ),
        cases_by_status=_grouped(c, _STATUS_AT_END, period),
        advocacy_actions=sum(actions.values()),
        advocacy_actions_by_kind=actions,
        referrals_made=len(referrals),
        responses_received=sum(responses.values()),
        responses_by_kind=responses,
        government_responses=sum(
            n for kind, n in responses.items() if is_substantive(kind)
        ),
        response_rate=_share(len(answered), len(referrals)),
        median_days_to_first_response=_median(r.first for r in referrals),
        median_days_to_substantive_response=_median(r.substantive for r in referrals),
        overdue_referrals=_one(c, _OVERDUE, period),
        commitments_made=commitments_made,
        commitments_fulfilled=commitments_fulfilled,
        cases_resolved=resolutions.get("resolved", 0),
        cases_partially_resolved=resolutions.get("partially_resolved", 0),
        cases_unresolved=resolutions.get("unresolved", 0),
        meetings_held=_one(c, f"SELECT COUNT(*) {_MEETINGS}", period),
        meeting_attendance_total=sum(by_gender.values()),
        attendance_by_gender=by_gender,
        attendance_by_community=by_community,
    )


@dataclass(frozen=True)
class _Referral:
    """Days from a referral's sending to its first and first substantive answer."""

    first: int | None
    substantive: int | None


def _referrals(c: SQLiteCursor, period: dict[str, Any], end: date) -> list[_Referral]:
    c.execute(_REFERRALS, period)
    return [
        _Referral(_days(r[0], r[1], end), _days(r[0], r[2], end)) for r in c.fetchall()
    ]


def _days(sent_on: str, answered_on: str | None, end: date) -> int | None:
    """Calendar days to an answer, if it came by the period's end."""
    if answered_on is None or date.fromisoformat(answered_on) > end:
        return None
    return (date.fromisoformat(answered_on) - date.fromisoformat(sent_on)).days


def _attendance(
    c: SQLiteCursor, period: dict[str, Any]
) -> tuple[dict[str, int], dict[str, int]]:
    meetings = f"SELECT meeting_id {_MEETINGS}"
    totals = (
        "SELECT {axis}, SUM(count) FROM figure_attendance "
        f"WHERE meeting_id IN ({meetings}) GROUP BY {{axis}}"
    )
    return (
        _grouped(c, totals.format(axis="gender"), period),
        _grouped(c, totals.format(axis="community"), period),
    )


def _by_code(
    c: SQLiteCursor, table: str, code: str, dated: str, period: dict[str, Any]
) -> dict[str, int]:
    """Rows of a table dated in the period, counted by a code column."""
    return _grouped(
        c,
        f"SELECT {code}, COUNT(*) FROM {table} "
        f"WHERE {dated} {_IN_PERIOD} AND {_PLACE} GROUP BY {code}",
        period,
    )


def _grouped(c: SQLiteCursor, sql: str, period: dict[str, Any]) -> dict[str, int]:
    c.execute(sql, period)
    return dict(sorted((str(r[0]), int(r[1])) for r in c.fetchall()))


def _one(c: SQLiteCursor, sql: str, period: dict[str, Any]) -> int:
    c.execute(sql, period)
    return int(c.fetchone()[0])


def _pair(c: SQLiteCursor, sql: str, period: dict[str, Any]) -> tuple[int, int]:
    c.execute(sql, period)
    row = c.fetchone()
    return int(row[0]), int(row[1])


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _median(days: Iterable[int | None]) -> float | None:
    known = [d for d in days if d is not None]
    return statistics.median(known) if known else None
