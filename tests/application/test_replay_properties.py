"""Random command sequences: what is recorded replays to the same state,
and what is refused records nothing."""

from __future__ import annotations

import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any, ClassVar
from uuid import UUID, uuid4

import pytest
from eventsourcing.application import Repository
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.case import Case
from domain.case_register import CaseRegister
from domain.errors import DomainError
from domain.meeting import Meeting
from domain.reference import (
    ADVOCACY_ACTION_KINDS,
    COMMITMENT_STATUSES,
    OUTCOMES,
    REQUEST_KINDS,
    RESPONSE_KINDS,
)
from tests.application.builders import RAISED_ON, event_count, submit
from tests.faults.scale import rounds
from tests.stores import Store
from tracker.application import CaseTracker

KINDS = (
    "accept", "decline", "duplicate", "action", "refer", "extend", "follow_up",
    "respond", "verify", "resolve", "reopen", "note", "publish", "unpublish",
    "amend", "translate",
)  # fmt: skip

steps = st.lists(
    st.tuples(
        st.sampled_from(KINDS),
        st.integers(min_value=-5, max_value=400),  # days after the case was raised
        st.integers(min_value=0, max_value=7),  # which referral/response/choice
    ),
    max_size=45,
)


class SnapshottingOften(CaseTracker):
    """The tracker, with a snapshot every third event: short sequences use them."""

    snapshotting_intervals: ClassVar[dict[type[Any], int]] = {
        Case: 3,
        Meeting: 3,
        CaseRegister: 3,
    }


def _pick(items: list[UUID], index: int) -> UUID:
    """An existing id most of the time, an unknown one otherwise."""
    return items[index % len(items)] if items and index < 6 else uuid4()


def _command(
    tracker: CaseTracker, case_id: UUID, other: UUID, step: tuple[str, int, int]
) -> None:
    kind, offset, index = step
    day = RAISED_ON + timedelta(days=offset)
    view = tracker.case(case_id)
    referrals = [r.referral_id for r in view.referrals]
    responses = [r.response_id for r in view.responses]
    who: dict[str, Any] = {"actor": f"user{index}"}
    if kind == "accept":
        tracker.accept_case(case_id, priority="high", **who)
    elif kind == "decline":
        tracker.decline_case(case_id, reason="out of scope", **who)
    elif kind == "duplicate":
        tracker.mark_duplicate(case_id, duplicate_of=other if index else case_id, **who)
    elif kind == "action":
        tracker.take_action(
            case_id, kind=ADVOCACY_ACTION_KINDS[index % 7], taken_on=day,
            description="action", communities=["roma"], signatures=index - 1, **who,
        )  # fmt: skip
    elif kind == "refer":
        tracker.refer_case(
            case_id, institution_kind="mayor", institution_name="Mayor",
            request_kind=REQUEST_KINDS[index % 4], sent_on=day, **who,
        )  # fmt: skip
    elif kind == "extend":
        tracker.extend_deadline(
            case_id, _pick(referrals, index), due_on=day, reason="more time", **who
        )
    elif kind == "follow_up":
        tracker.follow_up(
            case_id, _pick(referrals, index), followed_up_on=day, channel="phone", **who
        )
    elif kind == "respond":
        tracker.record_response(
            case_id, _pick(referrals, index), received_on=day,
            kind=RESPONSE_KINDS[offset % 8], summary="answer", **who,
        )  # fmt: skip
    elif kind == "verify":
        tracker.verify_commitment(
            case_id, _pick(responses, index), status=COMMITMENT_STATUSES[index % 3],
            verified_on=day, evidence="seen", **who,
        )  # fmt: skip
    elif kind == "resolve":
        tracker.resolve_case(
            case_id, outcome=OUTCOMES[index % 3], resolved_on=day, summary="done", **who
        )
    elif kind == "reopen":
        tracker.reopen_case(case_id, reopened_on=day, reason="back again", **who)
    elif kind == "note":
        tracker.add_note(case_id, text=f"note {offset}", **who)
    elif kind == "publish":
        tracker.publish_case(
            case_id,
            fields=["title", "status"][: index % 3],
            title="T",
            description="D",
            **who,
        )
    elif kind == "unpublish":
        tracker.unpublish_case(case_id, reason="withdrawn", **who)
    elif kind == "amend":
        tracker.amend_case(
            case_id, reason="correction",
            changes={"raised_on": day, "title": f"t{index}"},
            **who,
        )  # fmt: skip
    elif kind == "translate":
        tracker.translate_case(
            case_id, language=("sq", "en", "sr")[index % 3], title="t", description="d",
            **who,
        )  # fmt: skip


@pytest.mark.faults
@settings(
    max_examples=rounds(30, 200),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(steps)
def test_random_commands_replay_to_the_same_state_and_refusals_record_nothing(
    store: Store, sequence: list[tuple[str, int, int]]
) -> None:
    # Each example on a store of its own.
    example = Store(store.kind)
    with tempfile.TemporaryDirectory() as home:
        settings_ = example.settings(Path(home))
        env = settings_.eventsourcing_env()
        tracker = SnapshottingOften(env, clock=lambda: date(2026, 6, 1))
        other = submit(tracker).case_id
        case_id = submit(tracker).case_id
        for step in sequence:
            before_events, before_view = event_count(tracker), tracker.case(case_id)
            try:
                _command(tracker, case_id, other, step)
            except DomainError:
                assert event_count(tracker) == before_events
                assert tracker.case(case_id) == before_view
        live = tracker.case(case_id)
        reopened = SnapshottingOften(env, clock=lambda: date(2026, 6, 1))
        assert reopened.case(case_id) == live
        with_snapshots: Case = reopened.repository.get(case_id)
        assert reopened.snapshots is not None
        snapshots = list(reopened.snapshots.get(case_id))
        assert len(snapshots) == with_snapshots.version // 3
        from_events_only: Case = Repository(event_store=reopened.events).get(case_id)
        assert isinstance(from_events_only, Case)
        assert vars(with_snapshots) == vars(from_events_only)
        # What the next command would start from, without reading the store.
        remembered = tracker.saved.take(case_id, Case)
        if remembered is not None:
            assert vars(remembered) == vars(from_events_only)
        tracker.close()
        reopened.close()
    example.drop()
