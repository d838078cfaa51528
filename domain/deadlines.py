"""Deadline rules: when a referral's answer is due, and when it is overdue.

Pure: public holidays come in through a `HolidayCalendar`, so this module
never imports the `holidays` package (that lives in `tracker.calendar`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from types import MappingProxyType
from typing import Protocol

from domain.errors import InvalidValue, require_choice
from domain.reference import REQUEST_KINDS

ONE_DAY = timedelta(days=1)


class DayUnit(StrEnum):
    """How the days of a deadline are counted."""

    CALENDAR = "calendar"
    WORKING = "working"


class HolidayCalendar(Protocol):
    """Knows which days are public holidays."""

    def is_holiday(self, day: date) -> bool:
        """Tell whether `day` is a public holiday (observed days included)."""
        ...


class NoHolidays:
    """A calendar without public holidays: only weekends are days off."""

    def is_holiday(self, day: date) -> bool:
        """Never a holiday."""
        return False


@dataclass(frozen=True)
class DeadlineRule:
    """How long an institution has to answer one kind of request."""

    request_kind: str
    days: int
    unit: DayUnit
    max_extension_days: int

    def __post_init__(self) -> None:
        """Reject a rule that could not produce a sensible due date."""
        require_choice(self.request_kind, REQUEST_KINDS, "request_kind")
        if not isinstance(self.unit, DayUnit):
            raise InvalidValue("unit must be calendar or working days", field="unit")
        if _not_whole(self.days) or self.days < 1:
            raise InvalidValue("days must be a whole number, at least 1", field="days")
        if _not_whole(self.max_extension_days) or self.max_extension_days < 0:
            raise InvalidValue(
                "max_extension_days must be a whole number, at least 0",
                field="max_extension_days",
            )


def _not_whole(value: object) -> bool:
    return isinstance(value, bool) or not isinstance(value, int)


# Law No. 06/L-081 on Access to Public Documents: 7 working days, extendable
# by up to 15 more; 48 hours where life, liberty, health or the environment is
# at stake. General requests and petitions: 30 days, a common administrative
# default rather than a single statutory figure. Confirm locally; override with
# `parse_rules`.
DEFAULT_RULES: Mapping[str, DeadlineRule] = MappingProxyType(
    {
        "public_documents": DeadlineRule("public_documents", 7, DayUnit.WORKING, 15),
        "public_documents_urgent": DeadlineRule(
            "public_documents_urgent", 2, DayUnit.CALENDAR, 0
        ),
        "general_request": DeadlineRule("general_request", 30, DayUnit.CALENDAR, 30),
        "petition": DeadlineRule("petition", 30, DayUnit.CALENDAR, 30),
    }
)

_RULE_PATTERN = re.compile(
    r"(?P<kind>[a-z_]+) \s* = \s* (?P<days>[0-9]+) (?P<unit>[cw])"
    r" (?: \+ (?P<extension>[0-9]+) )?",
    re.VERBOSE,
)
_UNITS = {"c": DayUnit.CALENDAR, "w": DayUnit.WORKING}


def parse_rules(spec: str) -> dict[str, DeadlineRule]:
    """Parse overrides like "general_request=30c,public_documents=7w+15"."""
    rules = dict(DEFAULT_RULES)
    overridden: set[str] = set()
    for entry in (part.strip() for part in spec.split(",")):
        if not entry:
            continue
        rule = _parse_rule(entry)
        if rule.request_kind in overridden:
            raise InvalidValue(
                f"deadline rule for {rule.request_kind!r} is given twice",
                field="deadline_rules",
            )
        overridden.add(rule.request_kind)
        rules[rule.request_kind] = rule
    return rules


def _parse_rule(entry: str) -> DeadlineRule:
    match = _RULE_PATTERN.fullmatch(entry)
    if match is None:
        raise InvalidValue(
            f"deadline rule {entry!r} is not like 'petition=30c' or "
            "'public_documents=7w+15' (c = calendar days, w = working days, "
            "+N = longest extension)",
            field="deadline_rules",
        )
    try:
        return DeadlineRule(
            request_kind=match["kind"],
            days=int(match["days"]),
            unit=_UNITS[match["unit"]],
            max_extension_days=int(match["extension"] or 0),
        )
    except InvalidValue as error:
        raise InvalidValue(
            f"deadline rule {entry!r}: {error.message}", field="deadline_rules"
        ) from error


def is_working_day(day: date, holidays: HolidayCalendar) -> bool:
    """Tell whether `day` is a weekday that is not a public holiday."""
    return day.weekday() < 5 and not holidays.is_holiday(day)


def add_working_days(start: date, days: int, holidays: HolidayCalendar) -> date:
    """Return the `days`-th working day after `start` (`start` not counted)."""
    day = start
    remaining = days
    while remaining > 0:
        day += ONE_DAY
        if is_working_day(day, holidays):
            remaining -= 1
    return day


def next_working_day(day: date, holidays: HolidayCalendar) -> date:
    """Return `day` if it is a working day, else the next working day."""
    while not is_working_day(day, holidays):
        day += ONE_DAY
    return day


def _add_days(
    rule: DeadlineRule, start: date, days: int, holidays: HolidayCalendar
) -> date:
    if rule.unit is DayUnit.WORKING:
        return add_working_days(start, days, holidays)
    # Administrative-procedure convention: a time limit counted in calendar
    # days that ends on a weekend or public holiday ends on the next working day.
    return next_working_day(start + timedelta(days=days), holidays)


def due_date(rule: DeadlineRule, sent_on: date, holidays: HolidayCalendar) -> date:
    """Return the day by which a request sent on `sent_on` must be answered."""
    return _add_days(rule, sent_on, rule.days, holidays)


def latest_extension(
    rule: DeadlineRule, due_on: date, holidays: HolidayCalendar
) -> date | None:
    """Return the latest due date an extension may set, or None if none is allowed."""
    if rule.max_extension_days == 0:
        return None
    return _add_days(rule, due_on, rule.max_extension_days, holidays)


def very_overdue_on(sent_on: date, due_on: date) -> date:
    """Return the first day a request counts as very overdue (twice its time)."""
    return sent_on + 2 * (due_on - sent_on) + ONE_DAY


class DeadlineState(StrEnum):
    """Where a referral stands against its due date on a given day."""

    ANSWERED = "answered"
    PENDING = "pending"
    OVERDUE = "overdue"
    VERY_OVERDUE = "very_overdue"


def deadline_state(
    *, sent_on: date, due_on: date, substantive_response_on: date | None, on: date
) -> DeadlineState:
    """Return the state of a referral as of the day `on`."""
    # A response dated after `on` had not happened yet as of `on` (DESIGN §6).
    if substantive_response_on is not None and substantive_response_on <= on:
        return DeadlineState.ANSWERED
    if on <= due_on:
        return DeadlineState.PENDING
    if on >= very_overdue_on(sent_on, due_on):
        return DeadlineState.VERY_OVERDUE
    return DeadlineState.OVERDUE


def is_overdue(
    *, sent_on: date, due_on: date, substantive_response_on: date | None, on: date
) -> bool:
    """Tell whether a referral is past due without a substantive answer on `on`."""
    state = deadline_state(
        sent_on=sent_on,
        due_on=due_on,
        substantive_response_on=substantive_response_on,
        on=on,
    )
    return state in (DeadlineState.OVERDUE, DeadlineState.VERY_OVERDUE)
