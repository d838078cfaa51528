"""What the read-model tests share."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from projections.figures import FiguresView
from projections.views import Views
from tests.conftest import TODAY, Demo
from tests.projections.figures_oracle import History
from tests.projections.forum_year import record_forum_year
from tests.stores import Store
from tracker.application import CaseTracker, open_tracker


@pytest.fixture
def views(store: Store, tracker: CaseTracker, tmp_path: Path) -> Iterator[Views]:
    """The tracker's views, in their own SQLite file."""
    views = store.views(tracker, tmp_path / "views.sqlite3")
    yield views
    views.close()


def figures_view(store: Store, tracker: CaseTracker, path: Path) -> Views:
    """The figures view alone (the report reads nothing else)."""
    return store.views(tracker, path, kinds=[FiguresView])


@pytest.fixture
def forum_year(store: Store, tracker: CaseTracker, tmp_path: Path) -> Iterator[Views]:
    """The figures view of a tracker holding `record_forum_year`."""
    record_forum_year(tracker)
    views = figures_view(store, tracker, tmp_path / "figures.sqlite3")
    yield views
    views.close()


@pytest.fixture(scope="module")
def demo_figures(
    store_kind: str, demo_store: Demo, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Views, History]]:
    """A copy of the demo data, its figures view, and its replayed history."""
    home = tmp_path_factory.mktemp("demo")
    store = Store(store_kind)
    settings = demo_store.copy(store, home / "home")
    tracker = open_tracker(settings, clock=lambda: TODAY)
    views = figures_view(store, tracker, home / "views.sqlite3")
    yield views, History.read(tracker)
    views.close()
    tracker.close()
    store.drop()
