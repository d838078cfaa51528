"""The PDF report's bar charts, municipality tables and government responses.

The charts are `web.reports.charts`' bars, the web page's own, drawn as
boxes. The municipality tables are turned on their side, a row per
one-number figure and a column per municipality, six municipalities a
table, so all 38 fit on portrait pages with readable names.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

from domain.reference import MUNICIPALITIES
from projections.accountability import (
    SCALAR_FIGURES,
    AccountabilityReport,
    GovernmentResponse,
)
from web import i18n
from web.labels import label
from web.reports.charts import Chart
from web.reports.pdf_layout import REGULAR, ReportPdf
from web.reports.pdf_table import PAD, Column, Table
from web.reports.wording import (
    BY_MUNICIPALITY,
    CASE,
    FIGURE,
    GOVERNMENT_RESPONSES,
    INSTITUTION,
    MUNICIPALITY,
    NO_RESPONSES,
    NOTHING,
    RECEIVED_ON,
    RESPONSE_KIND,
    SECTIONS,
    figure_name,
    figure_value,
)

BAR_ROW = 5.0  # mm per bar
BAR_LABEL_WIDTH = 55.0
BAR_VALUE_WIDTH = 22.0
BAR_BLUE = (46, 109, 164)
SMALL = 8.0  # pt: the long tables
FIGURE_WIDTH = 60.0
PER_TABLE = 6  # municipalities side by side
# In the order of the report's sections.
ONE_NUMBER_FIGURES: tuple[str, ...] = tuple(
    name for _, names in SECTIONS for name in names if name in SCALAR_FIGURES
)


def municipality_names() -> dict[str, str]:
    """Each municipality's code and its name in the report's language."""
    language = i18n.language()
    return {m.code: m.name(language) for m in MUNICIPALITIES}


def bar_chart(pdf: ReportPdf, chart: Chart) -> None:
    """A chart's title and its bars, each with its words and value."""
    pdf.keep(15 + len(chart.bars) * BAR_ROW)
    pdf.heading(chart.title, size=10.5)
    pdf.use_font(REGULAR, 8.5)
    span = pdf.epw - BAR_LABEL_WIDTH - BAR_VALUE_WIDTH
    for bar in chart.bars:
        if pdf.will_page_break(BAR_ROW):
            pdf.add_page()
        baseline = pdf.y + 0.5 * BAR_ROW + 0.3 * pdf.font_size
        left = pdf.l_margin + BAR_LABEL_WIDTH
        length = max(0.0, min(bar.length, 1.0)) * span
        if length > 0:
            pdf.set_fill_color(*BAR_BLUE)
            pdf.rect(left, pdf.y + 0.9, length, BAR_ROW - 1.8, "F")
            pdf.set_fill_color(0)
        label_words = pdf.fit(bar.label, BAR_LABEL_WIDTH - PAD)
        value = pdf.fit(bar.text, BAR_VALUE_WIDTH - PAD)
        pdf.show(
            [
                (pdf.l_margin, baseline, label_words),
                (left + length + PAD, baseline, value),
            ]
        )
        pdf.y += BAR_ROW
    pdf.ln(2)


def municipality_tables(
    pdf: ReportPdf, report: AccountabilityReport, names: dict[str, str]
) -> None:
    """Every one-number figure of each municipality, six municipalities a table."""
    pdf.heading(str(BY_MUNICIPALITY))
    if not report.municipalities:
        pdf.paragraph(str(NOTHING))
        return
    width = (pdf.epw - FIGURE_WIDTH) / PER_TABLE
    for first in range(0, len(report.municipalities), PER_TABLE):
        places = report.municipalities[first : first + PER_TABLE]
        columns = [Column(str(FIGURE), FIGURE_WIDTH)] + [
            Column(names.get(place.municipality or "", ""), width, "R")
            for place in places
        ]
        rows = [
            [figure_name(name)]
            + [figure_value(name, getattr(place, name)) for place in places]
            for name in ONE_NUMBER_FIGURES
        ]
        table = Table(pdf, columns, size=SMALL, keep_with=rows)
        for row in rows:
            table.row(row)
        table.rule()
        pdf.ln(4)


def government_responses(
    pdf: ReportPdf, report: AccountabilityReport, names: dict[str, str]
) -> None:
    """The substantive responses of the period: case, place, institution, kind, date."""
    pdf.heading(str(GOVERNMENT_RESPONSES))
    if not report.government_responses:
        pdf.paragraph(str(NO_RESPONSES))
        return
    table = Table(
        pdf,
        [
            Column(str(CASE), 24.0),
            Column(str(MUNICIPALITY), 30.0),
            Column(str(INSTITUTION), 72.0),
            Column(str(RESPONSE_KIND), 31.0),
            Column(str(RECEIVED_ON), 23.0, "R"),
        ],
        size=SMALL,
    )
    for cells in _response_rows(report.government_responses, names):
        table.row(cells)
    table.rule()


def _response_rows(
    responses: tuple[GovernmentResponse, ...], names: dict[str, str]
) -> Iterator[list[str]]:
    # A year of a country has ~20,000 responses from a few hundred
    # institutions: each one's words are made once.
    @cache
    def institution(kind: str, name: str) -> str:
        kind_words = label("institution_kinds", kind)
        return f"{kind_words}: {name}" if name and name != kind_words else kind_words

    @cache
    def response_kind(kind: str) -> str:
        return label("response_kinds", kind)

    @cache
    def day(received_on: str) -> str:
        return i18n.day(received_on)

    for response in responses:
        yield [
            response.reference,
            names.get(response.municipality, response.municipality),
            institution(response.institution_kind, response.institution),
            response_kind(response.kind),
            day(response.received_on),
        ]
