"""The export's data dictionary: every table and column, its type and meaning.

The tables an export holds are declared here once; the export reads, writes
and describes exactly these columns, so a file and its dictionary cannot
disagree. Allowed codes are read from `domain.reference` (and the deadline
states from `domain.deadlines`), never listed again here.

Personal data (a submitter's name and contact, DESIGN §7) is in no view, and
so in no table here.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

from domain.deadlines import DeadlineState
from domain.reference import (
    CATEGORIES,
    COMMITMENT_STATUSES,
    COMMUNITIES,
    GENDERS,
    INSTITUTION_KINDS,
    LANGUAGES,
    MUNICIPALITIES,
    PRIORITIES,
    REQUEST_KINDS,
    RESPONSE_KINDS,
    STATUSES,
)

# The types a column may have, as the dictionary names them.
ID = "id"
TEXT = "text"
CODE = "code"
CODES = "codes"
DATE = "date"
DATETIME = "datetime"
INTEGER = "integer"
DECIMAL = "decimal"
BOOLEAN = "boolean"

# How a value of each type is written.
TYPE_FORMATS: dict[str, str] = {
    ID: "an id, 32 hex digits; the same thing has the same id in every table",
    TEXT: "text, as written",
    CODE: "one code of the list given in 'codes'",
    CODES: "several codes of the list given in 'codes'; separated by spaces "
    "in CSV and XLSX, a list in JSON",
    DATE: "a calendar day, YYYY-MM-DD (a real date in XLSX)",
    DATETIME: "a moment in UTC, ISO 8601 (a real date and time in XLSX)",
    INTEGER: "a whole number",
    DECIMAL: "a number with a decimal point; a share is from 0 to 1",
    BOOLEAN: "true or false (TRUE/FALSE in XLSX)",
}


@dataclass(frozen=True)
class Column:
    """One column of an exported table."""

    name: str
    type: str
    meaning: str
    codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Table:
    """One exported table: its name, what a row is, and its columns."""

    name: str
    meaning: str
    columns: tuple[Column, ...]

    @property
    def names(self) -> tuple[str, ...]:
        """The column names, in the order the file has them."""
        return tuple(column.name for column in self.columns)


_MUNICIPALITY_CODES = tuple(m.code for m in MUNICIPALITIES)
_DEADLINE_STATES = tuple(state.value for state in DeadlineState)


def _municipality(of: str) -> Column:
    return Column(
        "municipality", CODE, f"The municipality of the {of}.", _MUNICIPALITY_CODES
    )


def _id(name: str, of: str) -> Column:
    return Column(name, ID, f"The {of}'s id.")


_CASE_REFERENCE = Column(
    "case_reference", TEXT, "The case's reference (see cases.reference)."
)

CASES = Table(
    "cases",
    "One row per community issue (case), as it stands now.",
    (
        _id("case_id", "case"),
        Column("reference", TEXT, "The case's reference: MUNICIPALITY-YEAR-NUMBER."),
        _municipality("case"),
        Column("category", CODE, "What the issue is about.", CATEGORIES),
        Column("communities", CODES, "The communities that raised it.", COMMUNITIES),
        Column("jointly_raised", BOOLEAN, "Raised by two or more communities."),
        Column("title", TEXT, "The case's title, as last amended."),
        Column("description", TEXT, "The case's description, as last amended."),
        Column(
            "language", CODE, "The language title and description are in.", LANGUAGES
        ),
        Column("status", CODE, "The case's status now.", STATUSES),
        Column("priority", CODE, "Its priority, once accepted.", PRIORITIES),
        Column("raised_on", DATE, "The day the issue was raised."),
        Column(
            "meeting_id",
            ID,
            "The forum meeting it was raised at, if any (see meetings.meeting_id).",
        ),
        Column("accepted_at", DATETIME, "When its acceptance was recorded."),
        Column("first_action_on", DATE, "The day of its first advocacy action."),
        Column("first_referral_on", DATE, "The day its first referral was sent."),
        Column("first_response_on", DATE, "The day of the first response to it."),
        Column(
            "first_substantive_response_on",
            DATE,
            "The day of the first substantive response (not an acknowledgement "
            "or a redirection).",
        ),
        Column(
            "resolved_on", DATE, "The day it was resolved (empty if not, or reopened)."
        ),
        Column("reopened_on", DATE, "The day it was last reopened."),
        Column(
            "open_referrals", INTEGER, "Referrals still without a substantive answer."
        ),
        Column("next_due_on", DATE, "The earliest due date of its open referrals."),
        Column("published", BOOLEAN, "Shown on the public portal now."),
        Column("last_activity_at", DATETIME, "When anything was last recorded on it."),
    ),
)

REFERRALS = Table(
    "referrals",
    "One row per referral: a request sent to an institution about a case.",
    (
        _id("referral_id", "referral"),
        _id("case_id", "case"),
        _CASE_REFERENCE,
        _municipality("case"),
        Column("institution_kind", CODE, "The kind of institution.", INSTITUTION_KINDS),
        Column("institution_name", TEXT, "The institution's name."),
        Column(
            "request_kind",
            CODE,
            "The kind of request; sets its deadline.",
            REQUEST_KINDS,
        ),
        Column("sent_on", DATE, "The day the request was sent."),
        Column("due_on", DATE, "The day an answer is due, after any extensions."),
        Column("original_due_on", DATE, "The day an answer was first due."),
        Column("extensions", INTEGER, "How many times the deadline was extended."),
        Column("follow_ups", INTEGER, "How many times the institution was chased."),
        Column("first_response_on", DATE, "The day of its first response."),
        Column(
            "first_substantive_response_on",
            DATE,
            "The day of its first substantive response.",
        ),
        Column(
            "deadline_state",
            CODE,
            "Where it stands against its deadline on the export's as-of day "
            "(very_overdue: past twice the allowed time).",
            _DEADLINE_STATES,
        ),
    ),
)

RESPONSES = Table(
    "responses",
    "One row per response an institution gave to a referral.",
    (
        _id("response_id", "response"),
        _id("referral_id", "referral"),
        _id("case_id", "case"),
        _CASE_REFERENCE,
        _municipality("case"),
        Column("received_on", DATE, "The day the response was received."),
        Column("kind", CODE, "What kind of answer it is.", RESPONSE_KINDS),
        Column(
            "substantive",
            BOOLEAN,
            "An answer (every kind but acknowledgement and redirected).",
        ),
        Column(
            "commitment_status",
            CODE,
            "Whether a commitment was kept, once verified.",
            COMMITMENT_STATUSES,
        ),
        Column("verified_on", DATE, "The day the commitment was verified."),
    ),
)

MEETINGS = Table(
    "meetings",
    "One row per forum meeting, with its counted attendance.",
    (
        _id("meeting_id", "meeting"),
        _municipality("forum"),
        Column("held_on", DATE, "The day the meeting was held."),
        Column("place", TEXT, "Where it was held."),
        Column("attendance_total", INTEGER, "How many people attended."),
        *(
            Column(
                f"attendance_by_gender_{gender}",
                INTEGER,
                f"Attendees of gender {gender}.",
            )
            for gender in GENDERS
        ),
        *(
            Column(
                f"attendance_by_community_{community}",
                INTEGER,
                f"Attendees of the {community} community.",
            )
            for community in COMMUNITIES
        ),
        Column("cases_raised", INTEGER, "Cases raised there for the first time."),
        Column("cases_discussed", INTEGER, "Cases raised earlier and discussed there."),
        Column("has_minutes", BOOLEAN, "Minutes were recorded."),
    ),
)

TABLES: tuple[Table, ...] = (CASES, REFERRALS, RESPONSES, MEETINGS)

DICTIONARY = Table(
    "dictionary",
    "One row per column of every other table.",
    (
        Column("table", TEXT, "The table the column is in."),
        Column("column", TEXT, "The column's name."),
        Column("type", CODE, "Its type.", tuple(TYPE_FORMATS)),
        Column("format", TEXT, "How a value of that type is written."),
        Column("meaning", TEXT, "What it holds."),
        Column("codes", CODES, "The codes it may hold (code and codes columns)."),
    ),
)

# One row of any table: the values of its columns, in order.
Value = str | int | float | date | datetime | tuple[str, ...] | None
Row = tuple[Value, ...]


def dictionary_rows() -> Iterator[Row]:
    """The dictionary: one row per column of every exported table."""
    for table in TABLES:
        for column in table.columns:
            yield (
                table.name,
                column.name,
                column.type,
                TYPE_FORMATS[column.type],
                column.meaning,
                column.codes,
            )
