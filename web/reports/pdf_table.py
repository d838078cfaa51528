"""A table in the PDF report: a heading row, repeated atop each page, and rows.

Each cell's text wraps at spaces within its column, up to a number of
lines, the last cut short with an ellipsis if need be; a row is as tall
as its tallest cell.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from web.reports.pdf_layout import BODY_SIZE, BOLD, REGULAR, ReportPdf

PAD = 1.2  # mm between a column's edge and its text
RULE_GREY = 160
HEAD_GREY = 235
HEAD_LINES = 3
# A cell's lines, each as its number and the PDF text object around its
# baseline's height: "BT <x> ", the height, " Td (<words>) Tj ET".
_Cell = tuple[tuple[int, str, str], ...]


@dataclass(frozen=True)
class Column:
    """A table's column: its heading, width in mm, and alignment (L or R)."""

    title: str
    width: float
    align: str = "L"


class Table:
    """Rows under a heading row, a new page (and heading) when the page is full."""

    def __init__(
        self,
        pdf: ReportPdf,
        columns: Sequence[Column],
        *,
        size: float = BODY_SIZE,
        keep_with: Sequence[Sequence[str]] = (),
    ) -> None:
        """Draw the heading row, on a new page unless it fits with ``keep_with``.

        The rows in ``keep_with`` are only measured; if they take more than a
        page, three lines are enough.
        """
        self.pdf, self.columns, self.size = pdf, columns, size
        self.line = size * 0.42
        self.width = sum(column.width for column in columns)
        self._titles = [column.title for column in columns]
        self._laid_out: dict[tuple[int, str, float, int, str], _Cell] = {}
        together = sum(self.row_height(cells) for cells in keep_with)
        pdf.keep(self._head_height() + max(together, 3 * self.line))
        self._draw_head()

    def row_height(
        self, cells: Sequence[str], *, indent: float = 0.0, max_lines: int = 2
    ) -> float:
        """How tall a row is (in the regular style)."""
        self.pdf.use_font(REGULAR, self.size)
        return self._height(self._cells(cells, indent, max_lines))

    def row(
        self,
        cells: Sequence[str],
        *,
        indent: float = 0.0,
        bold: bool = False,
        max_lines: int = 2,
    ) -> None:
        """One row, its first cell ``indent`` mm in, on a new page if need be."""
        style = BOLD if bold else REGULAR
        self.pdf.use_font(style, self.size)
        laid_out = self._cells(cells, indent, max_lines)
        height = self._height(laid_out)
        if self.pdf.will_page_break(height):
            self.pdf.add_page()
            self._draw_head()
            self.pdf.use_font(style, self.size)
        self._draw(laid_out, height)

    def rule(self) -> None:
        """A thin line across the table, under the last row."""
        pdf = self.pdf
        pdf.set_draw_color(RULE_GREY)
        pdf.set_line_width(0.2)
        pdf.line(pdf.l_margin, pdf.y, pdf.l_margin + self.width, pdf.y)
        pdf.set_draw_color(0)

    def _head_height(self) -> float:
        self.pdf.use_font(BOLD, self.size)
        return self._height(self._cells(self._titles, 0.0, HEAD_LINES))

    def _draw_head(self) -> None:
        pdf = self.pdf
        height = self._head_height()
        pdf.set_fill_color(HEAD_GREY)
        pdf.rect(pdf.l_margin, pdf.y, self.width, height, "F")
        pdf.set_fill_color(0)
        self._draw(self._cells(self._titles, 0.0, HEAD_LINES), height)

    def _cells(
        self, cells: Sequence[str], indent: float, max_lines: int
    ) -> list[_Cell]:
        style = self.pdf.font_style
        laid_out = []
        for i, text in enumerate(cells):
            key = (i, style, indent if i == 0 else 0.0, max_lines, text)
            cell = self._laid_out.get(key)
            if cell is None:
                cell = self._laid_out[key] = self._lay_out(*key)
            laid_out.append(cell)
        return laid_out

    def _lay_out(
        self, i: int, style: str, indent: float, max_lines: int, text: str
    ) -> _Cell:
        pdf, column = self.pdf, self.columns[i]
        left = pdf.l_margin + sum(c.width for c in self.columns[:i])
        lines = pdf.wrap(text, column.width - 2 * PAD - indent, max_lines)
        laid_out = []
        for n, words in enumerate(lines):
            if column.align == "R":
                x = left + column.width - PAD - pdf.text_width(words)
            else:
                x = left + PAD + indent
            text_object = (f"BT {x * pdf.k:.2f} ", f" Td {pdf.encoded(words)} ET")
            laid_out.append((n, *text_object) if words else (n, "", ""))
        return tuple(laid_out)

    def _height(self, cells: list[_Cell]) -> float:
        return max(len(cell) for cell in cells) * self.line + PAD

    def _draw(self, cells: list[_Cell], height: float) -> None:
        pdf, line, k = self.pdf, self.line, self.pdf.k
        baseline = pdf.y + PAD / 2 + 0.5 * line + 0.3 * pdf.font_size
        most = max(len(cell) for cell in cells)
        heights = [f"{(pdf.h - baseline - n * line) * k:.2f}" for n in range(most)]
        pdf.put_texts(
            "\n".join(
                start + heights[n] + end
                for cell in cells
                for n, start, end in cell
                if start
            )
        )
        pdf.y += height
