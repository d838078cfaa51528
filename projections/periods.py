"""Periods a report counts: checked, asked for, and the period before.

Every figure is counted as of a period's last day, so a period that runs
past today ends today. `Period.asked` is how the web, the API and the
command line turn what people ask for into a period.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from domain.errors import InvalidValue
from tracker.store import EARLIEST_DAY


@dataclass(frozen=True)
class Period:
    """Days from ``start`` to ``end``, both included."""

    start: date
    end: date

    @classmethod
    def year(cls, number: int, *, today: date) -> Period:
        """A calendar year; the current one up to today."""
        if not EARLIEST_DAY.year <= number <= today.year:
            raise InvalidValue(
                f"the year must be from {EARLIEST_DAY.year} to {today.year}",
                field="year",
            )
        return cls.between(date(number, 1, 1), date(number, 12, 31), today=today)

    @classmethod
    def between(cls, start: date, end: date, *, today: date) -> Period:
        """A period, checked; one that runs past today ends today.

        Figures are counted as of the period's end, and what has not
        happened yet cannot be counted: a referral due next week is not
        overdue yet.
        """
        if end < start:
            raise InvalidValue("the period ends before it starts", field="end")
        if start < EARLIEST_DAY:
            raise InvalidValue(
                f"the period cannot start before {EARLIEST_DAY.isoformat()}",
                field="start",
            )
        if start > today:
            raise InvalidValue("the period has not begun yet", field="start")
        return cls(start, min(end, today))

    @classmethod
    def asked(
        cls,
        *,
        today: date,
        year: int | None = None,
        start: date | None = None,
        end: date | None = None,
    ) -> Period:
        """The period asked for: the days if either is given (both must be),
        else the year, else `default_year`. The web, the API and the command
        line all ask this way.
        """
        if start is not None and end is not None:
            return cls.between(start, end, today=today)
        if start is not None or end is not None:
            raise IncompletePeriod(
                "give both the first and the last day of the period",
                field="end" if end is None else "start",
            )
        return cls.year(default_year(today) if year is None else year, today=today)

    def previous(self) -> Period:
        """The period before, of the same kind.

        The same number of whole months before for a period of whole months
        (a year, a half, a quarter, a month); the same days a year earlier
        for a year to date (from 1 January, within one year); else as many
        days, ending the day before this one starts.
        """
        start, end = self.start, self.end
        if start.day == 1 and end.day == calendar.monthrange(end.year, end.month)[1]:
            months = (end.year - start.year) * 12 + end.month - start.month + 1
            return Period(_months_back(start, months), start - timedelta(days=1))
        if (start.month, start.day) == (1, 1) and end.year == start.year:
            return Period(_months_back(start, 12), _months_back(end, 12))
        length = end - start + timedelta(days=1)
        return Period(start - length, start - timedelta(days=1))


class IncompletePeriod(InvalidValue):
    """One day of a period was given without the other."""


def default_year(today: date) -> int:
    """The year a report is of unless one is asked: last year until March.

    In January and February this year has too little to say, and last
    year's report is the one being written for donors.
    """
    return today.year - 1 if today.month < 3 else today.year


def _months_back(day: date, months: int) -> date:
    """The same day ``months`` months earlier (the month's last day if shorter)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
