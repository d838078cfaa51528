"""The accountability report as HTML: the web page's report and the standalone file.

Both are rendered from one Jinja partial (``reports/report.html``) in the
language the report is made in (`web.reports.rendering.in_language`). The
standalone file carries its styles inline and links to nothing, so it opens
the same from a USB stick as from the server; it needs no request, so the
CLI can write it too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from flask import render_template
from markupsafe import Markup

from domain.reference import municipality
from projections.accountability import SCALAR_FIGURES, AccountabilityReport, Change
from web import i18n
from web.reports import wording
from web.reports.charts import municipality_chart, report_charts
from web.reports.svg import svg_chart
from web.reports.wording import (
    CODES,
    SECTIONS,
    change_value,
    code_name,
    figure_name,
    figure_value,
)

# The one-number figures charted across the municipalities.
MUNICIPALITY_CHARTS = ("cases_raised", "government_responses", "response_rate")
STYLE_SHEET = Path(__file__).parent.parent / "static" / "style.css"
CaseLink = Callable[[str], str]


@dataclass(frozen=True)
class FigureRow:
    """One line of the figures table; ``code`` is set on a line of one code."""

    figure: str
    name: str
    now: str
    before: str
    change: str
    code: str | None = None


@dataclass(frozen=True)
class Section:
    """A titled group of figures (`wording.SECTIONS`) with the charts of its own."""

    title: str
    rows: tuple[FigureRow, ...]
    charts: tuple[Markup, ...]


@dataclass(frozen=True)
class MunicipalityRow:
    """One municipality's one-number figures, as written, in `SCALAR_FIGURES` order."""

    code: str
    name: str
    values: tuple[str, ...]


def report_sections(report: AccountabilityReport) -> tuple[Section, ...]:
    """Every §6 figure, now, before and the change, grouped as the report shows them."""
    changes = report.change()
    drawn = {
        chart.figure: svg_chart(chart, f"chart-{chart.figure}")
        for chart in report_charts(report)
    }
    return tuple(
        Section(
            str(title),
            tuple(row for name in names for row in figure_rows(report, name, changes)),
            tuple(drawn[name] for name in names if name in drawn),
        )
        for title, names in SECTIONS
    )


def figure_rows(
    report: AccountabilityReport, figure: str, changes: dict[str, Change]
) -> tuple[FigureRow, ...]:
    """A figure's line; for one counted by code, a line per code under its name."""
    now, before, change = (
        getattr(report.figures, figure),
        getattr(report.previous, figure),
        changes[figure],
    )
    name = figure_name(figure)
    if figure not in CODES:
        return (
            FigureRow(
                figure,
                name,
                figure_value(figure, now),
                figure_value(figure, before),
                change_value(figure, change if not isinstance(change, dict) else None),
            ),
        )
    codes = sorted(
        now.keys() | before.keys(),
        key=lambda code: (-now.get(code, 0), code),  # as `report_charts` orders
    )
    if not codes:
        nothing = figure_value(figure, 0)
        return (FigureRow(figure, name, nothing, nothing, change_value(figure, 0)),)
    counted = change if isinstance(change, dict) else {}
    return (
        FigureRow(figure, name, "", "", ""),
        *(
            FigureRow(
                figure,
                code_name(figure, code),
                figure_value(figure, now.get(code, 0)),
                figure_value(figure, before.get(code, 0)),
                change_value(figure, counted.get(code, 0)),
                code=code,
            )
            for code in codes
        ),
    )


def municipality_rows(report: AccountabilityReport) -> tuple[MunicipalityRow, ...]:
    """Each municipality of the report with its one-number figures written out."""
    language = i18n.language()
    return tuple(
        MunicipalityRow(
            code=row.municipality or "",
            name=municipality(row.municipality or "").name(language),
            values=tuple(
                figure_value(name, getattr(row, name)) for name in SCALAR_FIGURES
            ),
        )
        for row in report.municipalities
        if row.municipality
    )


def municipality_charts_drawn(report: AccountabilityReport) -> tuple[Markup, ...]:
    """A chart per `MUNICIPALITY_CHARTS` figure across the municipalities, drawn."""
    names = {row.code: row.name for row in municipality_rows(report)}
    charts = (
        municipality_chart(report, figure, names) for figure in MUNICIPALITY_CHARTS
    )
    return tuple(
        svg_chart(chart, f"chart-municipalities-{chart.figure}")
        for chart in charts
        if chart is not None
    )


def report_content(
    report: AccountabilityReport, *, case_link: CaseLink | None = None, level: int = 2
) -> Markup:
    """The report's body in the current language; ``level``: its title's heading.

    ``case_link`` gives a case's address for the list of responses (none:
    the references are plain text, as in a file read away from the server).
    """
    html = render_template("reports/report.html", **_content(report, case_link, level))
    # Rendered by Jinja, autoescaped.
    return Markup(html)  # noqa: S704  # nosec B704


def _content(
    report: AccountabilityReport, case_link: CaseLink | None, level: int
) -> dict[str, Any]:
    place = (
        municipality(report.municipality).name(i18n.language())
        if report.municipality
        else str(wording.ALL_MUNICIPALITIES)
    )
    by_municipality = report.municipality is None
    return {
        "report": report,
        "wording": wording,
        "place": place,
        "sections": report_sections(report),
        "by_municipality": by_municipality,
        "columns": tuple(figure_name(name) for name in SCALAR_FIGURES),
        "municipalities": municipality_rows(report) if by_municipality else (),
        "municipality_charts": (
            municipality_charts_drawn(report) if by_municipality else ()
        ),
        "case_link": case_link,
        "level": level,
    }


def standalone_page(report: AccountabilityReport) -> str:
    """The report as one self-contained HTML document in the current language."""
    return render_template(
        "reports/standalone.html",
        # Our own style sheet.
        style=Markup(_style_sheet()),  # noqa: S704  # nosec B704
        **_content(report, None, 1),
    )


@cache
def _style_sheet() -> str:
    """The web page's style sheet, inlined in the standalone file."""
    return STYLE_SHEET.read_text(encoding="utf-8")
