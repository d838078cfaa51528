"""Which steps a case takes next, read from the same rules its guards enforce.

A page offers a form for each of these and for nothing else; a test runs
every step on cases in every status and checks it is refused exactly when
it is not listed here.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.case_rules import ACTIVE_STATUSES, CLOSED_STATUSES, RESOLVED_STATUSES

# In the order a page shows them: the usual next step first.
STEPS: tuple[str, ...] = (
    "accept",
    "decline",
    "mark_duplicate",
    "take_action",
    "refer",
    "record_response",
    "follow_up",
    "extend_deadline",
    "verify_commitment",
    "resolve",
    "reopen",
    "amend",
    "translate",
    "add_note",
    "attach_document",
    "publish",
    "unpublish",
)


@dataclass(frozen=True)
class CaseSituation:
    """What decides the next steps: the status and what the case holds."""

    status: str
    open_referrals: int
    commitments: int
    published: bool


def next_steps(case: CaseSituation) -> tuple[str, ...]:
    """The steps the case's rules allow now, in `STEPS` order."""
    allowed = {"add_note", "publish"}
    if case.published:
        allowed.add("unpublish")
    if case.status not in RESOLVED_STATUSES:
        allowed |= {"amend", "translate", "attach_document"}
    if case.status == "submitted":
        allowed |= {"accept", "decline", "mark_duplicate"}
    if case.status in CLOSED_STATUSES:
        allowed.add("reopen")
    if case.status in ACTIVE_STATUSES:
        allowed |= {"take_action", "refer", "resolve"}
        if case.open_referrals:
            allowed |= {"record_response", "follow_up", "extend_deadline"}
        if case.commitments:
            allowed.add("verify_commitment")
    return tuple(step for step in STEPS if step in allowed)
