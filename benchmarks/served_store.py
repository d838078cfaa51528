"""The store `bench_web` serves: views caught up, an administrator, references.

Whatever the store (new, or kept with --store and used before), before
anything is served its views are brought up to the last event, so no
request pays for catching up, and it holds the administrator the requests
are made as. `web_costs` reads the same store the same way.
"""

from __future__ import annotations

import random
import time
from pathlib import Path

from benchmarks.bench_commands import TODAY, tracker_in
from projections.case_queries import CaseFilter, find_cases
from projections.views import open_views
from tracker.accounts import AccountNotFound
from tracker.application import CaseTracker
from tracker.config import Settings

SEED = 1
USERNAME, PASSWORD = "benchmark", "load from seven forums at once"


def prepared_site(home: Path, sample: int) -> tuple[int, list[str]]:
    """Views caught up and the benchmark's account made; cases, some references."""
    tracker = tracker_in(home)
    add_account(tracker)
    settings = Settings.from_environment({"TRACKER_HOME": str(home)})
    views = open_views(tracker, settings)
    started = time.perf_counter()
    for status in views.status():
        if status.position == 0:  # a new views file is filled faster by rebuilding
            print(f"rebuilding view {status.name} ...", flush=True)
            views.rebuild(status.name)
    views.catch_up()
    print(f"views caught up in {time.perf_counter() - started:.0f} s (not timed)")
    with views.datastore.transaction(commit=False) as c:
        cases = find_cases(c, CaseFilter(), today=TODAY, per_page=1).total
        rng = random.Random(SEED)
        references = [
            row.reference
            for page in rng.sample(range(1, cases // 20 + 1), max(1, sample // 20))
            for row in find_cases(
                c, CaseFilter(), today=TODAY, page=page, per_page=20
            ).rows
        ]
    views.close()
    tracker.close()
    return cases, references


def add_account(tracker: CaseTracker) -> None:
    """The administrator the requests are made as, unless the store has it."""
    try:
        tracker.account(USERNAME)
    except AccountNotFound:
        tracker.create_account(
            actor="bench_web", username=USERNAME, password=PASSWORD, role="admin"
        )
