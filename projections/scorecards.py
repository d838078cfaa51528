"""Municipal scorecards: how each municipality answered the forums' referrals.

For a period, each of the 38 municipalities gets its response rate (with a
95% Wilson interval), its median days to a substantive answer and its
overdue referrals, all as DESIGN.md §6 defines them (they are read from the
same tallies as the accountability report). A figure is ranked only where it
rests on at least `MIN_REFERRALS` referrals: the rate on the referrals made
in the period, the median on those of them that got a substantive answer.
Ranks are competition ranks: equal figures share a rank, and the next rank
skips as many places ("1, 2, 2, 4").
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace

from domain.reference import MUNICIPALITIES
from projections.accountability import Period
from projections.datastore import Cursor
from projections.figure_queries import figures_of
from projections.figure_tally import Tally, tallies

# A figure resting on fewer referrals than this is shown but not ranked.
MIN_REFERRALS = 10
# The normal quantile of a two-sided 95% interval.
Z_95 = 1.959963984540054


def wilson_interval(successes: int, trials: int) -> tuple[float, float] | None:
    """The 95% Wilson score interval of a proportion; None for no trials."""
    if trials == 0:
        return None
    p, n, z2 = successes / trials, trials, Z_95 * Z_95
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = Z_95 * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True)
class Scorecard:
    """One municipality's answers to referrals made in a period."""

    municipality: str
    referrals_made: int
    referrals_answered: int
    response_rate: float | None
    response_rate_low: float | None
    response_rate_high: float | None
    median_days_to_substantive_response: float | None
    overdue_referrals: int
    response_rate_rank: int | None
    median_days_rank: int | None


def scorecards(c: Cursor, period: Period) -> list[Scorecard]:
    """Every municipality's scorecard for the period, best response rate first.

    Ranked municipalities come first, in rank order; the others follow in
    the reference order of municipalities.
    """
    return scorecards_of(tallies(c, start=period.start, end=period.end), period)


def scorecards_of(counted: dict[str, Tally], period: Period) -> list[Scorecard]:
    """The scorecards of municipalities' tallies for the period (see `scorecards`)."""
    cards = [
        _card(m.code, counted.get(m.code, Tally()), period) for m in MUNICIPALITIES
    ]
    rate_ranks = competition_ranks(
        {s.municipality: s.response_rate for s in cards if _rated(s)},
        better=lambda a, b: a > b,
    )
    day_ranks = competition_ranks(
        {
            s.municipality: s.median_days_to_substantive_response
            for s in cards
            if s.referrals_answered >= MIN_REFERRALS
        },
        better=lambda a, b: a < b,
    )
    ranked = [
        replace(
            s,
            response_rate_rank=rate_ranks.get(s.municipality),
            median_days_rank=day_ranks.get(s.municipality),
        )
        for s in cards
    ]
    order = {m.code: i for i, m in enumerate(MUNICIPALITIES)}
    return sorted(
        ranked,
        key=lambda s: (
            s.response_rate_rank is None,
            s.response_rate_rank or 0,
            order[s.municipality],
        ),
    )


def _rated(card: Scorecard) -> bool:
    return card.referrals_made >= MIN_REFERRALS


def _card(code: str, tally: Tally, period: Period) -> Scorecard:
    figures = figures_of(tally, period.start, period.end, code)
    answered = tally.answered()
    interval = wilson_interval(answered, figures.referrals_made)
    return Scorecard(
        municipality=code,
        referrals_made=figures.referrals_made,
        referrals_answered=answered,
        response_rate=figures.response_rate,
        response_rate_low=interval[0] if interval else None,
        response_rate_high=interval[1] if interval else None,
        median_days_to_substantive_response=figures.median_days_to_substantive_response,
        overdue_referrals=figures.overdue_referrals,
        response_rate_rank=None,
        median_days_rank=None,
    )


def competition_ranks(
    values: dict[str, float | None], *, better: Callable[[float, float], bool]
) -> dict[str, int]:
    """Each key's rank: 1 + how many others have a better value ("1, 2, 2, 4")."""
    known = {key: value for key, value in values.items() if value is not None}
    return {
        key: 1 + sum(1 for other in known.values() if better(other, value))
        for key, value in known.items()
    }
