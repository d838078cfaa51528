"""Several processes open and catch up the same views at once (web workers)."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

from tests.conftest import TODAY, Demo
from tests.stores import Store
from tracker.application import open_tracker
from tracker.config import Settings

PROCESSES = 6
ROUNDS = 3


def _open_and_read(environ: dict[str, str], start: object, errors: object) -> None:
    from projections.views import open_views

    settings = Settings.from_environment(environ)
    start.wait()  # type: ignore[attr-defined]
    try:
        tracker = open_tracker(settings, clock=lambda: TODAY)
        views = open_views(tracker, settings)
        with views.reading() as c:
            c.execute("SELECT COUNT(*) FROM cases")
        views.close()
        tracker.close()
    except Exception as error:
        errors.put(repr(error))  # type: ignore[attr-defined]


def test_views_opened_by_several_processes_at_once_all_open(
    demo_store: Demo, store: Store, tmp_path: Path
) -> None:
    context = multiprocessing.get_context("spawn")
    for round_number in range(ROUNDS):
        home = tmp_path / f"home{round_number}"
        demo_store.copy(store, home)
        environ = store.environ(home)
        start, errors = context.Event(), context.Queue()
        workers = [
            context.Process(target=_open_and_read, args=(environ, start, errors))
            for _ in range(PROCESSES)
        ]
        for worker in workers:
            worker.start()
        start.set()
        for worker in workers:
            worker.join(timeout=120)
        found = (
            [errors.get() for _ in range(errors.qsize())] if not errors.empty() else []
        )
        assert not found, found
        assert all(worker.exitcode == 0 for worker in workers)
