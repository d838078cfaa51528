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

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, fields
from typing import Any, NamedTuple

from domain.reference import MUNICIPALITIES
from projections.datastore import Cursor
from projections.figure_queries import (
    AccountabilityFigures,
    figures_by_municipality,
    figures_of,
)
from projections.figure_tally import Tally, combined, tallies
from projections.periods import IncompletePeriod as IncompletePeriod
from projections.periods import Period as Period
from projections.periods import default_year as default_year
from projections.views import Views

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


class GovernmentResponse(NamedTuple):
    """A substantive response: to which case, from which institution, when.

    A named tuple, not a dataclass: a country's year lists tens of thousands.
    """

    reference: str
    municipality: str
    institution_kind: str
    institution: str
    kind: str
    # A day as YYYY-MM-DD: a country's year lists tens of thousands of
    # responses, and the JSON writes them as read.
    received_on: str


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
    "WHERE received_on BETWEEN :start AND :end AND substantive = 1 "
    "AND (CAST(:municipality AS TEXT) IS NULL OR municipality = :municipality) "
    "ORDER BY received_on, reference, response_id"
)


def accountability_report(
    c: Cursor, period: Period, *, municipality: str | None = None
) -> AccountabilityReport:
    """The report of a period for a municipality (None: all of them)."""
    before = period.previous()
    return _assembled(
        c, period, municipality, lambda: _tallies(c, before, municipality)
    )


def read_report(
    views: Views, period: Period, *, municipality: str | None = None
) -> AccountabilityReport:
    """The same report, its previous period counted at the same time.

    The two periods' figures take about as long each: the previous one is
    counted on a second connection, in another thread (SQLite lets a query
    run while the other thread's does). It must read what the first
    connection reads: both note where the views stand in the event log, and
    if a write came between them, the previous period is counted again on
    the first connection.
    """
    before = period.previous()

    def elsewhere() -> tuple[tuple[Any, ...], dict[str, Tally]]:
        with views.datastore.transaction(commit=False) as other:
            return views_position(other), _tallies(other, before, municipality)

    with views.reading() as c, ThreadPoolExecutor(1) as pool:
        counting = pool.submit(elsewhere)
        seen = views_position(c)

        def counted_before() -> dict[str, Tally]:
            seen_there, counted = counting.result()
            if seen_there == seen:
                return counted
            return _tallies(c, before, municipality)

        return _assembled(c, period, municipality, counted_before)


def _tallies(c: Cursor, period: Period, municipality: str | None) -> dict[str, Tally]:
    return tallies(c, start=period.start, end=period.end, municipality=municipality)


def views_position(c: Cursor) -> tuple[Any, ...]:
    """Where every view stands in the event log, as this transaction sees it."""
    c.execute("SELECT application_name, notification_id FROM tracking ORDER BY 1")
    return tuple(tuple(row) for row in c.fetchall())


def _assembled(
    c: Cursor,
    period: Period,
    municipality: str | None,
    counted_before: Callable[[], dict[str, Tally]],
) -> AccountabilityReport:
    """The report, from this period's figures and the previous period's tallies."""
    figures, each = figures_by_municipality(
        c, start=period.start, end=period.end, municipality=municipality
    )
    c.execute(
        _GOVERNMENT_RESPONSES,
        {
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "municipality": municipality,
        },
    )
    responses = tuple(map(GovernmentResponse._make, c.fetchall()))
    before = period.previous()
    previous = figures_of(
        combined(counted_before().values()), before.start, before.end, municipality
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
            dict(zip(_RESPONSE_FIELDS, r, strict=True))
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
