"""The portal's scorecards: a year's municipalities, their rates as words and bars.

The year defaults to the last complete one; the current year, to date, may
be chosen, and so may any year from the first with data. A rate is written
with its 95% Wilson interval ("62% (41–79%)") and drawn as an interval bar;
a rank is shown only where the scorecard gives one (at least
`MIN_REFERRALS` referrals), else a note says why not.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import LazyString, format_percent
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from wtforms import SelectField

from projections.accountability import Period
from projections.open_data import data_years
from projections.scorecards import MIN_REFERRALS, Scorecard, scorecards
from web.form_base import Form
from web.reports.wording import figure_value
from web.services import services

TOO_FEW_REFERRALS = _l("Too few referrals to rank")
TOO_FEW_ANSWERS = _l("Too few answered referrals to rank")


class YearChoice(Form):
    """Which year's scorecards to show (GET: the URL can be shared)."""

    class Meta:
        csrf = False

    year = SelectField(_l("Year"))

    def offer(self, years: range, today: date) -> YearChoice:
        """The years with data, newest first; this year is marked as to date."""
        self.year.choices = [
            (str(y), _l("%(year)s (to date)", year=y) if y == today.year else str(y))
            for y in reversed(years)
        ]
        return self


@dataclass(frozen=True)
class IntervalBar:
    """A rate and its interval on a 0–100 scale, for the SVG drawn beside it."""

    low: float
    high: float
    rate: float

    @property
    def width(self) -> float:
        """How wide the interval is drawn."""
        return round(self.high - self.low, 2)


@dataclass(frozen=True)
class ScorecardRow:
    """One municipality's scorecard, its figures written out."""

    card: Scorecard
    rate: str | LazyString
    bar: IntervalBar | None
    median_days: str
    rate_rank: str | LazyString
    days_rank: str | LazyString


def scorecard_page(args: MultiDict[str, str]) -> tuple[dict[str, Any], int]:
    """What the scorecards page shows for these query arguments, and its status."""
    today = services().today()
    with services().views.reading() as c:
        years = data_years(c, today)
        form = YearChoice(formdata=args, year=str(today.year - 1)).offer(years, today)
        page: dict[str, Any] = {"form": form, "min_referrals": MIN_REFERRALS}
        if not form.validate():
            return {**page, "rows": None}, 400
        period = Period.year(int(form.year.data), today=today)
        cards = scorecards(c, period)
    return {
        **page,
        "rows": [scorecard_row(card) for card in cards],
        "period": period,
        "to_date": period.end == today,
    }, 200


def scorecard_row(card: Scorecard) -> ScorecardRow:
    """A scorecard's figures as the page writes them."""
    return ScorecardRow(
        card=card,
        rate=rate_text(card),
        bar=_bar(card),
        median_days=figure_value(
            "median_days_to_substantive_response",
            card.median_days_to_substantive_response,
        ),
        rate_rank=_rank(card.response_rate_rank, TOO_FEW_REFERRALS),
        days_rank=_rank(card.median_days_rank, TOO_FEW_ANSWERS),
    )


def rate_text(card: Scorecard) -> str | LazyString:
    """ "62% (41–79%)": the response rate and its 95% interval, or "no referrals"."""
    if card.response_rate is None:
        return _l("no referrals")
    return _l(
        "%(rate)s (%(low)s–%(high)s)",
        rate=percent(card.response_rate),
        low=percent(card.response_rate_low),
        high=percent(card.response_rate_high),
    )


def percent(share: float | None) -> str:
    """A share as a whole percentage in the reader's language."""
    return str(format_percent(share or 0.0, "#,##0%"))


def _bar(card: Scorecard) -> IntervalBar | None:
    if card.response_rate is None:
        return None
    return IntervalBar(
        low=round((card.response_rate_low or 0.0) * 100, 2),
        high=round((card.response_rate_high or 0.0) * 100, 2),
        rate=round(card.response_rate * 100, 2),
    )


def _rank(rank: int | None, unranked: LazyString) -> str | LazyString:
    return unranked if rank is None else str(rank)
