"""The open data's tables: every column, its type and meaning.

Declared with the export's `Table` and `Column`; the scorecard and figures
columns follow their dataclasses' fields, so a file cannot drift from what
the projections count. `projections.open_data` writes them.
"""

from __future__ import annotations

from dataclasses import fields, replace

from domain.reference import (
    ADVOCACY_ACTION_KINDS,
    COMMITMENT_STATUSES,
    FOLLOW_UP_CHANNELS,
    INSTITUTION_KINDS,
    MUNICIPALITIES,
    OUTCOMES,
    PUBLISHABLE_FIELDS,
    RESPONSE_KINDS,
)
from projections.accountability import SCALAR_FIGURES
from projections.export_dictionary import (
    CASES,
    CODE,
    CODES,
    DATE,
    DATETIME,
    DECIMAL,
    DICTIONARY,
    INTEGER,
    TEXT,
    TYPE_FORMATS,
    Column,
    Table,
)
from projections.figure_queries import AccountabilityFigures
from projections.publications import STEPS
from projections.scorecards import MIN_REFERRALS, Scorecard

LICENCE = "Creative Commons Attribution 4.0 International (CC BY 4.0)"


_CASE = {column.name: column for column in CASES.columns}
_YEAR = (
    Column("year", INTEGER, "The calendar year."),
    Column("period_start", DATE, "The first day counted: 1 January."),
    Column("period_end", DATE, "The last day counted: 31 December, or the as-of day."),
)
_MUNICIPALITY = Column(
    "municipality", CODE, "The municipality.", tuple(m.code for m in MUNICIPALITIES)
)
# What each counted column holds (DESIGN.md §6), for the year of its row.
_MEANINGS = {
    "cases_raised": "Cases whose raised-on date is in the year.",
    "cases_jointly_raised": "Of those, cases raised by two or more communities.",
    "joint_share": "cases_jointly_raised over cases_raised (empty if none).",
    "advocacy_actions": "Advocacy actions dated in the year.",
    "referrals_made": "Referrals sent to an institution in the year.",
    "referrals_answered": "Of those, referrals with a substantive response by "
    "the period's end.",
    "responses_received": "Responses dated in the year.",
    "government_responses": "Substantive responses dated in the year (every "
    "kind but an acknowledgement or a redirection).",
    "response_rate": "Of the referrals made in the year, the share with a "
    "substantive response by the period's end (empty if none were made).",
    "response_rate_low": "The low end of the response rate's 95% Wilson interval.",
    "response_rate_high": "The high end of the response rate's 95% Wilson interval.",
    "median_days_to_first_response": "Over the referrals made in the year that "
    "had any response by the period's end: the median of calendar days from "
    "sending to the first response (empty if none).",
    "median_days_to_substantive_response": "The same, to the first substantive "
    "response (empty if none).",
    "overdue_referrals": "Referrals past due at the period's end with no "
    "substantive response, whenever they were sent.",
    "commitments_made": "Commitment responses dated in the year.",
    "commitments_fulfilled": "Of those, the ones verified fulfilled by the "
    "period's end.",
    "cases_resolved": "Cases resolved in the year.",
    "cases_partially_resolved": "Cases partially resolved in the year.",
    "cases_unresolved": "Cases closed unresolved in the year.",
    "meetings_held": "Forum meetings held in the year.",
    "meeting_attendance_total": "People counted at those meetings.",
    "response_rate_rank": "Rank by response rate, 1 the highest; only where "
    f"at least {MIN_REFERRALS} referrals were made (equal rates share a rank).",
    "median_days_rank": "Rank by median days to a substantive response, 1 the "
    f"fastest; only where at least {MIN_REFERRALS} referrals had one.",
}
_TYPES = {"int": INTEGER, "int | None": INTEGER, "float | None": DECIMAL}


def _counted(of: type, names: tuple[str, ...]) -> tuple[Column, ...]:
    """Columns for fields of a dataclass, typed by their annotations."""
    annotated = {f.name: str(f.type) for f in fields(of)}
    return tuple(Column(n, _TYPES[annotated[n]], _MEANINGS[n]) for n in names)


_SCORED = tuple(f.name for f in fields(Scorecard) if f.name != "municipality")
_STEP_KINDS = tuple(dict.fromkeys((
    *ADVOCACY_ACTION_KINDS, *INSTITUTION_KINDS, *FOLLOW_UP_CHANNELS,
    *RESPONSE_KINDS, *COMMITMENT_STATUSES, *OUTCOMES,
)))  # fmt: skip

PUBLISHED_CASES = Table(
    "published_cases",
    "One row per case a coordinator published; a field not published is empty.",
    (
        _CASE["reference"], _CASE["raised_on"],
        Column("published_fields", CODES, "The fields the coordinator chose to "
               "publish; the others are empty.", PUBLISHABLE_FIELDS),
        Column("title", TEXT, "The public title, as the coordinator redacted it."),
        Column("description", TEXT, "The public description, as redacted."),
        _CASE["category"], _CASE["communities"], _CASE["municipality"],
        Column("location", TEXT, "Where the issue is (a village, a street)."),
        _CASE["status"],
        Column("published_at", DATETIME, "When it was last published."),
        Column("updated_at", DATETIME, "When its public record last changed."),
    ),
)  # fmt: skip
PUBLISHED_STEPS = Table(
    "published_steps",
    "One row per dated step of a published case: its whole timeline if that "
    "is published, else its responses if those are.",
    (
        Column("reference", TEXT, "The case (see published_cases.reference)."),
        Column("step_on", DATE, "The day of the step."),
        Column("step", CODE, "What happened.",
               ("Submitted", *(e.__name__ for e, (on, _) in STEPS.items() if on))),
        Column("kind", CODE, "Its kind, where it has one: of action, of "
               "institution referred to, of follow-up, of response, a "
               "commitment's status, an outcome.", _STEP_KINDS),
    ),
)  # fmt: skip
SCORECARDS = Table(
    "scorecards",
    "One row per municipality per year: how it answered the referrals the "
    "forums made that year.",
    (*_YEAR, _MUNICIPALITY, *_counted(Scorecard, _SCORED)),
)
FIGURES = Table(
    "accountability_figures",
    "One row per municipality per year with anything counted: the "
    "accountability figures that are one number.",
    (*_YEAR, _MUNICIPALITY, *_counted(AccountabilityFigures, SCALAR_FIGURES)),
)
OPEN_DICTIONARY = Table(
    DICTIONARY.name,
    "One row per column of every table of this archive, this one included.",
    tuple(
        replace(column, codes=tuple(TYPE_FORMATS)) if column.name == "type" else column
        for column in DICTIONARY.columns
    ),
)
TABLES: tuple[Table, ...] = (
    PUBLISHED_CASES, PUBLISHED_STEPS, SCORECARDS, FIGURES, OPEN_DICTIONARY,
)  # fmt: skip
