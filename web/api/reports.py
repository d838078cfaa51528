"""The accountability report as JSON, for programs (DESIGN.md §6's field names).

Any account may read it: it holds counts, case references and the names of
institutions, nothing about people. A secretary limited to some
municipalities asks for one of theirs.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from projections.accountability import Period, read_report, report_document
from web.access import READ
from web.api.auth import caller, require_municipality, requires
from web.api.errors import refuse
from web.api.resources import resource
from web.api.schemas.reports import ReportQuerySchema, ReportSchema
from web.services import services

reports = resource(
    "Reports", "/reports", "The accountability report: DESIGN.md §6's figures."
)


@reports.route("/accountability")
@requires(READ)
@reports.arguments(ReportQuerySchema, location="query", as_kwargs=True)
@reports.response(200, ReportSchema)
@reports.doc(
    summary="The accountability report of a year or a period",
    description="Give `year` (the current year: to date), or `start` and "
    "`end` (they win over `year`); neither: last year until March, then "
    "this year. Every figure is counted as of the "
    "period's end. The top level holds the period's figures; "
    "`previous_period` the same figures for the period before (the same "
    "days a year earlier for a year), `change` the difference, "
    "`municipalities` each municipality's one-number figures and "
    "`government_responses` the substantive responses dated in the period.",
)
def accountability(
    year: int | None = None,
    start: date | None = None,
    end: date | None = None,
    municipality: str | None = None,
) -> dict[str, Any]:
    """The report for the period and the municipality (none: every one)."""
    period = Period.asked(today=services().today(), year=year, start=start, end=end)
    if municipality is not None:
        require_municipality(municipality)
    elif caller().municipalities:
        refuse(422, errors=[("municipality", "choose one of your municipalities")])
    report = read_report(services().views, period, municipality=municipality)
    return report_document(report)
