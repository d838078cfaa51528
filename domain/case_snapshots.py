"""Old snapshots of a case, brought up to the state the code now expects."""

from __future__ import annotations

from typing import Any


def with_first_dated_on(state: dict[str, Any]) -> None:
    """Give a version-1 snapshot the earliest date it still records.

    A reopening's date, and the resolution it cleared, are not in the
    state: a case reopened before version 2 checks amendments against its
    other dates only.
    """
    resolution = state["resolution"]
    dates = [
        *(action.taken_on for action in state["actions"]),
        *(referral.sent_on for referral in state["referrals"].values()),
        *([resolution.resolved_on] if resolution is not None else []),
    ]
    state["first_dated_on"] = min(dates, default=None)
