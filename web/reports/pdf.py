"""The accountability report as a printable A4 PDF, in the report's language.

Made inside `web.reports.rendering.in_language`, so every word, number and
date is the report's language. In order: the title and the periods, every
§6 figure by section (this period, the previous one, the change; figures
counted by code as indented rows of their codes), the bar charts, each
municipality's one-number figures, the government responses, and how the
figures are counted.
"""

from __future__ import annotations

from projections.accountability import AccountabilityReport, Change, Period
from web import i18n
from web.reports.charts import report_charts
from web.reports.pdf_layout import BOLD, FAMILY, ReportPdf
from web.reports.pdf_sections import (
    bar_chart,
    government_responses,
    municipality_names,
    municipality_tables,
)
from web.reports.pdf_table import Column, Table
from web.reports.wording import (
    ALL_MUNICIPALITIES,
    CHANGE,
    FIGURE,
    HOW_COUNTED,
    PERIOD,
    PREVIOUS_PERIOD,
    SECTIONS,
    THIS_PERIOD,
    TITLE,
    change_value,
    code_name,
    figure_name,
    figure_value,
)

CREATOR = "CFPI Case Tracker"
INDENT = 5.0  # mm: a code's row under its figure


def write_pdf(report: AccountabilityReport) -> bytes:
    """The report as an A4 PDF in the current (the report's) language."""
    names = municipality_names()
    title = report_title(report, names)
    pdf = ReportPdf()
    pdf.set_title(title)
    pdf.set_lang(i18n.html_lang())
    pdf.set_subject(f"{PERIOD}: {period_words(report.period)}")
    pdf.set_creator(CREATOR)
    pdf.add_page()
    _title_block(pdf, report, title)
    _figures_table(pdf, report)
    for chart in report_charts(report):
        bar_chart(pdf, chart)
    municipality_tables(pdf, report, names)
    government_responses(pdf, report, names)
    pdf.ln(4)
    pdf.paragraph(str(HOW_COUNTED), size=8.5, italic=True)
    return bytes(pdf.output())


def report_title(report: AccountabilityReport, names: dict[str, str]) -> str:
    """The report's title: its name and the municipality's (or all of them)."""
    place = names[report.municipality] if report.municipality else ALL_MUNICIPALITIES
    return f"{TITLE} \u2014 {place}"


def period_words(period: Period) -> str:
    """A period as its first and last days, written in the report's language."""
    return f"{i18n.day(period.start)} \u2013 {i18n.day(period.end)}"


def _title_block(pdf: ReportPdf, report: AccountabilityReport, title: str) -> None:
    pdf.set_font(FAMILY, BOLD, 18)
    pdf.multi_cell(0, 8, title, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    pdf.paragraph(f"{PERIOD}: {period_words(report.period)}", size=10.5)
    pdf.paragraph(
        f"{PREVIOUS_PERIOD}: {period_words(report.previous_period)}", size=10.5
    )
    pdf.ln(3)


_FIGURE_COLUMNS = ((FIGURE, 87.0, "L"), (THIS_PERIOD, 31.0, "R"))
_BEFORE_COLUMNS = ((PREVIOUS_PERIOD, 31.0, "R"), (CHANGE, 31.0, "R"))


def _figures_table(pdf: ReportPdf, report: AccountabilityReport) -> None:
    columns = [
        Column(str(title), width, align)
        for title, width, align in _FIGURE_COLUMNS + _BEFORE_COLUMNS
    ]
    changes = report.change()
    for section, figures in SECTIONS:
        rows = [row for name in figures for row in _rows(report, name, changes[name])]
        heading = [str(section), "", "", ""]
        # A section is kept on one page when it fits on one.
        table = Table(pdf, columns, keep_with=[heading] + [cells for cells, _ in rows])
        table.row(heading, bold=True)
        for cells, indent in rows:
            table.row(cells, indent=indent, max_lines=3)
        table.rule()
        pdf.ln(3)


def _rows(
    report: AccountabilityReport, name: str, change: Change
) -> list[tuple[list[str], float]]:
    """A figure's row, and a row for each code of a figure counted by code."""
    now, before = getattr(report.figures, name), getattr(report.previous, name)
    if not isinstance(change, dict):
        return [(_row(name, figure_name(name), now, before, change), 0.0)]
    # Counted by code: the total, then each code, the largest first.
    total = _row(
        name,
        figure_name(name),
        sum(now.values()),
        sum(before.values()),
        sum(change.values()),
    )
    codes = sorted(
        change, key=lambda code: (-now.get(code, 0), -before.get(code, 0), code)
    )
    return [(total, 0.0)] + [
        (
            _row(
                name,
                code_name(name, code),
                now.get(code, 0),
                before.get(code, 0),
                change[code],
            ),
            INDENT,
        )
        for code in codes
    ]


def _row(
    name: str,
    words: str,
    now: float | None,
    before: float | None,
    change: float | None,
) -> list[str]:
    return [
        words,
        figure_value(name, now),
        figure_value(name, before),
        change_value(name, change),
    ]
