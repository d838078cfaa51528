"""The accountability report: the §6 figures of a period, beside the previous one.

One report for one period and one municipality or all of them: the figures
(`projections.figure_queries`), the same figures for the previous period of
the same kind and the change between them, a table of each municipality's
figures, and the list of government responses (the substantive ones) dated
in the period. Every format of the report (JSON, CSV, XLSX, PDF, the web
page) is made from this one `AccountabilityReport`, and the JSON document
(`report_document`) names every figure as DESIGN.md §6 does.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, fields
from datetime import date, timedelta
from typing import Any, NamedTuple

from eventsourcing.sqlite import SQLiteCursor

from domain.errors import InvalidValue
from domain.reference import MUNICIPALITIES
from projections.figure_queries import AccountabilityFigures, figures_by_municipality
from tracker.store import EARLIEST_DAY

# What a report says about itself; the rest of a figures record is §6's.
_ABOUT = ("period_start", "period_end", "municipality")
FIGURE_NAMES: tuple[str, ...] = tuple(
    f.name for f in fields(AccountabilityFigures) if f.name not in _ABOUT
)
# The figures that are one number (the rest are counts by a code).
SCALAR_FIGURES: tuple[str, ...] = tuple(
    f.name
    for f in fields(AccountabilityFigures)
    if f.name not in _ABOUT and not str(f.type).startswith("dict")
)

Change = int | float | None | dict[str, int]


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


class GovernmentResponse(NamedTuple):
    """A substantive response: to which case, from which institution, when.

    A named tuple, not a dataclass: a country's year lists tens of thousands.
    """

    reference: str
    municipality: str
    institution_kind: str
    institution: str
    kind: str
    received_on: date


@dataclass(frozen=True)
class AccountabilityReport:
    """What the report says for a period and a place (None: every municipality)."""

    period: Period
    previous_period: Period
    municipality: str | None
    figures: AccountabilityFigures
    previous: AccountabilityFigures
    municipalities: tuple[AccountabilityFigures, ...]
    government_responses: tuple[GovernmentResponse, ...]

    def change(self) -> dict[str, Change]:
        """Each figure now minus the previous period's (None where either is)."""
        return {
            name: _difference(getattr(self.figures, name), getattr(self.previous, name))
            for name in FIGURE_NAMES
        }


def _difference(now: Any, before: Any) -> Change:
    if isinstance(now, dict):
        return {code: now.get(code, 0) - before.get(code, 0) for code in now | before}
    if now is None or before is None:
        return None
    difference: int | float = now - before
    return difference


# In the figures view's key order: by day, then case, then response id.
_GOVERNMENT_RESPONSES = (
    "SELECT reference, municipality, institution_kind, institution, kind, "
    "received_on FROM figure_responses "
    "WHERE received_on BETWEEN :start AND :end AND substantive "
    "AND (:municipality IS NULL OR municipality = :municipality) "
    "ORDER BY received_on, reference, response_id"
)


def accountability_report(
    c: SQLiteCursor, period: Period, *, municipality: str | None = None
) -> AccountabilityReport:
    """The report of a period for a municipality (None: all of them)."""
    figures, each = figures_by_municipality(
        c, start=period.start, end=period.end, municipality=municipality
    )
    before = period.previous()
    previous, _ = figures_by_municipality(
        c, start=before.start, end=before.end, municipality=municipality
    )
    c.execute(
        _GOVERNMENT_RESPONSES,
        {
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "municipality": municipality,
        },
    )
    responses = tuple(
        GovernmentResponse._make((*row[:5], date.fromisoformat(row[5])))
        for row in c.fetchall()
    )
    return AccountabilityReport(
        period=period,
        previous_period=before,
        municipality=municipality,
        figures=figures,
        previous=previous,
        municipalities=tuple(each[m.code] for m in MUNICIPALITIES if m.code in each),
        government_responses=responses,
    )


def report_document(report: AccountabilityReport) -> dict[str, Any]:
    """The report as JSON-ready data, each figure under its §6 name.

    The period's figures are at the top level; ``previous_period`` holds the
    previous period's, ``change`` the difference, ``municipalities`` a row
    of the one-number figures per municipality, and
    ``government_responses`` the list.
    """
    return {
        **_plain(report.figures),
        "previous_period": _plain(report.previous),
        "change": report.change(),
        "municipalities": [
            {name: value for name, value in _plain(row).items() if _one_number(name)}
            for row in report.municipalities
        ],
        "government_responses": [
            dict(
                zip(_RESPONSE_FIELDS, (*r[:5], r.received_on.isoformat()), strict=True)
            )
            for r in report.government_responses
        ],
    }


_RESPONSE_FIELDS = GovernmentResponse._fields


def _one_number(name: str) -> bool:
    return name == "municipality" or name in SCALAR_FIGURES


def _plain(figures: AccountabilityFigures) -> dict[str, Any]:
    return {
        "period_start": figures.period_start.isoformat(),
        "period_end": figures.period_end.isoformat(),
        "municipality": figures.municipality,
        **{name: getattr(figures, name) for name in FIGURE_NAMES},
    }
