"""Deadline reminders: which referrals each advocate is reminded of on a day.

A referral is chased while it has no substantive answer (DESIGN §5): from
`DUE_WITHIN_WORKING_DAYS` working days before its due date, and every day
once it is overdue. An advocate is reminded of the chased referrals of the
municipalities they work in (all, when their account names none), if their
account is enabled and has an email address.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from domain.deadlines import (
    ONE_DAY,
    DeadlineState,
    HolidayCalendar,
    add_working_days,
    deadline_state,
    is_working_day,
)
from projections.datastore import Cursor
from tracker.accounts import AccountView

REMINDED_ROLES: tuple[str, ...] = ("advocate",)
DUE_WITHIN_WORKING_DAYS = 3


@dataclass(frozen=True)
class ReferralReminder:
    """One referral to chase, judged as of the day of the reminder."""

    referral_id: str
    case_id: str
    reference: str
    municipality: str
    institution_name: str
    due_on: date
    state: DeadlineState
    days_overdue: int  # calendar days past the due date; 0 when not overdue
    working_days_left: int  # after today, up to the due date; 0 when past it

    @property
    def overdue(self) -> bool:
        """Past due with no substantive answer."""
        return self.state in (DeadlineState.OVERDUE, DeadlineState.VERY_OVERDUE)


@dataclass(frozen=True)
class AdvocateReminder:
    """Whom to remind, where, in which language, and of which referrals."""

    username: str
    email: str
    language: str
    referrals: tuple[ReferralReminder, ...]

    @property
    def overdue(self) -> tuple[ReferralReminder, ...]:
        """The referrals past due, the longest overdue first."""
        return tuple(r for r in self.referrals if r.overdue)

    @property
    def due(self) -> tuple[ReferralReminder, ...]:
        """The referrals due soon, the soonest first."""
        return tuple(r for r in self.referrals if not r.overdue)


def is_reminded(account: AccountView) -> bool:
    """Whether an account gets reminders: an enabled advocate with an address."""
    return (
        account.role in REMINDED_ROLES and not account.disabled and bool(account.email)
    )


def reminders(
    c: Cursor,
    accounts: Iterable[AccountView],
    *,
    today: date,
    holidays: HolidayCalendar,
) -> list[AdvocateReminder]:
    """Each reminded advocate with something to chase, and what, on `today`."""
    chased = referrals_to_chase(c, today=today, holidays=holidays)
    found = []
    for account in filter(is_reminded, accounts):
        theirs = tuple(r for r in chased if account.sees(r.municipality))
        if theirs:
            found.append(
                AdvocateReminder(
                    account.username, account.email, account.language, theirs
                )
            )
    return found


def referrals_to_chase(
    c: Cursor, *, today: date, holidays: HolidayCalendar
) -> tuple[ReferralReminder, ...]:
    """Every referral without a substantive answer, overdue or due soon."""
    horizon = add_working_days(today, DUE_WITHIN_WORKING_DAYS, holidays)
    # An answer dated after today had not come yet today (DESIGN §6).
    c.execute(
        "SELECT referral_id, case_id, reference, municipality, institution_name, "
        "sent_on, due_on FROM referrals WHERE due_on <= ? AND "
        "(first_substantive_response_on IS NULL "
        "OR first_substantive_response_on > ?) "
        "ORDER BY due_on, reference, referral_id",
        (horizon.isoformat(), today.isoformat()),
    )
    return tuple(_reminder(row, today, holidays) for row in c.fetchall())


def _reminder(r: Any, today: date, holidays: HolidayCalendar) -> ReferralReminder:
    sent_on = date.fromisoformat(r["sent_on"])
    due_on = date.fromisoformat(r["due_on"])
    return ReferralReminder(
        referral_id=r["referral_id"],
        case_id=r["case_id"],
        reference=r["reference"],
        municipality=r["municipality"],
        institution_name=r["institution_name"],
        due_on=due_on,
        state=deadline_state(
            sent_on=sent_on, due_on=due_on, substantive_response_on=None, on=today
        ),
        days_overdue=max(0, (today - due_on).days),
        working_days_left=working_days_between(today, due_on, holidays),
    )


def working_days_between(start: date, end: date, holidays: HolidayCalendar) -> int:
    """How many working days come after `start`, up to and with `end` (0 if none)."""
    count, day = 0, start
    while day < end:
        day += ONE_DAY
        count += is_working_day(day, holidays)
    return count
