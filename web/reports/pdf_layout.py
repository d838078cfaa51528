"""The report's printed page: A4 in Source Sans Pro, numbered, and fast text.

fpdf2's ``cell`` and ``table`` lay out each piece of text through their
general machinery (~120 µs a cell) and even ``text`` maps every letter to
the font's subset on every call: too slow for a country's year of
government responses (~100,000 pieces of text). `ReportPdf` measures text
with the font's own widths, remembers what it measured, wrapped and encoded
(a list repeats the same names and dates thousands of times), and puts a
row's texts on the page in one go. Text too wide for its room wraps at
spaces or is cut short with an ellipsis: nothing runs over.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import font_source_sans_pro
from flask_babel import gettext as _
from fpdf import FPDF
from fpdf.fonts import TTFFont

FAMILY = "SourceSansPro"
REGULAR, BOLD, ITALIC = "", "B", "I"
_FONT_FILES = {
    REGULAR: "SourceSansPro",
    BOLD: "SourceSansProBold",
    ITALIC: "SourceSansProIt",
}
BODY_SIZE = 9.0
ELLIPSIS = "\u2026"
# Where a piece of text goes: x, baseline (mm from the top), the text.
Placement = tuple[float, float, str]


class ReportPdf(FPDF):
    """An A4 document in Source Sans Pro, numbered "page N of M" at the foot."""

    def __init__(self) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        for style, name in _FONT_FILES.items():
            self.add_font(FAMILY, style, font_source_sans_pro.font_files_ttf[name])
        self.set_margins(15, 15, 15)
        self.set_auto_page_break(auto=True, margin=16)
        self.set_font(FAMILY, REGULAR, BODY_SIZE)
        self._widths: dict[tuple[str, float, str], float] = {}
        self._wrapped: dict[tuple[str, float, float, int, str], list[str]] = {}
        self._encoded: dict[tuple[str, str], str] = {}

    def footer(self) -> None:
        """The page's number and the number of pages, in the report's language."""
        self.set_y(-12)
        self.set_font(FAMILY, REGULAR, 8)
        pages = self.str_alias_nb_pages or ""
        words = _("Page %(page)s of %(pages)s", page=self.page_no(), pages=pages)
        self.cell(0, 5, words, align="C")

    def use_font(self, style: str, size: float) -> None:
        """Write in this style and size from here on (cheap if already so)."""
        if self.font_style != style or self.font_size_pt != size:
            self.set_font(FAMILY, style, size)

    # -- measuring ------------------------------------------------------------

    def text_width(self, text: str) -> float:
        """How wide ``text`` is in mm, in the current font and size."""
        key = (self.font_style, self.font_size_pt, text)
        width = self._widths.get(key)
        if width is None:
            font = self.current_font
            # Narrows a type.
            assert isinstance(font, TTFFont)  # nosec B101
            points = font.get_text_width(text, self.font_size_pt, None)[1]
            width = self._widths[key] = points / self.k
        return width

    def fit(self, text: str, width: float) -> str:
        """``text`` as it is if it fits ``width``, else cut short with an ellipsis."""
        text = printable(text)
        if self.text_width(text) <= width:
            return text
        low, high = 0, len(text)
        while low < high:  # the longest start that fits with the ellipsis
            middle = (low + high + 1) // 2
            if self.text_width(text[:middle].rstrip() + ELLIPSIS) <= width:
                low = middle
            else:
                high = middle - 1
        return text[:low].rstrip() + ELLIPSIS

    def wrap(self, text: str, width: float, max_lines: int) -> list[str]:
        """``text`` broken at spaces into lines of ``width``, at most ``max_lines``."""
        text = printable(text)
        key = (self.font_style, self.font_size_pt, width, max_lines, text)
        lines = self._wrapped.get(key)
        if lines is None:
            lines = self._wrapped[key] = self._wrap(text, width, max_lines)
        return lines

    def _wrap(self, text: str, width: float, max_lines: int) -> list[str]:
        if self.text_width(text) <= width:
            return [text]
        lines: list[str] = []
        line = ""
        for word in text.split():
            longer = f"{line} {word}" if line else word
            if not line or self.text_width(longer) <= width:
                line = longer
            else:
                lines.append(line)
                line = word
        lines.append(line)
        if len(lines) > max_lines:
            lines[max_lines - 1 :] = [" ".join(lines[max_lines - 1 :])]
        return [self.fit(each, width) for each in lines]

    # -- putting text on the page ---------------------------------------------

    def show(self, placements: Sequence[Placement]) -> None:
        """Texts at their places (x, baseline), as `FPDF.text` would put them."""
        k, height = self.k, self.h
        self.put_texts(
            "\n".join(
                f"BT {x * k:.2f} {(height - baseline) * k:.2f} Td "
                f"{self.encoded(text)} ET"
                for x, baseline, text in placements
            )
        )

    def encoded(self, text: str) -> str:
        """The text as a PDF text operator in the current font, encoded once."""
        font = self.current_font
        # Narrows a type.
        assert isinstance(font, TTFFont)  # nosec B101
        key = (font.fontkey, text)
        encoded = self._encoded.get(key)
        if encoded is None:
            encoded = self._encoded[key] = font.encode_text(text)
        return encoded

    def put_texts(self, operators: str) -> None:
        """Text objects (``BT … Tj ET``) of the current font, onto the page.

        Plain text only, as the report uses it: no underline, no text mode,
        no links.
        """
        if not operators:
            return
        if not self.current_font_is_set_on_page:
            self.text(0, 0, "")  # `text` puts the font on the page first
        colour = self.text_color
        if colour is not None and self.fill_color != colour:
            # Letters are painted in the fill colour: the text's, for them alone.
            operators = f"q {colour.serialize().lower()} {operators} Q"
        self._out(operators)

    # -- running text -----------------------------------------------------------

    def heading(self, text: str, size: float = 13.0) -> None:
        """A heading, on a new page unless a few lines fit under it."""
        if self.will_page_break(size * 0.6 + 25):
            self.add_page()
        self.ln(2)
        self.set_font(FAMILY, BOLD, size)
        self.multi_cell(0, size * 0.5, text, align="L", new_x="LMARGIN", new_y="NEXT")
        self.ln(1.5)
        self.set_font(FAMILY, REGULAR, BODY_SIZE)

    def paragraph(
        self, text: str, *, size: float = BODY_SIZE, italic: bool = False
    ) -> None:
        """Text wrapped to the page's width; italic if the italic has its letters."""
        self.set_font(FAMILY, ITALIC if italic and self._italic_has(text) else "", size)
        self.multi_cell(0, size * 0.5, text, align="L", new_x="LMARGIN", new_y="NEXT")
        self.set_font(FAMILY, REGULAR, BODY_SIZE)

    def _italic_has(self, text: str) -> bool:
        # Source Sans Pro's italic has no Cyrillic: Serbian in Cyrillic stays upright.
        italic = self.fonts.get(f"{FAMILY.lower()}{ITALIC}")
        return isinstance(italic, TTFFont) and all(
            ord(letter) in italic.cmap for letter in text if not letter.isspace()
        )

    def keep(self, height: float) -> None:
        """Start a new page unless ``height`` fits on this one (or on no page)."""
        body = self.page_break_trigger - self.t_margin
        if self.will_page_break(min(height, body)):
            self.add_page()


# Control characters (tabs and line breaks typed into a name, and worse) have
# no glyph: on the page they are spaces.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """The text with every control character as a space."""
    return _CONTROL.sub(" ", text)
