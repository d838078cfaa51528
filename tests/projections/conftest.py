"""What the read-model tests share."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from projections.figures import FiguresView
from projections.views import Views
from tests.conftest import TODAY
from tests.projections.figures_oracle import History
from tests.projections.forum_year import record_forum_year
from tracker.application import CaseTracker, open_tracker
from tracker.config import Settings


@pytest.fixture
def views(tracker: CaseTracker, tmp_path: Path) -> Iterator[Views]:
    """The tracker's views, in their own SQLite file."""
    views = Views(tracker, tmp_path / "views.sqlite3")
    yield views
    views.close()


def figures_view(tracker: CaseTracker, path: Path) -> Views:
    """The figures view alone (the report reads nothing else)."""
    return Views(tracker, path, kinds=[FiguresView])


@pytest.fixture
def forum_year(tracker: CaseTracker, tmp_path: Path) -> Iterator[Views]:
    """The figures view of a tracker holding `record_forum_year`."""
    record_forum_year(tracker)
    views = figures_view(tracker, tmp_path / "figures.sqlite3")
    yield views
    views.close()


@pytest.fixture(scope="module")
def demo_figures(
    demo_store: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Views, History]]:
    """A copy of the demo data, its figures view, and its replayed history."""
    home = tmp_path_factory.mktemp("demo")
    shutil.copytree(demo_store, home / "home")
    settings = Settings.from_environment({"TRACKER_HOME": str(home / "home")})
    tracker = open_tracker(settings, clock=lambda: TODAY)
    views = figures_view(tracker, home / "views.sqlite3")
    yield views, History.read(tracker)
    views.close()
    tracker.close()
