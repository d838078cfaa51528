"""Shared fixtures: a tracker on a real SQLite file with a fixed 'today'."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from tracker.application import CaseTracker, open_tracker
from tracker.config import Settings

TODAY = date(2026, 1, 15)
# Cheap argon2id for tests: the real parameters take 64 MiB and ~50 ms a hash.
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings for a store in the test's own folder."""
    return Settings.from_environment({"TRACKER_HOME": str(tmp_path / "home")})


@pytest.fixture
def make_tracker(settings: Settings) -> Iterator[Callable[[], CaseTracker]]:
    """Open more trackers on the same SQLite file (as other processes would)."""
    opened: list[CaseTracker] = []

    def make() -> CaseTracker:
        tracker = open_tracker(
            settings, clock=lambda: TODAY, password_hasher=FAST_HASHER
        )
        opened.append(tracker)
        return tracker

    yield make
    for tracker in opened:
        tracker.close()


@pytest.fixture
def tracker(make_tracker: Callable[[], CaseTracker]) -> CaseTracker:
    """A tracker on a fresh SQLite file whose 'today' is 2026-01-15."""
    return make_tracker()


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A home folder with the demo data (seed 1), loaded once per test run."""
    from tracker.demo import load_demo

    home = tmp_path_factory.mktemp("demo-store")
    settings = Settings.from_environment({"TRACKER_HOME": str(home)})
    tracker = open_tracker(settings, clock=lambda: TODAY)
    load_demo(tracker)
    tracker.close()
    return home


@pytest.fixture
def demo_tracker(demo_store: Path, tmp_path: Path) -> Iterator[CaseTracker]:
    """A tracker on this test's own copy of the demo data."""
    home = tmp_path / "home"
    shutil.copytree(demo_store, home)
    settings = Settings.from_environment({"TRACKER_HOME": str(home)})
    tracker = open_tracker(settings, clock=lambda: TODAY, password_hasher=FAST_HASHER)
    yield tracker
    tracker.close()
