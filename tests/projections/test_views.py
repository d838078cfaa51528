"""Views catch up in batches, apply each event once, and rebuild beside the live one."""

from __future__ import annotations

import sqlite3
import threading
from contextlib import closing
from datetime import date
from pathlib import Path

import pytest

from projections.case_queries import CaseFilter, case_row, find_cases
from projections.view import PositionMoved
from projections.views import BATCH, Views
from tests.application.builders import referred, submit
from tests.conftest import TODAY
from tests.projections.tables import dump
from tests.stores import Store
from tracker.application import CaseTracker


def test_a_query_after_a_command_sees_it(
    store: Store, tracker: CaseTracker, tmp_path: Path
) -> None:
    views = store.views(tracker, tmp_path / "views.sqlite3")
    case_id = submit(tracker).case_id

    tracker.accept_case(case_id, actor="advocate")

    with views.reading() as c:
        found = find_cases(c, CaseFilter(status="accepted"), today=TODAY)
    assert [row.case_id for row in found.rows] == [case_id.hex]


def test_catching_up_reads_only_what_is_new(
    store: Store, tracker: CaseTracker, tmp_path: Path
) -> None:
    views = store.views(tracker, tmp_path / "views.sqlite3")
    referred(tracker)
    first = views.catch_up()

    submit(tracker)

    assert first == 5  # the register opened and numbering, three case events
    assert views.catch_up() == 2  # the register's number and the new case
    assert views.catch_up() == 0
    assert {s.lag for s in views.status()} == {0}


def test_events_are_applied_in_batches_not_one_transaction_each(
    store: Store, demo_tracker: CaseTracker, tmp_path: Path
) -> None:
    tracker = demo_tracker
    views = store.views(tracker, tmp_path / "views.sqlite3")
    batches: list[int] = []

    views.catch_up(progress=batches.append)

    assert sum(batches) == views.head()
    assert len(batches) == -(-views.head() // BATCH)


def test_a_batch_delivered_again_changes_nothing(
    store: Store, tracker: CaseTracker, tmp_path: Path
) -> None:
    views = store.views(tracker, tmp_path / "views.sqlite3")
    referred(tracker)
    behind = list(views.live.values())
    views._apply(behind, 0, views.head(), batches=1)
    before = dump(views)

    with pytest.raises(PositionMoved):
        views._apply(behind, 0, views.head(), batches=1)

    assert dump(views) == before


def test_two_workers_at_once_give_the_views_a_clean_rebuild_gives(
    store: Store, demo_tracker: CaseTracker, tmp_path: Path
) -> None:
    tracker = demo_tracker
    workers = [store.views(tracker, tmp_path / "views.sqlite3") for _ in range(2)]
    failures: list[BaseException] = []

    def work(views: Views) -> None:
        try:
            views.catch_up()
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=work, args=(w,)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    clean = store.views(tracker, tmp_path / "clean.sqlite3")
    clean.catch_up()

    assert failures == []
    assert dump(workers[0]) == dump(clean)


def test_a_rebuild_serves_the_old_view_until_it_swaps_in_the_new(
    store: Store, demo_tracker: CaseTracker, tmp_path: Path
) -> None:
    tracker = demo_tracker
    views = store.views(tracker, tmp_path / "views.sqlite3")
    views.catch_up()
    before = dump(views)
    seen_during: list[int] = []

    def count_live_cases(_: int) -> None:
        with views.datastore.transaction(commit=False) as c:
            c.execute("SELECT COUNT(*) FROM cases")
            seen_during.append(c.fetchone()[0])

    views.rebuild("cases", progress=count_live_cases)

    total = len(before["cases"])
    assert seen_during
    assert set(seen_during) == {total}
    assert dump(views) == before
    assert views.status()[0].lag == 0


def test_rows_kept_in_memory_are_dropped_when_another_worker_moved_the_view(
    store: Store, tracker: CaseTracker, tmp_path: Path
) -> None:
    path = tmp_path / "views.sqlite3"
    mine, another = store.views(tracker, path), store.views(tracker, path)
    case_id = submit(tracker).case_id
    mine.catch_up()  # holds the case's row, as submitted
    tracker.accept_case(case_id, actor="advocate")
    another.catch_up()
    tracker.take_action(
        case_id, actor="advocate", kind="letter", taken_on=date(2025, 3, 12),
        description="Letter to the mayor", communities=["serb"],
    )  # fmt: skip

    mine.catch_up()

    with mine.reading() as c:
        row = case_row(c, case_id.hex, today=TODAY)
    assert row is not None
    assert row.status == "in_advocacy"


def test_a_batch_that_fails_leaves_the_views_as_they_were(
    store: Store,
    demo_tracker: CaseTracker,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    views = store.views(demo_tracker, tmp_path / "views.sqlite3", batch=50)
    views.catch_up(until=200)
    before = dump(views)
    figures = views.live["figures"]

    def disk_full(c: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(figures, "finish", disk_full)
    with pytest.raises(OSError, match="disk full"):
        views.catch_up()
    assert dump(views) == before
    monkeypatch.undo()
    # Another worker takes the views exactly where the failed batch ended:
    # what the failed batch left in this worker's memory must count for nothing.
    store.views(demo_tracker, tmp_path / "views.sqlite3", batch=50).catch_up(until=250)
    views.catch_up()

    clean = store.views(demo_tracker, tmp_path / "clean.sqlite3")
    clean.catch_up()
    assert dump(views) == dump(clean)


def test_a_rebuild_takes_in_commands_made_while_it_ran(
    store: Store, demo_tracker: CaseTracker, tmp_path: Path
) -> None:
    tracker = demo_tracker
    views = store.views(tracker, tmp_path / "views.sqlite3")
    views.catch_up()
    made: list[str] = []

    def command_meanwhile(_: int) -> None:
        if not made:
            made.append(submit(tracker, raised_on=date(2025, 12, 1)).reference)

    views.rebuild("cases", progress=command_meanwhile)

    with views.reading() as c:
        c.execute("SELECT COUNT(*) FROM cases WHERE reference = ?", (made[0],))
        assert c.fetchone()[0] == 1
    clean = store.views(tracker, tmp_path / "clean.sqlite3")
    clean.catch_up()
    assert dump(views) == dump(clean)


@pytest.mark.parametrize("position", [0, 3], ids=["empty", "caught up"])
def test_views_left_by_an_earlier_version_are_built_again(
    store: Store, tracker: CaseTracker, tmp_path: Path, position: int
) -> None:
    path = tmp_path / "views.sqlite3"
    submit(tracker)
    with closing(sqlite3.connect(path)) as db, db:
        db.execute(
            "CREATE TABLE tracking (application_name TEXT PRIMARY KEY, "
            "notification_id INTEGER) WITHOUT ROWID"
        )
        db.execute("INSERT INTO tracking VALUES ('cases', ?)", (position,))
        db.execute("CREATE TABLE cases (case_id TEXT PRIMARY KEY, status TEXT)")

    views = store.views(tracker, path)

    with views.reading() as c:
        found = find_cases(c, CaseFilter(), today=TODAY)
    assert found.total == 1


def test_a_view_whose_tables_changed_shape_is_built_again(
    store: Store, demo_tracker: CaseTracker, tmp_path: Path
) -> None:
    path = tmp_path / "views.sqlite3"
    older = store.views(demo_tracker, path)
    older.catch_up()
    before = dump(older)
    with older.datastore.transaction(commit=True) as c:
        c.execute("UPDATE view_shapes SET shape = 'older' WHERE name = 'figures'")
        c.execute("DELETE FROM figure_cases")

    views = store.views(demo_tracker, path)

    assert {s.name: s.position for s in views.status()}["figures"] == 0
    views.catch_up()
    assert dump(views) == before


def test_a_nul_character_in_recorded_text_never_stops_the_views(
    store: Store, tracker: CaseTracker, tmp_path: Path
) -> None:
    # PostgreSQL text holds no NUL: a view that could not write the row
    # would stop at that event for good.
    views = store.views(tracker, tmp_path / "views.sqlite3")
    tracker.sign_in("someone\x00else", "wrong password")
    case_id = submit(tracker, title="Lamps\x00 on the road").case_id

    views.catch_up()

    with views.reading() as c:
        found = find_cases(c, CaseFilter(), today=TODAY)
    assert [row.case_id for row in found.rows] == [case_id.hex]
    assert found.rows[0].title.replace("\ufffd", "\x00") == "Lamps\x00 on the road"
    assert [view.lag for view in views.status()] == [0] * len(views.status())
