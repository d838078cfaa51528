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
from tracker.application import open_tracker
from tracker.cli import main
from tracker.config import Settings


def run(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run `tracker ARGS` in a real process with TRACKER_HOME set."""
    env = {**os.environ, "TRACKER_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "tracker", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )


def test_init_creates_the_store_and_is_safe_to_repeat(tmp_path: Path) -> None:
    home = tmp_path / "home"
    first, second = run(home, "init"), run(home, "init")
    assert first.returncode == second.returncode == 0
    assert (home / "tracker.sqlite3").exists()
    assert "Store ready" in second.stdout


def test_case_show_of_an_unknown_reference_says_so_without_a_traceback(
    tmp_path: Path,
) -> None:
    result = run(tmp_path, "case", "show", "STR-2024-001")
    assert result.returncode == 1
    assert "error (reference): no case STR-2024-001" in result.stderr
    assert "Traceback" not in result.stderr
    bad = run(tmp_path, "case", "show", "not-a-reference")
    assert bad.returncode == 1
    assert "is not a case reference" in bad.stderr


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One demo load shared by the tests that read it."""
    home = tmp_path_factory.mktemp("demo")
    result = run(home, "demo", "--seed", "7")
    assert result.returncode == 0, result.stderr
    return home


def test_demo_has_six_municipalities_and_300_cases_over_2023_to_2025(
    demo_home: Path,
) -> None:
    tracker = open_tracker(Settings.from_environment({"TRACKER_HOME": str(demo_home)}))
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


def test_demo_run_twice_adds_nothing(demo_home: Path) -> None:
    again = run(demo_home, "demo", "--seed", "7")
    assert again.returncode == 0, again.stderr
    assert "0 cases and 0 meetings added" in again.stdout


def test_the_same_seed_gives_the_same_data(demo_home: Path, tmp_path: Path) -> None:
    assert run(tmp_path, "demo", "--seed", "7").returncode == 0

    def fingerprint(home: Path) -> list[tuple[object, ...]]:
        tracker = open_tracker(Settings.from_environment({"TRACKER_HOME": str(home)}))
        return [
            (
                c.case_id, c.reference, c.status, c.title, c.raised_on, c.communities,
                tuple((r.sent_on, r.due_on, r.substantive_response_on)
                      for r in c.referrals),
                tuple((r.kind, r.received_on) for r in c.responses),
            )
            for c in tracker.cases()
        ]  # fmt: skip

    assert fingerprint(tmp_path) == fingerprint(demo_home)


def test_case_show_prints_state_and_full_timeline(demo_home: Path) -> None:
    result = run(demo_home, "case", "show", "STR-2024-003")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("STR-2024-003")
    assert "Timeline:" in result.stdout
    assert "demo-secretary   Submitted" in result.stdout


def test_summary_counts_cases_by_municipality_and_status(demo_home: Path) -> None:
    result = CliRunner().invoke(main, ["summary"], env={"TRACKER_HOME": str(demo_home)})
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split()[0] == "municipality"
    assert "Štrpce" in result.output
    assert int(lines[-1].split()[-1]) >= 300


def test_projections_status_shows_each_view_and_its_lag(tmp_path: Path) -> None:
    tracker = open_tracker(Settings.from_environment({"TRACKER_HOME": str(tmp_path)}))
    submit(tracker)
    head = event_count(tracker)
    tracker.close()

    before = run(tmp_path, "projections", "status")
    run(tmp_path, "summary")  # a query catches the views up
    after = run(tmp_path, "projections", "status")

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
    demo_home: Path,
) -> None:
    rebuilt = run(demo_home, "projections", "rebuild")
    unknown = run(demo_home, "projections", "rebuild", "nothing")

    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "cases: rebuilt and swapped in" in rebuilt.stderr
    assert unknown.returncode == 2
    assert "no view 'nothing'" in unknown.stderr
