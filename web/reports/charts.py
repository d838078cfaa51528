"""The report's charts, as data: bars with their words, value and length.

The web page draws them as SVG and the PDF with its own lines and boxes,
both from these same `Chart` values, so the two show the same bars. A bar's
``length`` is its value over the chart's largest value (0 to 1), and each
bar carries its value written out, so a chart is readable as text alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from projections.accountability import AccountabilityReport
from web.reports.wording import (
    CODES,
    KINDS,
    SHARE,
    code_name,
    figure_name,
    figure_value,
)


@dataclass(frozen=True)
class Bar:
    """One bar: what it counts, how many, and its length against the longest."""

    label: str
    value: float
    text: str
    length: float


@dataclass(frozen=True)
class Chart:
    """A titled set of bars; ``figure`` is the §6 name it draws."""

    figure: str
    title: str
    bars: tuple[Bar, ...]


def bars(
    named_values: list[tuple[str, float, str]], *, largest: float | None = None
) -> tuple[Bar, ...]:
    """Bars for (label, value, value as written), scaled to the largest.

    ``largest`` sets the full length instead (1 for shares: a full bar is 100%).
    """
    if largest is None:
        largest = max((value for _, value, _ in named_values), default=0)
    return tuple(
        Bar(label, value, text, value / largest if largest else 0.0)
        for label, value, text in named_values
    )


def report_charts(report: AccountabilityReport) -> tuple[Chart, ...]:
    """A chart of each figure counted by code, largest count first.

    A figure with nothing counted in the period has no chart.
    """
    charts = []
    for figure in CODES:
        counts: dict[str, int] = getattr(report.figures, figure)
        ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        if not ordered:
            continue
        charts.append(
            Chart(
                figure=figure,
                title=figure_name(figure),
                bars=bars(
                    [
                        (code_name(figure, code), n, figure_value(figure, n))
                        for code, n in ordered
                    ]
                ),
            )
        )
    return tuple(charts)


def municipality_chart(
    report: AccountabilityReport, figure: str, names: dict[str, str]
) -> Chart | None:
    """One one-number figure across the report's municipalities (None if unknown).

    ``names`` gives each municipality's name in the report's language. A
    share's bars are drawn against 100%, not against the largest share.
    """
    values = [
        (names[row.municipality or ""], getattr(row, figure))
        for row in report.municipalities
    ]
    known = [(name, value) for name, value in values if value is not None]
    if not known:
        return None
    return Chart(
        figure=figure,
        title=figure_name(figure),
        bars=bars(
            [(name, v, figure_value(figure, v)) for name, v in known],
            largest=1.0 if KINDS[figure] == SHARE else None,
        ),
    )
