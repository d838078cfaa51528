"""The report's charts drawn as SVG: horizontal bars, readable without a script.

Each chart is an ``<svg role="img">`` named by its own ``<title>`` and
described, bar by bar, by its ``<desc>``, so a screen reader reads every
value; each bar's words and value are drawn as text beside it, so a printout
in black and white says as much as the screen. Sizes are in viewBox units:
the chart scales to its column and prints the same on any page.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from web.reports.charts import Bar, Chart

WIDTH = 640
LABEL_RIGHT = 212  # where a bar's words end (they are right-aligned)
BAR_LEFT = 220
BAR_SPACE = 330  # the longest bar; its value is written after it
TITLE_HEIGHT = 30
TITLE_SIZE = 15
TITLE_CHARACTERS = 75
ROW = 38
BAR_HEIGHT = 20
FONT_SIZE = 13
LINE_HEIGHT = 15
# About this many characters of 13-unit text fit the words' 212 units.
LINE_CHARACTERS = 30
INK, BAR_COLOUR, AXIS = "#1a1a1a", "#0b4f8a", "#8a8a8a"


def label_lines(label: str, width: int = LINE_CHARACTERS) -> tuple[str, ...]:
    """A bar's words on at most two lines, the second cut with "…" if too long."""
    lines: list[str] = []
    current = ""
    for word in label.split():
        while len(word) > width:  # a word longer than a line is cut
            if current:
                lines.append(current)
                current = ""
            lines.append(word[: width - 1] + "-")
            word = word[width - 1 :]
        joined = f"{current} {word}" if current else word
        if len(joined) <= width:
            current = joined
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    if len(lines) <= 2:
        return tuple(lines)
    return lines[0], _cut(" ".join(lines[1:]), width)


def _cut(text: str, width: int) -> str:
    """The text, cut to ``width`` characters with "…" if it is longer."""
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def svg_chart(chart: Chart, chart_id: str) -> Markup:
    """The chart as an inline SVG element; ``chart_id`` must be unique on the page."""
    height = TITLE_HEIGHT + ROW * len(chart.bars) + 8
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    described = "; ".join(f"{bar.label}: {bar.text}" for bar in chart.bars)
    rows = "".join(_bar(bar, index) for index, bar in enumerate(chart.bars))
    return Markup(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        'viewBox="0 0 {width} {height}" width="100%" '
        'aria-labelledby="{title_id} {desc_id}" id="{chart_id}">'
        '<title id="{title_id}">{title}</title><desc id="{desc_id}">{desc}</desc>'
        "<g font-family=\"system-ui, 'Segoe UI', Roboto, 'Noto Sans', sans-serif\" "
        'font-size="{font}" fill="{ink}">'
        '<text x="0" y="{title_y}" font-size="{title_size}" font-weight="700">'
        "{shown_title}</text>{rows}</g>"
        '<line x1="{left}" y1="{top}" x2="{left}" y2="{height}" stroke="{axis}"/>'
        "</svg>"
    ).format(
        width=WIDTH,
        height=height,
        title_id=title_id,
        desc_id=desc_id,
        chart_id=chart_id,
        title=chart.title,
        title_y=TITLE_SIZE + 2,
        title_size=TITLE_SIZE,
        shown_title=_cut(chart.title, TITLE_CHARACTERS),
        top=TITLE_HEIGHT,
        desc=described,
        font=FONT_SIZE,
        ink=INK,
        # Every part is escaped in _bar.
        rows=Markup(rows),  # noqa: S704  # nosec B704
        left=BAR_LEFT,
        axis=AXIS,
    )


def _bar(bar: Bar, index: int) -> str:
    """One row: the words (wrapped), the bar, and the value written after it."""
    top = TITLE_HEIGHT + ROW * index + 4
    middle = top + ROW / 2
    lines = label_lines(bar.label)
    first = middle - (len(lines) - 1) * LINE_HEIGHT / 2 + FONT_SIZE / 3
    words = "".join(
        f'<tspan x="{LABEL_RIGHT}" y="{first + n * LINE_HEIGHT:g}">'
        f"{escape(line)}</tspan>"
        for n, line in enumerate(lines)
    )
    length = max(bar.length * BAR_SPACE, 1.0) if bar.value else 0.0
    return (
        f"<g><title>{escape(bar.label)}: {escape(bar.text)}</title>"
        f'<text text-anchor="end">{words}</text>'
        f'<rect x="{BAR_LEFT}" y="{middle - BAR_HEIGHT / 2:g}" width="{length:.1f}" '
        f'height="{BAR_HEIGHT}" fill="{BAR_COLOUR}"/>'
        f'<text x="{BAR_LEFT + length + 6:.1f}" y="{middle + FONT_SIZE / 3:g}">'
        f"{escape(bar.text)}</text></g>"
    )
