"""What the read-model tests share."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from projections.views import Views
from tracker.application import CaseTracker


@pytest.fixture
def views(tracker: CaseTracker, tmp_path: Path) -> Iterator[Views]:
    """The tracker's views, in their own SQLite file."""
    views = Views(tracker, tmp_path / "views.sqlite3")
    yield views
    views.close()
