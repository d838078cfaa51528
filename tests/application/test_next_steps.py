"""The steps a page offers are exactly the steps the case's rules accept."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from uuid import UUID

import pytest

from domain.case_steps import STEPS, next_steps
from domain.errors import DomainError
from tests.application.builders import referred, submit
from tracker.application import CaseTracker
from tracker.views import situation

DAY = date(2025, 6, 2)
Setup = Callable[[CaseTracker], UUID]


def _submitted(t: CaseTracker) -> UUID:
    return submit(t).case_id


def _accepted(t: CaseTracker) -> UUID:
    case_id = submit(t).case_id
    t.accept_case(case_id, actor="a")
    return case_id


def _declined(t: CaseTracker) -> UUID:
    case_id = submit(t).case_id
    t.decline_case(case_id, actor="a", reason="out of scope")
    return case_id


def _referred(t: CaseTracker) -> UUID:
    return referred(t)[0]


def _acknowledged(t: CaseTracker) -> UUID:
    case_id, referral = referred(t)
    t.record_response(
        case_id, referral.referral_id, actor="a", received_on=DAY,
        kind="acknowledgement", summary="received",
    )  # fmt: skip
    return case_id


def _committed(t: CaseTracker) -> UUID:
    case_id, referral = referred(t)
    t.record_response(
        case_id, referral.referral_id, actor="a", received_on=DAY,
        kind="commitment", summary="will fix it",
    )  # fmt: skip
    return case_id


def _resolved(t: CaseTracker) -> UUID:
    case_id = _committed(t)
    t.resolve_case(
        case_id, actor="a", outcome="resolved", resolved_on=DAY, summary="done"
    )
    return case_id


def _published_reopened(t: CaseTracker) -> UUID:
    case_id = _resolved(t)
    t.publish_case(case_id, actor="c", fields=["title"], title="T", description="D")
    t.reopen_case(case_id, actor="a", reopened_on=DAY, reason="broken again")
    return case_id


SITUATIONS: dict[str, Setup] = {
    "submitted": _submitted,
    "accepted": _accepted,
    "declined": _declined,
    "referred": _referred,
    "acknowledged": _acknowledged,
    "committed": _committed,
    "resolved": _resolved,
    "published and reopened": _published_reopened,
}


def _take(t: CaseTracker, case_id: UUID, step: str) -> None:
    """Take one step with valid values; only the case's state can refuse it."""
    case = t.case(case_id)
    referral = next(
        (r.referral_id for r in case.referrals if r.deadline_state != "answered"),
        UUID(int=1),
    )
    commitment = next(
        (r.response_id for r in case.responses if r.kind == "commitment"), UUID(int=2)
    )
    other = submit(t).case_id
    calls: dict[str, Callable[[], object]] = {
        "accept": lambda: t.accept_case(case_id, actor="a"),
        "decline": lambda: t.decline_case(case_id, actor="a", reason="r"),
        "mark_duplicate": lambda: t.mark_duplicate(
            case_id, actor="a", duplicate_of=other
        ),
        "take_action": lambda: t.take_action(
            case_id, actor="a", kind="letter", taken_on=DAY, description="d",
            communities=["serb"],
        ),
        "refer": lambda: t.refer_case(
            case_id, actor="a", institution_kind="mayor", institution_name="M",
            request_kind="general_request", sent_on=DAY,
        ),
        "record_response": lambda: t.record_response(
            case_id, referral, actor="a", received_on=DAY, kind="information",
            summary="s",
        ),
        "follow_up": lambda: t.follow_up(
            case_id, referral, actor="a", followed_up_on=DAY, channel="phone"
        ),
        "extend_deadline": lambda: t.extend_deadline(
            case_id, referral, actor="a",
            due_on=_later_due(t, case_id), reason="r",
        ),
        "verify_commitment": lambda: t.verify_commitment(
            case_id, commitment, actor="a", status="fulfilled", verified_on=DAY,
            evidence="seen",
        ),
        "resolve": lambda: t.resolve_case(
            case_id, actor="a", outcome="resolved", resolved_on=DAY, summary="s"
        ),
        "reopen": lambda: t.reopen_case(
            case_id, actor="a", reopened_on=DAY, reason="r"
        ),
        "amend": lambda: t.amend_case(
            case_id, actor="a", reason="typo", changes={"title": "Corrected"}
        ),
        "translate": lambda: t.translate_case(
            case_id, actor="a", language="sq", title="Lumi", description="Ndotje"
        ),
        "add_note": lambda: t.add_note(case_id, actor="a", text="n"),
        "attach_document": lambda: t.attach_document(
            case_id, actor="a", filename="a.pdf", media_type="application/pdf",
            size=10, sha256="0" * 64,
        ),
        "publish": lambda: t.publish_case(
            case_id, actor="c", fields=["title"], title="T2", description="D2"
        ),
        "unpublish": lambda: t.unpublish_case(case_id, actor="c", reason="r"),
    }  # fmt: skip
    calls[step]()


def _later_due(t: CaseTracker, case_id: UUID) -> date:
    due = max((r.due_on for r in t.case(case_id).referrals), default=DAY)
    return date.fromordinal(due.toordinal() + 1)


@pytest.mark.parametrize("name", SITUATIONS)
@pytest.mark.parametrize("step", STEPS)
def test_a_step_is_offered_exactly_when_the_case_accepts_it(
    make_tracker: Callable[[], CaseTracker], name: str, step: str
) -> None:
    tracker = make_tracker()
    case_id = SITUATIONS[name](tracker)
    offered = step in next_steps(situation(tracker.case(case_id)))
    refusal: DomainError | None = None
    try:
        _take(tracker, case_id, step)
    except DomainError as refused:
        refusal = refused
    assert offered == (refusal is None), (
        f"{step} on a {name} case: offered={offered}, refused with {refusal!r}"
    )
