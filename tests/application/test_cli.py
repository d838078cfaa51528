"""The `tracker` command, run as a user runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from projections.catalogue import VIEW_KINDS
from tests.application.builders import event_count, submit
from tests.stores import Store
from tracker.application import open_tracker
from tracker.cli import main


def run(store: Store, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run `tracker ARGS` in a real process with TRACKER_HOME set."""
    env = {**os.environ, **store.environ(home)}
    return subprocess.run(
        [sys.executable, "-m", "tracker", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )


def test_init_creates_the_store_and_is_safe_to_repeat(
    store: Store, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    first, second = run(store, home, "init"), run(store, home, "init")
    assert first.returncode == second.returncode == 0
    if store.kind == "sqlite":
        assert (home / "tracker.sqlite3").exists()
    assert f"Store ready: {store.settings(home).store_description}" in second.stdout
    assert ("PostgreSQL" in second.stdout) == (store.kind == "postgresql")


def test_case_show_of_an_unknown_reference_says_so_without_a_traceback(
    store: Store,
    tmp_path: Path,
) -> None:
    result = run(store, tmp_path, "case", "show", "STR-2024-001")
    assert result.returncode == 1
    assert "error (reference): no case STR-2024-001" in result.stderr
    assert "Traceback" not in result.stderr
    bad = run(store, tmp_path, "case", "show", "not-a-reference")
    assert bad.returncode == 1
    assert "is not a case reference" in bad.stderr


@pytest.fixture(scope="module")
def demo_home(module_store: Store, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One demo load shared by the tests that read it (in `module_store`)."""
    home = tmp_path_factory.mktemp("demo")
    result = run(module_store, home, "demo", "--seed", "7")
    assert result.returncode == 0, result.stderr
    return home


def test_demo_has_six_municipalities_and_300_cases_over_2023_to_2025(
    module_store: Store,
    demo_home: Path,
) -> None:
    tracker = open_tracker(module_store.settings(demo_home))
    cases = tracker.cases()
    assert len(cases) >= 300
    assert len({c.municipality for c in cases}) >= 6
    assert {c.raised_on.year for c in cases} == {2023, 2024, 2025}
    statuses = {c.status for c in cases}
    assert {"declined", "duplicate", "answered", "resolved", "unresolved"} <= statuses
    assert any(c.reopened_times for c in cases)
    assert any(c.jointly_raised for c in cases)
    assert any(r.deadline_state == "very_overdue" for c in cases for r in c.referrals)
    verified = {r.commitment_status for c in cases for r in c.responses}
    assert {"fulfilled", "not_fulfilled"} <= verified
    meetings = [tracker.meeting(m) for m in tracker.meeting_ids()]
    assert len(meetings) >= 6 * 6 * 3
    assert all(m.attendance_total > 0 for m in meetings)


def test_demo_run_twice_adds_nothing(module_store: Store, demo_home: Path) -> None:
    again = run(module_store, demo_home, "demo", "--seed", "7")
    assert again.returncode == 0, again.stderr
    assert "0 cases and 0 meetings added" in again.stdout


def test_the_same_seed_gives_the_same_data(
    store: Store, module_store: Store, demo_home: Path, tmp_path: Path
) -> None:
    assert run(store, tmp_path, "demo", "--seed", "7").returncode == 0

    def fingerprint(where: Store, home: Path) -> list[tuple[object, ...]]:
        tracker = open_tracker(where.settings(home))
        return [
            (
                c.case_id, c.reference, c.status, c.title, c.raised_on, c.communities,
                tuple((r.sent_on, r.due_on, r.substantive_response_on)
                      for r in c.referrals),
                tuple((r.kind, r.received_on) for r in c.responses),
            )
            for c in tracker.cases()
        ]  # fmt: skip

    assert fingerprint(store, tmp_path) == fingerprint(module_store, demo_home)


def test_case_show_prints_state_and_full_timeline(
    module_store: Store, demo_home: Path
) -> None:
    result = run(module_store, demo_home, "case", "show", "STR-2024-003")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("STR-2024-003")
    assert "Timeline:" in result.stdout
    assert "demo-secretary   Submitted" in result.stdout


def test_summary_counts_cases_by_municipality_and_status(
    module_store: Store, demo_home: Path
) -> None:
    result = CliRunner().invoke(main, ["summary"], env=module_store.environ(demo_home))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split()[0] == "municipality"
    assert "Štrpce" in result.output
    assert int(lines[-1].split()[-1]) >= 300


def test_projections_status_shows_each_view_and_its_lag(
    store: Store, tmp_path: Path
) -> None:
    tracker = open_tracker(store.settings(tmp_path))
    submit(tracker)
    head = event_count(tracker)
    tracker.close()

    before = run(store, tmp_path, "projections", "status")
    run(store, tmp_path, "summary")  # a query catches the views up
    after = run(store, tmp_path, "projections", "status")

    assert before.returncode == after.returncode == 0
    for output, position in ((before.stdout, 0), (after.stdout, head)):
        header, *views = (line.split() for line in output.splitlines())
        assert header == ["view", "position", "head", "lag"]
        assert [view[0] for view in views] == [k.name for k in VIEW_KINDS]
        assert all(
            view[1:] == [str(position), str(head), str(head - position)]
            for view in views
        )


def test_projections_rebuild_swaps_in_every_view_and_refuses_an_unknown_one(
    module_store: Store,
    demo_home: Path,
) -> None:
    rebuilt = run(module_store, demo_home, "projections", "rebuild")
    unknown = run(module_store, demo_home, "projections", "rebuild", "nothing")

    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "cases: rebuilt and swapped in" in rebuilt.stderr
    assert unknown.returncode == 2
    assert "no view 'nothing'" in unknown.stderr
