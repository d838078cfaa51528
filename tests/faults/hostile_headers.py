"""The header row of a generated spreadsheet of cases, and how it lets rows be read.

The columns come in any order, spelt as people spell them ("Raised on",
"  RAISED-ON "), optional ones left out, unknown ones added; now and then a
required one is missing or one is named twice, and the whole file must be
refused. A column the header leaves out cannot be broken in a row: its
cells are not in the file.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from hypothesis import strategies as st

from tests.faults.hostile_spreadsheets import Row
from tracker.import_columns import COLUMN_NAMES, REQUIRED_COLUMNS

SPELLINGS = ("{}", "{title}", "  {upper} ")


@dataclass(frozen=True)
class Header:
    """The columns written, in order, their headers, and what is wrong with them."""

    columns: list[str]
    spelt: list[str]
    wrong: str | None = None

    def rows_as_read(self, rows: list[Row]) -> list[Row]:
        """Rows as the header lets them be read: a left-out column is empty."""
        judged = []
        for row in rows:
            cells = {c: v for c, v in row.cells.items() if c in self.columns}
            broken = frozenset(c for c in row.broken if c in self.columns)
            contact = cells.get("submitter_contact") if self._contact_alone else ""
            if str(contact or "").strip():
                broken |= {"submitter_name"}
            judged.append(replace(row, cells=cells, broken=broken))
        return judged

    @property
    def _contact_alone(self) -> bool:
        return "submitter_contact" in self.columns and (
            "submitter_name" not in self.columns
        )


@st.composite
def header(draw: st.DrawFn) -> Header:
    """The columns in some order, optional ones maybe left out, others unknown."""
    optional = [c for c in COLUMN_NAMES if c not in REQUIRED_COLUMNS]
    kept = draw(st.lists(st.sampled_from(optional), unique=True))
    columns = list(draw(st.permutations([*REQUIRED_COLUMNS, *kept])))
    unknown = st.sampled_from(("x_notes", "x_Kommentar", "x_№"))
    columns += draw(st.lists(unknown, unique=True, max_size=2))
    wrong = draw(st.sampled_from((None,) * 18 + ("missing", "twice")))
    if wrong == "missing":
        columns.remove(draw(st.sampled_from(REQUIRED_COLUMNS)))
    elif wrong == "twice":
        columns.append(draw(st.sampled_from([c for c in columns if c in COLUMN_NAMES])))
    spelt = [_spelt(c, draw(st.sampled_from(SPELLINGS))) for c in columns]
    return Header(columns, spelt, wrong)


def _spelt(column: str, spelling: str) -> str:
    words = column.replace("_", " ")
    return spelling.format(column, title=words.capitalize(), upper=words.upper())
