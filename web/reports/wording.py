"""How the accountability report names and writes its figures, in any language.

Every format of the report (the web page, the PDF, the workbook, the CSV
files) takes its headings, the name of each figure, and the way a share,
a number of days or a change is written from here, in the language the
report is made in (`web.reports.rendering.in_language`).
"""

from __future__ import annotations

from flask_babel import LazyString, format_decimal, format_percent
from flask_babel import lazy_gettext as _l

from domain.reference import (
    ADVOCACY_ACTION_KINDS,
    CATEGORIES,
    COMMUNITIES,
    GENDERS,
    RESPONSE_KINDS,
    STATUSES,
)
from projections.accountability import FIGURE_NAMES
from web.labels import label

COUNT, SHARE, DAYS = "count", "share", "days"

FIGURES: dict[str, LazyString] = {
    "cases_raised": _l("Cases raised"),
    "cases_jointly_raised": _l("Cases raised jointly by two or more communities"),
    "joint_share": _l("Share of cases raised jointly"),
    "cases_by_category": _l("Cases by category"),
    "cases_by_status": _l("Cases by status at the end of the period"),
    "advocacy_actions": _l("Advocacy actions"),
    "advocacy_actions_by_kind": _l("Advocacy actions by kind"),
    "referrals_made": _l("Referrals made"),
    "responses_received": _l("Responses received"),
    "responses_by_kind": _l("Responses by kind"),
    "government_responses": _l("Government responses (substantive)"),
    "response_rate": _l("Response rate"),
    "median_days_to_first_response": _l("Median days to a first response"),
    "median_days_to_substantive_response": _l("Median days to a substantive response"),
    "overdue_referrals": _l("Overdue referrals at the end of the period"),
    "commitments_made": _l("Commitments made"),
    "commitments_fulfilled": _l("Commitments fulfilled"),
    "cases_resolved": _l("Cases resolved"),
    "cases_partially_resolved": _l("Cases partially resolved"),
    "cases_unresolved": _l("Cases closed unresolved"),
    "meetings_held": _l("Forum meetings held"),
    "meeting_attendance_total": _l("Meeting attendance"),
    "attendance_by_gender": _l("Attendance by gender"),
    "attendance_by_community": _l("Attendance by community"),
}

# How each figure's value is written: a count, a share (a percentage) or days.
KINDS: dict[str, str] = {
    **dict.fromkeys(FIGURE_NAMES, COUNT),
    "joint_share": SHARE,
    "response_rate": SHARE,
    "median_days_to_first_response": DAYS,
    "median_days_to_substantive_response": DAYS,
}

# The figures counted by a code, and the label group (`web.labels`) of the code.
CODES: dict[str, str] = {
    "cases_by_category": "categories",
    "cases_by_status": "statuses",
    "advocacy_actions_by_kind": "advocacy_action_kinds",
    "responses_by_kind": "response_kinds",
    "attendance_by_gender": "genders",
    "attendance_by_community": "communities",
}

# Every code of each figure counted by code, in the reference data's order.
CODE_LISTS: dict[str, tuple[str, ...]] = {
    "cases_by_category": CATEGORIES,
    "cases_by_status": STATUSES,
    "advocacy_actions_by_kind": ADVOCACY_ACTION_KINDS,
    "responses_by_kind": RESPONSE_KINDS,
    "attendance_by_gender": GENDERS,
    "attendance_by_community": COMMUNITIES,
}

# The report's sections, each with its figures, in the order they are shown.
SECTIONS: tuple[tuple[LazyString, tuple[str, ...]], ...] = (
    (
        _l("Cases"),
        (
            "cases_raised",
            "cases_jointly_raised",
            "joint_share",
            "cases_by_category",
            "cases_by_status",
        ),
    ),
    (_l("Advocacy"), ("advocacy_actions", "advocacy_actions_by_kind")),
    (
        _l("Referrals and responses"),
        (
            "referrals_made",
            "responses_received",
            "responses_by_kind",
            "government_responses",
            "response_rate",
            "median_days_to_first_response",
            "median_days_to_substantive_response",
            "overdue_referrals",
        ),
    ),
    (_l("Commitments"), ("commitments_made", "commitments_fulfilled")),
    (
        _l("Outcomes"),
        ("cases_resolved", "cases_partially_resolved", "cases_unresolved"),
    ),
    (
        _l("Forum meetings"),
        (
            "meetings_held",
            "meeting_attendance_total",
            "attendance_by_gender",
            "attendance_by_community",
        ),
    ),
)

# Headings and words every format uses.
TITLE = _l("Accountability report")
ALL_MUNICIPALITIES = _l("All municipalities")
PERIOD = _l("Period")
PREVIOUS_PERIOD = _l("Previous period")
THIS_PERIOD = _l("This period")
CHANGE = _l("Change")
FIGURE = _l("Figure")
MUNICIPALITY = _l("Municipality")
BY_MUNICIPALITY = _l("By municipality")
GOVERNMENT_RESPONSES = _l("Government responses")
CASE = _l("Case")
INSTITUTION = _l("Institution")
RESPONSE_KIND = _l("Kind of response")
RECEIVED_ON = _l("Received on")
NOTHING = _l("none")
NO_RESPONSES = _l("No substantive response is dated in this period.")
HOW_COUNTED = _l(
    "Every figure is counted as of the last day of the period, from the dates "
    "entered for when things happened. A government response is a substantive "
    "one: an acknowledgement or a redirection is not an answer. The response "
    "rate is the share of the referrals made in the period that had a "
    "substantive response by its end. A median over nothing is shown as "
    "\u201cnone\u201d."
)


def figure_name(name: str) -> str:
    """A figure's name in the report's language."""
    return str(FIGURES[name])


def code_name(figure: str, code: str) -> str:
    """The words for one code of a figure counted by code."""
    return label(CODES[figure], code)


def figure_value(name: str, value: float | None) -> str:
    """A one-number figure as written: 12, 46%, 14.5 (days); "none" if None."""
    if value is None:
        return str(NOTHING)
    if KINDS[name] == SHARE:
        return str(format_percent(value, "#,##0.0%"))
    return str(format_decimal(value, "#,##0.#"))


def change_value(name: str, change: float | None) -> str:
    """A change as written: +3, −2, +4.5 points for a share; "" if unknown."""
    if change is None:
        return ""
    if KINDS[name] == SHARE:
        points = str(format_decimal(abs(change) * 100, "#,##0.0"))
        return f"{_sign(change)}{points} {_l('points')}"
    return f"{_sign(change)}{format_decimal(abs(change), '#,##0.#')}"


def _sign(change: float) -> str:
    if change > 0:
        return "+"
    return "\u2212" if change < 0 else "\u00b1"
