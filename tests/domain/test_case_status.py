"""The status after each event: the rules the aggregate and the case list share."""

from __future__ import annotations

import pytest

from domain.case_status import status_after


@pytest.mark.parametrize(
    ("before", "event", "after"),
    [
        (None, "Submitted", "submitted"),
        ("submitted", "Accepted", "accepted"),
        ("submitted", "Declined", "declined"),
        ("submitted", "MarkedDuplicate", "duplicate"),
        ("accepted", "AdvocacyActionTaken", "in_advocacy"),
        ("reopened", "AdvocacyActionTaken", "in_advocacy"),
        ("referred", "AdvocacyActionTaken", "referred"),
        ("in_advocacy", "Referred", "referred"),
        ("referred", "FollowedUp", "awaiting_response"),
        ("referred", "DeadlineExtended", "awaiting_response"),
        ("answered", "FollowedUp", "answered"),
        ("resolved", "Reopened", "reopened"),
        ("answered", "NoteAdded", "answered"),
    ],
)
def test_each_event_leaves_the_status_the_lifecycle_gives(
    before: str | None, event: str, after: str
) -> None:
    assert status_after(before, event) == after


def test_a_response_answers_the_case_only_when_no_referral_is_left_open() -> None:
    assert status_after("referred", "ResponseReceived", open_referrals=True) == (
        "awaiting_response"
    )
    assert status_after("referred", "ResponseReceived") == "answered"


def test_a_resolution_takes_its_outcome_as_the_status() -> None:
    assert status_after("answered", "Resolved", outcome="unresolved") == "unresolved"


def test_only_a_submission_can_start_a_case() -> None:
    with pytest.raises(ValueError, match="first event"):
        status_after(None, "Accepted")
