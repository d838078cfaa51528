"""What each figure of the accountability report, and each column of its files, means.

The definitions are DESIGN.md §6's, with the choices `projections.figure_queries`
documents where §6 leaves room, said in plain words for the report's readers
(donors, journalists, the public). The workbook's "About" sheet and the CSV
files' README and dictionary are written from here, in the report's language.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from projections.accountability import SCALAR_FIGURES
from web.reports.wording import (
    BY_MUNICIPALITY,
    CASE,
    CHANGE,
    FIGURE,
    FIGURES,
    GOVERNMENT_RESPONSES,
    INSTITUTION,
    MUNICIPALITY,
    PREVIOUS_PERIOD,
    RECEIVED_ON,
    RESPONSE_KIND,
    THIS_PERIOD,
)

DEFINITIONS: dict[str, LazyString] = {
    "cases_raised": _l(
        "Cases whose raised-on date (the day the issue was raised, as last amended) "
        "is in the period."
    ),
    "cases_jointly_raised": _l(
        "Of the cases raised in the period, those raised by two or more different "
        "communities."
    ),
    "joint_share": _l(
        "The cases raised jointly as a fraction of the cases raised in the period; "
        "empty when no case was raised."
    ),
    "cases_by_category": _l(
        "The cases raised in the period, counted by their current category."
    ),
    "cases_by_status": _l(
        "The cases raised in the period, counted by their status on the period's last "
        "day (what was recorded as happening after that day does not count)."
    ),
    "advocacy_actions": _l(
        "Advocacy actions (letters, meetings with officials, petitions, media work, "
        "public events, joint statements and others) dated in the period."
    ),
    "advocacy_actions_by_kind": _l(
        "The advocacy actions dated in the period, counted by kind."
    ),
    "referrals_made": _l(
        "Referrals (requests sent to an institution) sent in the period."
    ),
    "responses_received": _l(
        "Responses from institutions dated in the period, of every kind, "
        "acknowledgements and redirections included."
    ),
    "responses_by_kind": _l("The responses dated in the period, counted by kind."),
    "government_responses": _l(
        "Substantive responses dated in the period: every kind of response but an "
        "acknowledgement or a redirection, which are not answers."
    ),
    "response_rate": _l(
        "Of the referrals sent in the period, the fraction that had a substantive "
        "response dated on or before the period's last day; empty when no referral "
        "was sent."
    ),
    "median_days_to_first_response": _l(
        "Over the referrals sent in the period that had any response by the period's "
        "last day, the median number of calendar days from sending to the first "
        "response; empty when none had one."
    ),
    "median_days_to_substantive_response": _l(
        "Over the referrals sent in the period that had a substantive response by the "
        "period's last day, the median number of calendar days from sending to the "
        "first substantive response; empty when none had one."
    ),
    "overdue_referrals": _l(
        "Referrals sent on or before the period's last day (in this period or "
        "earlier) whose due date, after any extensions, was before that day, with no "
        "substantive response dated on or before it."
    ),
    "commitments_made": _l(
        "Responses of the kind \u201ccommitment\u201d dated in the period."
    ),
    "commitments_fulfilled": _l(
        "Of the commitments made in the period, those whose last verification dated "
        "on or before the period's last day found them fulfilled."
    ),
    "cases_resolved": _l(
        "Resolutions with the outcome \u201cresolved\u201d dated in the period; a "
        "case resolved, reopened and resolved again counts twice."
    ),
    "cases_partially_resolved": _l(
        "Resolutions with the outcome \u201cpartially resolved\u201d dated in the "
        "period; a case so closed, reopened and so closed again counts twice."
    ),
    "cases_unresolved": _l(
        "Resolutions with the outcome \u201cunresolved\u201d (closed without a "
        "solution) dated in the period; a case so closed twice counts twice."
    ),
    "meetings_held": _l("Forum meetings held in the period."),
    "meeting_attendance_total": _l(
        "The attendance counted at the forum meetings held in the period, added over "
        "the meetings (someone at two meetings counts twice), as last counted."
    ),
    "attendance_by_gender": _l(
        "The attendance of the forum meetings held in the period, by gender, as last "
        "counted."
    ),
    "attendance_by_community": _l(
        "The attendance of the forum meetings held in the period, by community, as "
        "last counted."
    ),
}

AS_OF = _l(
    "Every figure is counted as of the last day of the period: what is dated "
    "after it does not count. The dates are those entered for when things "
    "happened (raised, sent, answered), not when they were recorded."
)
VALUES = _l(
    "An empty cell has no value (a median or a share of nothing). Shares are "
    "fractions of 1 (0.25 is 25%); a change is this period's value minus the "
    "previous period's, so the change of a share is in percentage points. "
    "Counts by a code list every code, with 0 where nothing was counted."
)


@dataclass(frozen=True)
class Column:
    """One column of a table of the report: its name for programs and for people.

    A column without a ``heading`` is headed by its name in every language:
    it holds codes a program looks for.
    """

    name: str
    heading: LazyString | None
    meaning: LazyString

    @property
    def title(self) -> str:
        """Its heading in the report's language, or its name if it has none."""
        return self.name if self.heading is None else str(self.heading)


@dataclass(frozen=True)
class Table:
    """One table of the report: a CSV file and (with a ``sheet`` name) a sheet."""

    name: str
    sheet: LazyString | None
    meaning: LazyString
    columns: tuple[Column, ...]


_CODE = _l("Code")
_MUNICIPALITY_CODE = Column(
    "municipality", _CODE, _l("The municipality's code (three letters).")
)
_MUNICIPALITY_NAME = Column(
    "municipality_label",
    MUNICIPALITY,
    _l("The municipality's official name in the report's language."),
)

FIGURE_TABLE = Table(
    "figures",
    _l("Figures"),
    _l("One row per figure, and per code of a figure counted by code."),
    (
        Column("section_label", _l("Section"), _l("The part of the report.")),
        Column("figure_label", FIGURE, _l("The figure's name.")),
        Column(
            "code_label",
            _l("Counted by"),
            _l("For a figure counted by code: the code's name."),
        ),
        Column(
            "this_period", THIS_PERIOD, _l("The figure for the period of the report.")
        ),
        Column(
            "previous_period",
            PREVIOUS_PERIOD,
            _l("The figure for the previous period of the same kind."),
        ),
        Column("change", CHANGE, _l("This period's value minus the previous one's.")),
        Column("figure", None, _l("The figure's field name (DESIGN \u00a76).")),
        Column("code", None, _l("For a figure counted by code: the code.")),
    ),
)

MUNICIPALITY_TABLE = Table(
    "municipalities",
    BY_MUNICIPALITY,
    _l("One row per municipality with anything counted in the period."),
    (
        _MUNICIPALITY_CODE,
        _MUNICIPALITY_NAME,
        *(Column(name, FIGURES[name], DEFINITIONS[name]) for name in SCALAR_FIGURES),
    ),
)

RESPONSE_TABLE = Table(
    "government_responses",
    GOVERNMENT_RESPONSES,
    _l("One row per substantive response dated in the period, oldest first."),
    (
        Column("reference", CASE, _l("The reference of the case answered.")),
        _MUNICIPALITY_CODE,
        _MUNICIPALITY_NAME,
        Column(
            "institution_kind_label",
            _l("Kind of institution"),
            _l("The kind of institution that answered."),
        ),
        Column("institution", INSTITUTION, _l("The institution's name, as entered.")),
        Column("kind_label", RESPONSE_KIND, _l("The kind of response.")),
        Column("received_on", RECEIVED_ON, _l("The day the response was received.")),
        Column("institution_kind", None, _l("The kind of institution, as a code.")),
        Column("kind", None, _l("The kind of response, as a code.")),
    ),
)

DICTIONARY_TABLE = Table(
    "dictionary",
    None,  # in the CSV files only: the workbook has its "About" sheet
    _l("One row per column of every file."),
    (
        Column("file", None, _l("The file the column is in.")),
        Column("column", None, _l("The column's name.")),
        Column("label", None, _l("The column's name in the report's language.")),
        Column("meaning", None, _l("What the column holds.")),
    ),
)

TABLES: tuple[Table, ...] = (FIGURE_TABLE, MUNICIPALITY_TABLE, RESPONSE_TABLE)

# What the workbook's "About" sheet and the CSV files' README say.
ABOUT = _l("About this report")
LANGUAGE = _l("Language")
FILES = _l("Files")
DEFINITION = _l("Definition")
DEFINITIONS_HEADING = _l("What each figure counts")
ROWS = _l("rows")
SHEET_NOTE = _l(
    "The columns headed figure, code, institution_kind and kind hold the names "
    "programs use: they are the same in every language."
)
CSV_NOTE = _l(
    "The files are CSV in UTF-8 with a byte-order mark, separated by commas. "
    "Column names are the same in every language; a column whose name ends in "
    "_label holds words in the report's language. Dates are written "
    "YYYY-MM-DD. Shares, and their changes, are rounded to 4 decimals. A text "
    "that begins with =, +, -, @, a tab or a carriage return is written after "
    "an apostrophe, so that a spreadsheet shows it and does not run it."
)
