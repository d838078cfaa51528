"""Submitting and advancing cases through the application, tersely."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from tracker.application import CaseTracker
from tracker.views import ReferralMade, SubmittedCase

RAISED_ON = date(2025, 3, 3)


def submit(tracker: CaseTracker, **overrides: Any) -> SubmittedCase:
    """Submit a plausible case; override any field."""
    fields: dict[str, Any] = {
        "actor": "secretary",
        "municipality": "STR",
        "title": "River polluted by sewage",
        "description": "Sewage flows into the river near the school.",
        "category": "environment",
        "communities": ["serb", "albanian"],
        "raised_on": RAISED_ON,
        "language": "en",
    }
    fields.update(overrides)
    return tracker.submit_case(**fields)


def referred(tracker: CaseTracker, **overrides: Any) -> tuple[UUID, ReferralMade]:
    """A case accepted and referred to the mayor on 2025-03-10."""
    case_id = submit(tracker, **overrides).case_id
    tracker.accept_case(case_id, actor="advocate", priority="high")
    referral = tracker.refer_case(
        case_id,
        actor="advocate",
        institution_kind="mayor",
        institution_name="Office of the Mayor",
        request_kind="general_request",
        sent_on=date(2025, 3, 10),
    )
    return case_id, referral


def event_count(tracker: CaseTracker) -> int:
    """How many events the whole store holds."""
    return tracker.recorder.max_notification_id() or 0
