"""The cases-by-municipality-and-status summary counts what was recorded."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from projections.case_summary import cases_by_municipality_and_status
from tests.application.builders import referred, submit
from tests.stores import Store
from tracker.application import CaseTracker


def test_each_case_is_counted_once_under_its_municipality_and_status(
    store: Store, tracker: CaseTracker, tmp_path: Path
) -> None:
    submit(tracker)
    referred(tracker)
    declined = submit(tracker, municipality="GRA").case_id
    tracker.decline_case(declined, actor="advocate", reason="out of scope")
    submit(tracker, municipality="GRA")

    views = store.views(tracker, tmp_path / "views.sqlite3")
    assert cases_by_municipality_and_status(views) == {
        "STR": Counter({"submitted": 1, "referred": 1}),
        "GRA": Counter({"declined": 1, "submitted": 1}),
    }


def test_an_empty_store_has_no_municipality(
    store: Store, tracker: CaseTracker, tmp_path: Path
) -> None:
    views = store.views(tracker, tmp_path / "views.sqlite3")
    assert cases_by_municipality_and_status(views) == {}
