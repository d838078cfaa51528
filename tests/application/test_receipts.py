"""A request with a receipt changes the records at most once, on both stores."""

from __future__ import annotations

from collections.abc import Callable
from uuid import uuid4

import pytest

from tests.application.builders import event_count, submit
from tracker.application import CaseTracker
from tracker.receipts import AlreadyCarriedOut, receipt_for


def test_a_request_carried_out_once_is_refused_the_second_time(
    tracker: CaseTracker,
) -> None:
    case_id = submit(tracker).case_id
    receipt = uuid4()
    with receipt_for(receipt, "secretary"):
        tracker.add_note(case_id, actor="secretary", text="Met the mayor.")
    before = event_count(tracker)

    with pytest.raises(AlreadyCarriedOut), receipt_for(receipt, "secretary"):
        tracker.add_note(case_id, actor="secretary", text="Met the mayor.")

    assert event_count(tracker) == before
    assert tracker.case(case_id).version == 2


def test_a_receipt_is_saved_with_the_first_save_only(tracker: CaseTracker) -> None:
    case_id = submit(tracker).case_id
    before = event_count(tracker)
    with receipt_for(uuid4(), "secretary"):
        tracker.add_note(case_id, actor="secretary", text="One.")
        tracker.add_note(case_id, actor="secretary", text="Two.")
    assert event_count(tracker) == before + 3  # two notes and one receipt


def test_a_request_decided_again_after_a_stale_copy_keeps_its_receipt(
    make_tracker: Callable[[], CaseTracker], tracker: CaseTracker
) -> None:
    other = make_tracker()
    case_id = submit(tracker).case_id  # this process remembers version 1
    other.add_note(case_id, actor="advocate", text="Elsewhere.")
    receipt = uuid4()
    with receipt_for(receipt, "secretary"):
        tracker.add_note(case_id, actor="secretary", text="Here.")
    with pytest.raises(AlreadyCarriedOut), receipt_for(receipt, "secretary"):
        tracker.add_note(case_id, actor="secretary", text="Here.")
    assert tracker.case(case_id).version == 3
