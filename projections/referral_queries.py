"""Reading referrals: filtered lists judged against their deadlines, and responses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from domain.deadlines import DeadlineState, deadline_state, is_overdue
from projections.datastore import Cursor, stored_day
from projections.dialect import Dialect
from projections.paging import PER_PAGE, Page, Where, fetch_page


@dataclass(frozen=True)
class ReferralRow:
    """One referral as the list shows it, judged as of a day."""

    referral_id: str
    case_id: str
    reference: str
    municipality: str
    institution_kind: str
    institution_name: str
    request_kind: str
    sent_on: date
    due_on: date
    original_due_on: date
    extensions: int
    follow_ups: int
    first_response_on: date | None
    first_substantive_response_on: date | None
    days_waited: int
    deadline_state: DeadlineState
    overdue: bool


@dataclass(frozen=True)
class ResponseRow:
    """One response to a referral."""

    response_id: str
    referral_id: str
    case_id: str
    municipality: str
    received_on: date
    kind: str
    substantive: bool
    commitment_status: str | None
    verified_on: date | None


def find_referrals(
    c: Cursor,
    *,
    today: date,
    municipalities: tuple[str, ...] = (),
    institution_kind: str | None = None,
    open_only: bool = False,
    overdue_only: bool = False,
    due_by: date | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> Page[ReferralRow]:
    """The referrals matching the filters, newest sent first, one page of them.

    ``due_by`` keeps those due between today and that day.
    """
    where = _where(
        c.dialect, today, municipalities, institution_kind, open_only, overdue_only
    )
    if due_by is not None:
        # Due from today up to that day: the ones to chase this week.
        where.add("due_on BETWEEN ? AND ?", today.isoformat(), due_by.isoformat())
    rows, total, page, per_page = fetch_page(
        c, columns="*", source="referrals", where=where,
        order="sent_on DESC, reference DESC, referral_id", page=page,
        per_page=per_page,
    )  # fmt: skip
    return Page(tuple(_referral(r, today) for r in rows), total, page, per_page)


def _where(
    dialect: Dialect,
    today: date,
    municipalities: tuple[str, ...],
    institution_kind: str | None,
    open_only: bool,
    overdue_only: bool,
) -> Where:
    where = Where()
    where.any_of("municipality", municipalities)
    if institution_kind is not None:
        where.add("institution_kind = ?", institution_kind)
    on = today.isoformat()
    if open_only:
        where.add(
            "(first_substantive_response_on IS NULL "
            "OR first_substantive_response_on > ?)",
            on,
        )
    if overdue_only:
        where.add(is_overdue_sql(), on, on)
    return where


def referral_responses(c: Cursor, referral_id: str) -> tuple[ResponseRow, ...]:
    """The responses to one referral (id in hex), in the order received."""
    c.execute(
        "SELECT * FROM responses WHERE referral_id = ? "
        "ORDER BY received_on, case_version",
        (referral_id,),
    )
    return tuple(
        ResponseRow(
            response_id=r["response_id"],
            referral_id=r["referral_id"],
            case_id=r["case_id"],
            municipality=r["municipality"],
            received_on=date.fromisoformat(r["received_on"]),
            kind=r["kind"],
            substantive=bool(r["substantive"]),
            commitment_status=r["commitment_status"],
            verified_on=stored_day(r["verified_on"]),
        )
        for r in c.fetchall()
    )


def deadline_state_sql(dialect: Dialect) -> str:
    """`domain.deadlines.deadline_state` of a referrals row in SQL, on the day
    given three times as parameters.
    """
    days = dialect.days_between
    return (
        "CASE WHEN first_substantive_response_on <= ? "
        f"THEN '{DeadlineState.ANSWERED}' "
        f"WHEN ? <= due_on THEN '{DeadlineState.PENDING}' "
        f"WHEN {days('?', 'sent_on')} > 2 * {days('due_on', 'sent_on')} "
        f"THEN '{DeadlineState.VERY_OVERDUE}' "
        f"ELSE '{DeadlineState.OVERDUE}' END"
    )


def is_overdue_sql() -> str:
    """`domain.deadlines.is_overdue` of a referrals row in SQL, on the day
    given twice as parameters.
    """
    return (
        "((first_substantive_response_on IS NULL "
        "OR first_substantive_response_on > ?) AND ? > due_on)"
    )


def _deadline_args(*texts: str | None) -> dict[str, Any]:
    sent_on, due_on, answered_on, on = texts
    return {
        "sent_on": stored_day(sent_on),
        "due_on": stored_day(due_on),
        "substantive_response_on": stored_day(answered_on),
        "on": stored_day(on),
    }


def _referral(r: Any, today: date) -> ReferralRow:
    judged = _deadline_args(
        r["sent_on"], r["due_on"], r["first_substantive_response_on"], today.isoformat()
    )
    state = deadline_state(**judged)
    # An answer dated after `today` had not come yet on `today` (DESIGN §6).
    waited_until = (
        judged["substantive_response_on"] if state is DeadlineState.ANSWERED else today
    )
    return ReferralRow(
        referral_id=r["referral_id"],
        case_id=r["case_id"],
        reference=r["reference"],
        municipality=r["municipality"],
        institution_kind=r["institution_kind"],
        institution_name=r["institution_name"],
        request_kind=r["request_kind"],
        sent_on=judged["sent_on"],
        due_on=judged["due_on"],
        original_due_on=date.fromisoformat(r["original_due_on"]),
        extensions=r["extensions"],
        follow_ups=r["follow_ups"],
        first_response_on=stored_day(r["first_response_on"]),
        first_substantive_response_on=judged["substantive_response_on"],
        days_waited=max(0, (waited_until - judged["sent_on"]).days),
        deadline_state=state,
        overdue=is_overdue(**judged),
    )
