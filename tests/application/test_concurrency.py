"""Several processes submitting to one store at the same moment."""

from __future__ import annotations

import multiprocessing
import time
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from domain.case_register import parse_reference
from tests.application.builders import submit
from tests.stores import Store
from tracker.application import open_tracker
from tracker.config import Settings

PROCESSES = 4
SUBMISSIONS_EACH = 30


def _submit_many(
    environ: dict[str, str], start_at: float, municipality: str
) -> tuple[list[str], int]:
    """Run in a child process: wait for the common start, then submit fast."""
    tracker = open_tracker(
        Settings.from_environment(environ),
        clock=lambda: date(2026, 1, 1),
    )
    time.sleep(max(0.0, start_at - time.time()))
    references = [
        submit(tracker, municipality=municipality).reference
        for _ in range(SUBMISSIONS_EACH)
    ]
    tracker.close()
    return references, tracker.numbering_retries


@pytest.mark.slow
def test_processes_submitting_at_once_get_unique_references_without_gaps(
    store: Store, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    environ = store.environ(home)
    open_tracker(store.settings(home)).close()
    start_at = time.time() + 2.0
    context = multiprocessing.get_context("spawn")
    with context.Pool(PROCESSES) as pool:
        results = [
            pool.apply_async(_submit_many, (environ, start_at, code))
            for code in ("STR", "STR", "STR", "GRA")
        ]
        outcomes = [result.get(timeout=120) for result in results]
    references = [ref for refs, _ in outcomes for ref in refs]
    retries = sum(r for _, r in outcomes)
    print(f"{len(references)} submissions, {retries} renumbered after a conflict")

    counts = Counter(references)
    assert max(counts.values()) == 1, "a reference was given twice"
    numbers_by_place: dict[str, list[int]] = {}
    for reference in references:
        code, _, number = parse_reference(reference)
        numbers_by_place.setdefault(code, []).append(number)
    assert sorted(numbers_by_place["STR"]) == list(range(1, 3 * SUBMISSIONS_EACH + 1))
    assert sorted(numbers_by_place["GRA"]) == list(range(1, SUBMISSIONS_EACH + 1))

    reader = open_tracker(store.settings(home))
    stored = [reader.case(case_id).reference for case_id in reader.case_ids()]
    assert sorted(stored) == sorted(references)
