"""Municipal scorecards: Wilson intervals, and ranks only on ten referrals or more."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from projections.accountability import Period
from projections.figures import FiguresView
from projections.scorecards import (
    MIN_REFERRALS,
    competition_ranks,
    scorecards,
    wilson_interval,
)
from tests.projections.forum_year import accepted, refer, respond
from tests.stores import Store
from tracker.application import CaseTracker

YEAR = Period(date(2024, 1, 1), date(2024, 12, 31))


@pytest.mark.parametrize(
    ("successes", "trials", "low", "high"),
    [
        (0, 10, 0.0, 0.2775),
        (5, 10, 0.2366, 0.7634),
        (10, 10, 0.7225, 1.0),
        (81, 263, 0.2553, 0.3662),
        (1, 1, 0.2065, 1.0),
    ],
)
def test_the_wilson_interval_of_known_proportions(
    successes: int, trials: int, low: float, high: float
) -> None:
    interval = wilson_interval(successes, trials)
    assert interval is not None
    assert interval[0] == pytest.approx(low, abs=5e-5)
    assert interval[1] == pytest.approx(high, abs=5e-5)


def test_no_trials_have_no_interval() -> None:
    assert wilson_interval(0, 0) is None


def test_equal_figures_share_a_rank_and_the_next_skips() -> None:
    ranks = competition_ranks(
        {"A": 0.9, "B": 0.5, "C": 0.9, "D": 0.1, "E": None}, better=lambda a, b: a > b
    )
    assert ranks == {"A": 1, "C": 1, "B": 3, "D": 4}


def referrals(
    tracker: CaseTracker, municipality: str, made: int, answered: int, days: int
) -> None:
    """`made` referrals in 2024; the first `answered` get a policy change."""
    for number in range(made):
        case = accepted(tracker, municipality=municipality, raised_on=date(2024, 2, 1))
        sent_on = date(2024, 3, 1) + timedelta(days=number)
        referral = refer(tracker, case, sent_on, "general_request")
        if number < answered:
            respond(
                tracker, case, referral, sent_on + timedelta(days=days), "policy_change"
            )


def test_only_figures_on_ten_referrals_or_more_are_ranked(
    store: Store, tracker: CaseTracker, tmp_path: Path
) -> None:
    referrals(tracker, "STR", made=MIN_REFERRALS, answered=7, days=20)
    referrals(tracker, "GRA", made=MIN_REFERRALS - 1, answered=9, days=5)
    referrals(tracker, "VIT", made=12, answered=10, days=30)
    views = store.views(tracker, tmp_path / "views.sqlite3", kinds=[FiguresView])
    with views.reading() as c:
        listed = scorecards(c, YEAR)
    views.close()
    cards = {card.municipality: card for card in listed}
    assert len(cards) == 38
    vitina, strpce, gracanica = cards["VIT"], cards["STR"], cards["GRA"]
    assert (vitina.response_rate_rank, strpce.response_rate_rank) == (1, 2)
    assert gracanica.response_rate == 1.0
    assert gracanica.response_rate_rank is None  # 9 referrals: shown, not ranked
    assert (vitina.median_days_rank, strpce.median_days_rank) == (1, None)
    assert strpce.median_days_to_substantive_response == 20
    assert (strpce.response_rate_low, strpce.response_rate_high) == wilson_interval(
        7, 10
    )
    assert cards["PRI"].referrals_made == 0
    assert cards["PRI"].response_rate is None
    assert cards["PRI"].response_rate_low is None
    assert [card.municipality for card in listed[:2]] == ["VIT", "STR"]
