"""Deadline rules against Kosovo's real public holidays."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.deadlines import (
    DEFAULT_RULES,
    DayUnit,
    DeadlineRule,
    DeadlineState,
    HolidayCalendar,
    NoHolidays,
    add_working_days,
    deadline_state,
    due_date,
    is_overdue,
    is_working_day,
    latest_extension,
    next_working_day,
    parse_rules,
    very_overdue_on,
)
from domain.errors import InvalidValue
from tracker.calendar import KosovoHolidays, holiday_name

KOSOVO: HolidayCalendar = KosovoHolidays()
PUBLIC_DOCUMENTS = DEFAULT_RULES["public_documents"]
URGENT = DEFAULT_RULES["public_documents_urgent"]
GENERAL_REQUEST = DEFAULT_RULES["general_request"]


# --- the holiday calendar -------------------------------------------------


@pytest.mark.parametrize(
    "day",
    [
        date(2024, 1, 1),
        date(2024, 1, 2),
        date(2024, 1, 8),  # Orthodox Christmas, observed
        date(2024, 2, 19),  # Independence Day, observed
        date(2024, 4, 1),  # Catholic Easter, observed
        date(2024, 4, 9),
        date(2024, 4, 10),  # Eid al-Fitr
        date(2024, 5, 1),
        date(2024, 5, 6),  # Orthodox Easter, observed
        date(2024, 5, 9),
        date(2024, 6, 17),  # Eid al-Adha, observed
        date(2024, 12, 25),
        date(2025, 1, 7),
        date(2025, 3, 31),  # Eid al-Fitr, observed
        date(2025, 4, 21),  # both Easters, observed
        date(2025, 6, 6),  # Eid al-Adha
    ],
)
def test_kosovo_public_holidays_are_not_working_days(day: date) -> None:
    assert KOSOVO.is_holiday(day)
    assert not is_working_day(day, KOSOVO)


def test_good_friday_is_a_working_day_in_kosovo() -> None:
    assert is_working_day(date(2024, 3, 29), KOSOVO)


def test_weekends_are_not_working_days_even_without_holidays() -> None:
    assert not is_working_day(date(2024, 6, 1), NoHolidays())
    assert not is_working_day(date(2024, 6, 2), NoHolidays())
    assert is_working_day(date(2024, 6, 3), NoHolidays())


def test_holiday_names_come_in_the_asked_language() -> None:
    assert holiday_name(date(2025, 1, 7)) == "Orthodox Christmas Day"
    assert holiday_name(date(2025, 1, 7), "sq") == "Krishtlindjet Ortodokse"
    assert holiday_name(date(2025, 1, 7), "sr-Cyrl") == "Pravoslavni Božić"
    assert holiday_name(date(2025, 1, 8)) is None


# --- working days ---------------------------------------------------------


def test_working_days_skip_catholic_easter_monday() -> None:
    assert add_working_days(date(2024, 3, 28), 2, KOSOVO) == date(2024, 4, 2)


def test_working_days_skip_orthodox_easter_monday() -> None:
    assert add_working_days(date(2024, 5, 3), 1, KOSOVO) == date(2024, 5, 7)


def test_working_days_skip_constitution_day_and_eid_al_fitr() -> None:
    assert add_working_days(date(2024, 4, 8), 2, KOSOVO) == date(2024, 4, 12)


def test_working_days_skip_eid_al_adha() -> None:
    assert add_working_days(date(2024, 6, 14), 1, KOSOVO) == date(2024, 6, 18)
    assert add_working_days(date(2025, 6, 5), 1, KOSOVO) == date(2025, 6, 9)


def test_working_days_skip_shared_easter_monday_of_2025() -> None:
    assert add_working_days(date(2025, 4, 17), 2, KOSOVO) == date(2025, 4, 22)


def test_working_days_skip_orthodox_christmas() -> None:
    assert add_working_days(date(2025, 1, 6), 1, KOSOVO) == date(2025, 1, 8)


def test_working_days_cross_the_year_end_skipping_christmas_and_new_year() -> None:
    # Dec 23, 24, (25), 26, 27, 30, 31, (Jan 1, 2), Jan 3.
    assert add_working_days(date(2024, 12, 20), 7, KOSOVO) == date(2025, 1, 3)


def test_start_day_is_not_counted() -> None:
    assert add_working_days(date(2024, 6, 3), 1, NoHolidays()) == date(2024, 6, 4)


def test_next_working_day_is_the_day_itself_when_working() -> None:
    assert next_working_day(date(2024, 6, 3), KOSOVO) == date(2024, 6, 3)


def test_next_working_day_skips_weekend_and_holiday() -> None:
    assert next_working_day(date(2024, 5, 4), KOSOVO) == date(2024, 5, 7)


# --- due dates ------------------------------------------------------------


def test_public_documents_are_due_in_seven_working_days_across_the_year_end() -> None:
    assert due_date(PUBLIC_DOCUMENTS, date(2024, 12, 20), KOSOVO) == date(2025, 1, 3)


def test_calendar_deadline_on_a_working_day_stays() -> None:
    assert due_date(GENERAL_REQUEST, date(2024, 1, 15), KOSOVO) == date(2024, 2, 14)


def test_calendar_deadline_on_a_sunday_rolls_to_monday() -> None:
    assert due_date(GENERAL_REQUEST, date(2024, 5, 10), KOSOVO) == date(2024, 6, 10)


def test_calendar_deadline_on_easter_monday_rolls_to_tuesday() -> None:
    assert due_date(GENERAL_REQUEST, date(2024, 3, 2), KOSOVO) == date(2024, 4, 2)


def test_calendar_deadline_rolls_over_consecutive_holidays() -> None:
    # Apr 9 (Constitution Day), Apr 10 (Eid al-Fitr).
    assert due_date(GENERAL_REQUEST, date(2024, 3, 10), KOSOVO) == date(2024, 4, 11)


def test_calendar_deadline_on_christmas_rolls_to_the_next_day() -> None:
    assert due_date(GENERAL_REQUEST, date(2024, 11, 25), KOSOVO) == date(2024, 12, 26)


def test_urgent_request_over_orthodox_easter_weekend_is_due_on_tuesday() -> None:
    assert due_date(URGENT, date(2024, 5, 2), KOSOVO) == date(2024, 5, 7)


def test_urgent_request_is_due_in_two_days_midweek() -> None:
    assert due_date(URGENT, date(2024, 6, 3), KOSOVO) == date(2024, 6, 5)


# --- extensions -----------------------------------------------------------


def test_public_documents_extend_by_at_most_fifteen_working_days() -> None:
    # Jan 7 2025 (Orthodox Christmas) is skipped.
    assert latest_extension(PUBLIC_DOCUMENTS, date(2025, 1, 3), KOSOVO) == date(
        2025, 1, 27
    )


def test_urgent_requests_cannot_be_extended() -> None:
    assert latest_extension(URGENT, date(2024, 6, 5), KOSOVO) is None


def test_general_request_extends_by_thirty_calendar_days() -> None:
    assert latest_extension(GENERAL_REQUEST, date(2024, 2, 14), KOSOVO) == date(
        2024, 3, 15
    )


def test_extension_limit_ending_on_a_holiday_rolls_forward() -> None:
    # Nov 25 + 30 = Dec 25, Christmas.
    assert latest_extension(GENERAL_REQUEST, date(2024, 11, 25), KOSOVO) == date(
        2024, 12, 26
    )


# --- overdue --------------------------------------------------------------

SENT = date(2024, 3, 1)
DUE = date(2024, 3, 11)


def _state(on: date, answered_on: date | None = None) -> DeadlineState:
    return deadline_state(
        sent_on=SENT, due_on=DUE, substantive_response_on=answered_on, on=on
    )


def test_very_overdue_starts_the_day_after_twice_the_allowed_time() -> None:
    assert very_overdue_on(SENT, DUE) == date(2024, 3, 22)


def test_due_day_itself_is_not_overdue() -> None:
    assert _state(DUE) is DeadlineState.PENDING


def test_day_after_due_is_overdue() -> None:
    assert _state(DUE + timedelta(days=1)) is DeadlineState.OVERDUE


def test_last_day_of_twice_the_allowed_time_is_only_overdue() -> None:
    assert _state(date(2024, 3, 21)) is DeadlineState.OVERDUE


def test_day_after_twice_the_allowed_time_is_very_overdue() -> None:
    assert _state(date(2024, 3, 22)) is DeadlineState.VERY_OVERDUE


def test_substantive_response_makes_it_answered_even_when_late() -> None:
    assert _state(date(2024, 4, 1), answered_on=date(2024, 3, 25)) is (
        DeadlineState.ANSWERED
    )


def test_response_on_the_day_counts_as_answered() -> None:
    assert _state(DUE, answered_on=DUE) is DeadlineState.ANSWERED


def test_response_dated_after_the_day_asked_about_does_not_count() -> None:
    assert _state(date(2024, 3, 15), answered_on=date(2024, 3, 20)) is (
        DeadlineState.OVERDUE
    )


def test_is_overdue_covers_overdue_and_very_overdue_only() -> None:
    def overdue(on: date, answered_on: date | None = None) -> bool:
        return is_overdue(
            sent_on=SENT, due_on=DUE, substantive_response_on=answered_on, on=on
        )

    assert not overdue(DUE)
    assert overdue(date(2024, 3, 12))
    assert overdue(date(2024, 4, 30))
    assert not overdue(date(2024, 4, 30), answered_on=date(2024, 4, 1))


# --- rules and their configuration ----------------------------------------


@pytest.mark.parametrize(
    ("kind", "days", "unit", "extension"),
    [
        ("public_documents", 7, DayUnit.WORKING, 15),
        ("public_documents_urgent", 2, DayUnit.CALENDAR, 0),
        ("general_request", 30, DayUnit.CALENDAR, 30),
        ("petition", 30, DayUnit.CALENDAR, 30),
    ],
)
def test_default_rules_follow_the_law_on_access_to_public_documents(
    kind: str, days: int, unit: DayUnit, extension: int
) -> None:
    rule = DEFAULT_RULES[kind]
    assert (rule.request_kind, rule.days, rule.unit, rule.max_extension_days) == (
        kind,
        days,
        unit,
        extension,
    )


def test_default_rules_cannot_be_changed_in_place() -> None:
    with pytest.raises(TypeError):
        DEFAULT_RULES["petition"] = URGENT  # type: ignore[index]


def test_parse_rules_of_the_defaults_gives_the_defaults() -> None:
    spec = "public_documents=7w+15, public_documents_urgent=2c,"
    spec += "general_request=30c+30,petition=30c+30"
    assert parse_rules(spec) == dict(DEFAULT_RULES)


def test_parse_rules_of_nothing_gives_the_defaults() -> None:
    assert parse_rules("") == dict(DEFAULT_RULES)


def test_parse_rules_overrides_only_the_kinds_given() -> None:
    rules = parse_rules("petition=45w+10, general_request=20c")
    assert rules["petition"] == DeadlineRule("petition", 45, DayUnit.WORKING, 10)
    assert rules["general_request"] == DeadlineRule(
        "general_request", 20, DayUnit.CALENDAR, 0
    )
    assert rules["public_documents"] == PUBLIC_DOCUMENTS


@pytest.mark.parametrize(
    "spec",
    [
        "petition",
        "petition=30",
        "petition=30d",
        "petition=thirtyc",
        "petition=-3c",
        "petition=0c",
        "petition=30c+",
        "petition=30c-5",
        "complaint=30c",
        "petition=30c,petition=20c",
    ],
)
def test_parse_rules_rejects_bad_input_on_the_deadline_rules_field(spec: str) -> None:
    with pytest.raises(InvalidValue) as raised:
        parse_rules(spec)
    assert raised.value.field == "deadline_rules"
    assert raised.value.message


@pytest.mark.parametrize(
    ("kind", "days", "extension", "field"),
    [
        ("complaint", 30, 0, "request_kind"),
        ("petition", 0, 0, "days"),
        ("petition", 30, -1, "max_extension_days"),
    ],
)
def test_a_rule_that_cannot_give_a_due_date_is_rejected(
    kind: str, days: int, extension: int, field: str
) -> None:
    with pytest.raises(InvalidValue) as raised:
        DeadlineRule(kind, days, DayUnit.CALENDAR, extension)
    assert raised.value.field == field


# --- properties -----------------------------------------------------------


@given(
    start=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
    n=st.integers(min_value=1, max_value=40),
)
def test_adding_n_working_days_lands_on_the_nth_working_day_after_start(
    start: date, n: int
) -> None:
    result = add_working_days(start, n, KOSOVO)
    assert result > start
    assert is_working_day(result, KOSOVO)
    days_between = (result - start).days
    counted = sum(
        is_working_day(start + timedelta(days=i), KOSOVO)
        for i in range(1, days_between + 1)
    )
    assert counted == n
