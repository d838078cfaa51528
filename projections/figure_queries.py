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
  whose due date as of ``end`` is before ``end`` and with no substantive
  response dated on or before ``end``. The due date as of ``end`` is the
  one set by the last extension in effect by then (an extension takes the
  previous event's effective date), else the original one.
- ``commitments_made``: responses of kind ``commitment`` dated in the period;
  ``commitments_fulfilled``: of those, the ones whose last verification (in
  recorded order) dated on or before ``end`` says ``fulfilled``.
- Resolutions: every resolution dated in the period, so a case resolved,
  reopened and resolved again counts twice.
- Meetings held in the period, with their attendance as last counted.
- Counts by a code hold only the codes that occur (a missing code is 0).
- Medians of an empty set, and shares of a zero denominator, are ``None``.

Every figure is counted per municipality in one pass (`projections.figure_tally`);
the figures of several municipalities are counted from their tallies added
together, so a report's total and its per-municipality table agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from domain.reference import is_substantive
from projections.datastore import Cursor
from projections.figure_tally import Tally, combined, tallies


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


def accountability_figures(
    c: Cursor, *, start: date, end: date, municipality: str | None = None
) -> AccountabilityFigures:
    """The §6 figures for the period and municipality (None: all of them)."""
    counted = tallies(c, start=start, end=end, municipality=municipality)
    return figures_of(combined(counted.values()), start, end, municipality)


def figures_by_municipality(
    c: Cursor, *, start: date, end: date, municipality: str | None = None
) -> tuple[AccountabilityFigures, dict[str, AccountabilityFigures]]:
    """The figures of the place (None: all), and of each municipality in it.

    A municipality with nothing counted in the period is left out.
    """
    counted = tallies(c, start=start, end=end, municipality=municipality)
    each = {
        code: figures_of(tally, start, end, code)
        for code, tally in sorted(counted.items())
    }
    return figures_of(combined(counted.values()), start, end, municipality), each


def figures_of(
    tally: Tally, start: date, end: date, municipality: str | None
) -> AccountabilityFigures:
    """A tally's counts as the figures of a period and place."""
    responses = dict(sorted(tally.responses_by_kind.items()))
    return AccountabilityFigures(
        period_start=start,
        period_end=end,
        municipality=municipality,
        cases_raised=tally.cases_raised,
        cases_jointly_raised=tally.cases_jointly_raised,
        joint_share=_share(tally.cases_jointly_raised, tally.cases_raised),
        cases_by_category=_sorted(tally.cases_by_category),
        cases_by_status=_sorted(tally.cases_by_status),
        advocacy_actions=tally.advocacy_actions.total(),
        advocacy_actions_by_kind=_sorted(tally.advocacy_actions),
        referrals_made=tally.referrals_made,
        responses_received=sum(responses.values()),
        responses_by_kind=responses,
        government_responses=sum(
            n for kind, n in responses.items() if is_substantive(kind)
        ),
        response_rate=_share(tally.answered(), tally.referrals_made),
        median_days_to_first_response=tally.median_days(substantive=False),
        median_days_to_substantive_response=tally.median_days(substantive=True),
        overdue_referrals=tally.overdue_referrals,
        commitments_made=tally.commitments_made,
        commitments_fulfilled=tally.commitments_fulfilled,
        cases_resolved=tally.resolutions["resolved"],
        cases_partially_resolved=tally.resolutions["partially_resolved"],
        cases_unresolved=tally.resolutions["unresolved"],
        meetings_held=tally.meetings_held,
        meeting_attendance_total=tally.attendance_by_gender.total(),
        attendance_by_gender=_sorted(tally.attendance_by_gender),
        attendance_by_community=_sorted(tally.attendance_by_community),
    )


def _sorted(counts: dict[str, int]) -> dict[str, int]:
    """The codes that occur, in code order."""
    return {code: n for code, n in sorted(counts.items()) if n}


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None
