"""A case's status after each of its events: the one place that says it.

The `Case` aggregate and the case-list projection both ask this module, so
the status a list shows is the status the case itself holds.
"""

from __future__ import annotations

# Events that set the status outright, whatever it was.
_SETS = {
    "Submitted": "submitted",
    "Accepted": "accepted",
    "Declined": "declined",
    "MarkedDuplicate": "duplicate",
    "Referred": "referred",
    "Reopened": "reopened",
}


def status_after(
    status: str | None,
    event: str,
    *,
    open_referrals: bool = False,
    outcome: str | None = None,
) -> str:
    """The status a case has after `event` (the event class's name).

    ``open_referrals``: whether a referral is still without a substantive
    answer once a response was recorded; ``outcome``: a resolution's outcome.
    """
    if status is None and event != "Submitted":
        raise ValueError(f"{event} cannot be a case's first event")
    if event in _SETS:
        return _SETS[event]
    if event == "AdvocacyActionTaken" and status in ("accepted", "reopened"):
        return "in_advocacy"
    if event in ("DeadlineExtended", "FollowedUp") and status == "referred":
        return "awaiting_response"
    if event == "ResponseReceived":
        return "awaiting_response" if open_referrals else "answered"
    if event == "Resolved" and outcome is not None:
        return outcome
    # Narrows a type.
    assert status is not None  # only a submission comes first, handled above  # nosec B101
    return status
