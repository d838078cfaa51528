"""Commands start from the case as this process saved it, and stay correct
when another process (or thread) changed it since."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from typing import Any
from uuid import UUID

import pytest

from domain.case import Case
from domain.case_errors import CaseAlreadyResolved
from tests.application.builders import event_count, submit
from tests.domain.scenario import given
from tests.domain.scenario import submit as scenario_submit
from tracker.application import CaseTracker
from tracker.errors import ConcurrentChange
from tracker.saved import SavedAggregates

Make = Callable[[], CaseTracker]
LETTER: dict[str, Any] = {
    "actor": "advocate",
    "kind": "letter",
    "taken_on": date(2025, 7, 2),
    "description": "Asked the directorate to repair the pipe again.",
    "communities": ["serb"],
}


def resolved(tracker: CaseTracker) -> UUID:
    """A case accepted and resolved, as `tracker` saved it."""
    case_id = submit(tracker).case_id
    tracker.accept_case(case_id, actor="advocate")
    tracker.resolve_case(
        case_id,
        actor="advocate",
        outcome="resolved",
        resolved_on=date(2025, 6, 2),
        summary="The sewage pipe was repaired.",
    )
    return case_id


def count_store_reads(tracker: CaseTracker) -> list[Any]:
    """Record every read of a case's events from now on."""
    reads: list[Any] = []
    select = tracker.recorder.select_events

    def counted(*args: Any, **kwargs: Any) -> Any:
        reads.append(args)
        return select(*args, **kwargs)

    tracker.recorder.select_events = counted  # type: ignore[method-assign]
    return reads


def test_a_command_on_a_case_this_process_saved_does_not_read_the_store(
    tracker: CaseTracker,
) -> None:
    case_id = submit(tracker).case_id
    reads = count_store_reads(tracker)

    tracker.accept_case(case_id, actor="advocate")
    tracker.add_note(case_id, actor="advocate", text="Called the mayor's office.")

    assert reads == []
    assert tracker.case(case_id).status == "accepted"


def test_a_case_changed_by_another_process_is_changed_again_without_loss(
    make_tracker: Make,
) -> None:
    here, elsewhere = make_tracker(), make_tracker()
    case_id = submit(here).case_id
    elsewhere.add_note(case_id, actor="other", text="Written elsewhere.")

    version = here.accept_case(case_id, actor="advocate")

    assert version == 3
    history = [entry.event for entry in here.case_history(case_id)]
    assert history == ["Submitted", "NoteAdded", "Accepted"]


def test_a_command_refused_on_out_of_date_facts_is_decided_on_the_stored_case(
    make_tracker: Make,
) -> None:
    here, elsewhere = make_tracker(), make_tracker()
    case_id = resolved(here)
    elsewhere.reopen_case(
        case_id, actor="other", reopened_on=date(2025, 7, 1), reason="leaks again"
    )

    here.take_action(case_id, **LETTER)

    assert here.case(case_id).status == "in_advocacy"


def test_a_command_refused_on_the_stored_case_too_records_nothing(
    make_tracker: Make,
) -> None:
    here = make_tracker()
    case_id = resolved(here)
    before = event_count(here)

    with pytest.raises(CaseAlreadyResolved):
        here.take_action(case_id, **LETTER)

    assert event_count(here) == before
    here.add_note(case_id, actor="advocate", text="Still allowed on a closed case.")
    assert event_count(here) == before + 1


def test_the_expected_version_is_judged_against_the_stored_case(
    make_tracker: Make,
) -> None:
    here, elsewhere = make_tracker(), make_tracker()
    case_id = submit(here).case_id
    elsewhere.add_note(case_id, actor="other", text="Written elsewhere.")
    stored_version = elsewhere.case(case_id).version

    version = here.accept_case(
        case_id, actor="advocate", expected_version=stored_version
    )

    assert version == stored_version + 1
    with pytest.raises(ConcurrentChange) as conflict:
        here.add_note(case_id, actor="advocate", text="x", expected_version=1)
    assert conflict.value.current_version == version


def test_numbering_after_another_process_numbered_continues_from_the_store(
    make_tracker: Make,
) -> None:
    here, elsewhere = make_tracker(), make_tracker()
    assert submit(here).reference == "STR-2025-001"
    assert submit(elsewhere).reference == "STR-2025-002"

    assert submit(here).reference == "STR-2025-003"
    assert here.numbering_retries == 1


def test_threads_changing_one_case_at_once_lose_no_change(tracker: CaseTracker) -> None:
    case_id = submit(tracker).case_id
    written: list[UUID] = []
    refused: list[ConcurrentChange] = []
    lock = threading.Lock()

    def add_notes() -> None:
        for n in range(20):
            try:
                note_id = tracker.add_note(case_id, actor="advocate", text=f"note {n}")
            except ConcurrentChange as conflict:
                with lock:
                    refused.append(conflict)
            else:
                with lock:
                    written.append(note_id)

    threads = [threading.Thread(target=add_notes) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    stored = [note.note_id for note in tracker.case(case_id).notes]
    assert sorted(stored) == sorted(written)
    assert len(written) + len(refused) == 80


def test_saved_aggregates_forget_the_oldest_beyond_their_size() -> None:
    saved = SavedAggregates(size=2)
    cases = [given(scenario_submit()) for _ in range(3)]
    for case in cases:
        saved.keep(case)

    assert len(saved) == 2
    assert saved.take(cases[0].id, Case) is None
    assert saved.take(cases[2].id, Case) is cases[2]


def test_a_taken_aggregate_is_no_longer_remembered() -> None:
    saved = SavedAggregates()
    case = given(scenario_submit())
    saved.keep(case)

    assert saved.take(case.id, Case) is case
    assert saved.take(case.id, Case) is None


def test_size_zero_remembers_nothing() -> None:
    saved = SavedAggregates(size=0)
    case = given(scenario_submit())
    saved.keep(case)

    assert saved.take(case.id, Case) is None
