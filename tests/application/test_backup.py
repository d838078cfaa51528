"""`tracker backup` and `tracker restore`, while another process writes.

On both stores (SQLite's online backup, PostgreSQL's pg_dump): a restored
store equals the original's first N events, event for event, where N covers
every write acknowledged before the backup began. Refusals change nothing.
The keys, which never travel with a backup, are in test_backup_keys.py;
PostgreSQL's own refusals are in test_backup_postgres.py.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from functools import partial
from pathlib import Path

from tests.application.backups import (
    assert_intact,
    backed_up,
    backed_up_while_writing,
    environment,
    listed_references,
    manifest_of,
    run,
    stored_events,
    tracker_on,
)

# A fixture: imported here, pytest finds it by its name.
from tests.application.backups import new_store as new_store
from tests.application.builders import submit
from tests.stores import Store
from tracker.application import CaseTracker
from tracker.backup import documents_folder
from tracker.backup_folder import sha256_of
from tracker.cli_backup import backup, restore
from tracker.config import Settings
from tracker.store_files import store_file


def test_a_backup_taken_while_cases_are_recorded_restores_event_for_event(
    settings: Settings, new_store: Callable[[str], Settings], tmp_path: Path
) -> None:
    folder = tmp_path / "backup"
    before, output = backed_up_while_writing(settings, folder)
    manifest = manifest_of(folder)
    assert_intact(folder, manifest["store"])
    original = stored_events(settings)
    n = manifest["events"]
    assert manifest["last_notification_id"] >= before
    assert len(original) > n  # the writer went on after the backup
    assert f"events: {n:,} (up to #{manifest['last_notification_id']})" in output

    elsewhere = new_store("new")
    code, output = run(restore, folder, **environment(elsewhere))
    assert code == 0, output

    restored = stored_events(elsewhere)
    assert restored == original[:n]
    assert restored[-1][0] == manifest["last_notification_id"]
    tracker = tracker_on(elsewhere)
    cases = [tracker.case(case_id) for case_id in tracker.case_ids()]
    assert cases[0].status == "accepted"
    assert listed_references(tracker, elsewhere) == {c.reference for c in cases}
    tracker.close()


def test_a_store_with_events_is_replaced_only_when_asked(
    make_tracker: Callable[[], CaseTracker],
    settings: Settings,
    new_store: Callable[[str], Settings],
    tmp_path: Path,
) -> None:
    backed = [submit(make_tracker()).reference for _ in range(3)]
    assert run(backup, tmp_path / "backup", **environment(settings))[0] == 0
    other = new_store("other")
    tracker = tracker_on(other)
    replaced = {submit(tracker, municipality="GRA").reference for _ in range(5)}
    assert listed_references(tracker, other) == replaced  # views to rebuild
    tracker.close()
    there = stored_events(other)

    code, output = run(restore, tmp_path / "backup", **environment(other))
    assert code == 1
    assert f"holds events already (up to #{there[-1][0]})" in output
    assert "--replace" in output
    assert stored_events(other) == there

    code, output = run(restore, tmp_path / "backup", "--replace", **environment(other))
    assert code == 0, output
    assert stored_events(other) == stored_events(settings)
    tracker = tracker_on(other)
    assert listed_references(tracker, other) == set(backed)
    tracker.close()


def flipped(path: Path, at: int, count: int = 16) -> None:
    """Damage a file: invert `count` bytes from `at` (below 0: from the end)."""
    data = bytearray(path.read_bytes())
    for offset in range(at, at + count):
        data[offset] ^= 0xFF
    path.write_bytes(bytes(data))


# Where to damage a store's copy, and what then finds it when the hash does not.
DAMAGE = {
    "sqlite": (4096, 12, "fails SQLite's integrity check"),  # a page's header
    "postgresql": (-200, 64, "pg_restore failed"),  # the events' data
}


def test_a_damaged_backup_is_refused_and_the_store_is_left_as_it_was(
    store: Store, settings: Settings, tmp_path: Path
) -> None:
    folder = tmp_path / "backup"
    backed_up(settings, folder, lambda tracker: [submit(tracker) for _ in range(30)])
    backed_up(settings, tmp_path / "later", partial(submit, title="Written after"))
    before = stored_events(settings)
    copy = folder / store_file(settings)
    at, count, found_by = DAMAGE[store.kind]
    flipped(copy, at, count)

    code, output = run(restore, folder, "--replace", **environment(settings))
    assert code == 1
    assert "is damaged" in output
    assert stored_events(settings) == before

    # Damaged before its hash was taken: the database's own check finds it,
    # and the restore that failed half-way changed nothing.
    manifest = manifest_of(folder)
    manifest["files"][copy.name] = sha256_of(copy)
    (folder / "manifest.json").write_text(json.dumps(manifest))
    code, output = run(restore, folder, "--replace", **environment(settings))
    assert code == 1
    assert found_by in output
    assert stored_events(settings) == before


def test_a_backup_is_not_written_over_a_file_or_a_folder_in_use(
    tracker: CaseTracker, settings: Settings, tmp_path: Path
) -> None:
    submit(tracker)
    a_file = tmp_path / "notes.txt"
    a_file.write_text("keep me")
    code, output = run(backup, a_file, **environment(settings))
    assert (code, a_file.read_text()) == (1, "keep me")
    assert "is a file" in output
    a_file.unlink()
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "old").write_text("an older backup")
    code, output = run(backup, tmp_path / "used", **environment(settings))
    assert code == 1
    assert "holds files already" in output
    (tmp_path / "empty").mkdir()
    assert run(backup, tmp_path / "empty", **environment(settings))[0] == 0


def test_an_unfinished_backup_is_not_restored(
    settings: Settings, tmp_path: Path
) -> None:
    (tmp_path / "half").mkdir()
    (tmp_path / "half" / "tracker.sqlite3").write_bytes(b"partial")
    code, output = run(restore, tmp_path / "half", **environment(settings))
    assert code == 1
    assert "has no manifest.json: it is not a finished backup" in output


def test_uploaded_documents_travel_with_the_backup(
    tracker: CaseTracker,
    settings: Settings,
    new_store: Callable[[str], Settings],
    tmp_path: Path,
) -> None:
    submit(tracker)
    content = b"%PDF-1.7 the mayor's answer"
    digest = hashlib.sha256(content).hexdigest()
    documents_folder(settings).mkdir()
    (documents_folder(settings) / digest).write_bytes(content)
    (documents_folder(settings) / "tmpk2x9").write_bytes(b"an upload half written")
    assert run(backup, tmp_path / "backup", **environment(settings))[0] == 0
    assert manifest_of(tmp_path / "backup")["files"][f"documents/{digest}"] == digest
    elsewhere = new_store("new")
    code, output = run(restore, tmp_path / "backup", **environment(elsewhere))
    assert code == 0, output
    assert "documents put back: 1" in output
    assert [p.name for p in documents_folder(elsewhere).iterdir()] == [digest]
    assert (documents_folder(elsewhere) / digest).read_bytes() == content
