"""Shared fixtures: a tracker on a real store with a fixed 'today'.

Every test that reaches the store runs twice: on SQLite and on PostgreSQL
(`tests.stores`), unless marked ``sqlite_only`` with its reason.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from tests.postgres import needs_postgres
from tests.stores import KINDS, Store, create_database, drop_database
from tracker.application import CaseTracker, open_tracker
from tracker.config import Settings

# The tests' PostgreSQL commits need not wait for the disk: a test database
# is dropped after its test (libpq reads this for every connection, in this
# process and the processes it starts). The product's own stay durable.
os.environ.setdefault("PGOPTIONS", "-c synchronous_commit=off")

TODAY = date(2026, 1, 15)
# Cheap argon2id for tests: the real parameters take 64 MiB and ~50 ms a hash.
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def pytest_configure(config: pytest.Config) -> None:
    """The marker of tests that only make sense on one store."""
    config.addinivalue_line(
        "markers", "sqlite_only(reason): runs on the SQLite store alone, for reason"
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Each test that reaches the store, once per store."""
    if "store_kind" not in metafunc.fixturenames:
        return
    only_sqlite = metafunc.definition.get_closest_marker("sqlite_only")
    kinds = ("sqlite",) if only_sqlite else KINDS
    metafunc.parametrize(
        "store_kind",
        [
            pytest.param(kind, marks=[needs_postgres] if kind == "postgresql" else [])
            for kind in kinds
        ],
        scope="session",
    )


@pytest.fixture
def store(store_kind: str) -> Iterator[Store]:
    """Where this test keeps its events: a SQLite file, or a database of its own."""
    found = Store(store_kind)
    yield found
    found.drop()


@pytest.fixture(scope="module")
def module_store(store_kind: str) -> Iterator[Store]:
    """A store shared by one module's tests (for module-wide fixtures)."""
    found = Store(store_kind)
    yield found
    found.drop()


@pytest.fixture
def settings(store: Store, tmp_path: Path) -> Settings:
    """Settings for a store in the test's own folder (and database)."""
    return store.settings(tmp_path / "home")


@pytest.fixture
def make_tracker(settings: Settings) -> Iterator[Callable[[], CaseTracker]]:
    """Open more trackers on the same store (as other processes would)."""
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
    """A tracker on a fresh store whose 'today' is 2026-01-15."""
    return make_tracker()


@dataclass(frozen=True)
class Demo:
    """The demo data (seed 1), loaded once per run and store: copy it to use it."""

    home: Path
    # The PostgreSQL database it was loaded into (None on SQLite).
    template: str | None

    def copy(self, store: Store, home: Path) -> Settings:
        """A copy of the demo's home folder and store, for one test."""
        shutil.copytree(self.home, home)
        store.copy_of(self.template)
        return store.settings(home)


@pytest.fixture(scope="session")
def demo_store(
    store_kind: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Demo]:
    """The demo data on one store, loaded once per test run."""
    from projections.views import open_views
    from tracker.demo import load_demo

    home = tmp_path_factory.mktemp("demo-store")
    template = create_database() if store_kind == "postgresql" else None
    settings = Store(store_kind, template).settings(home)
    tracker = open_tracker(settings, clock=lambda: TODAY)
    load_demo(tracker)
    # Its views too, built once: every copy starts caught up.
    views = open_views(tracker, settings)
    views.catch_up()
    views.close()
    tracker.close()
    yield Demo(home, template)
    if template is not None:
        drop_database(template)


@pytest.fixture
def demo_tracker(
    demo_store: Demo, store: Store, tmp_path: Path
) -> Iterator[CaseTracker]:
    """A tracker on this test's own copy of the demo data."""
    settings = demo_store.copy(store, tmp_path / "home")
    tracker = open_tracker(settings, clock=lambda: TODAY, password_hasher=FAST_HASHER)
    yield tracker
    tracker.close()
