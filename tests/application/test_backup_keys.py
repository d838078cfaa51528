"""The keys never travel with a backup, so an erasure reaches every backup.

`tracker backup --keys` copies the personal-data keys and the second-factor
key into a folder kept apart from the backup; `tracker restore --keys` puts
them back. Without them a new home cannot read the personal data, and an old
backup restored beside the current keys shows an erased person erased. On
both stores.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from uuid import uuid4

import pytest

from domain.personal import submitter_id
from tests.application.backups import environment, run, stored_events, tracker_on

# A fixture: imported here, pytest finds it by its name.
from tests.application.backups import new_store as new_store
from tests.stores import Store
from tracker.application import CaseTracker
from tracker.cli_backup import backup, restore
from tracker.cli_people import erase_person
from tracker.config import Settings
from tracker.second_factor import SecondFactorKey
from tracker.store_files import store_file

NAME = "Drita Kosovare-Unike 7731"


def named_case(tracker: CaseTracker) -> str:
    """A case raised by a named person, with a sensitive note; its reference."""
    case = tracker.submit_case(
        actor="secretary", municipality="LIP", title="No light on the Gllogoc road",
        description="The road to the school is dark.", category="infrastructure",
        communities=["albanian", "serb"], raised_on=date(2025, 11, 3),
        submitter={"name": NAME, "contact": "+383 44 000 111"},
    )  # fmt: skip
    tracker.add_note(case.case_id, actor="secretary", text=NAME, sensitive=True)
    return case.reference


def files_under(folder: Path) -> list[Path]:
    """Every file in a folder and below."""
    return [path for path in folder.rglob("*") if path.is_file()]


@pytest.fixture
def backed_up_with_keys(
    tracker: CaseTracker, settings: Settings, tmp_path: Path
) -> tuple[str, bytes]:
    """A named case backed up into tmp/backup, its keys into tmp/keys."""
    reference = named_case(tracker)
    SecondFactorKey(settings.second_factor_key_path).seal("JBSWY3DP", uuid4())
    key = tracker.personal_keys.key_of(submitter_id(tracker.case(reference).case_id))
    assert key is not None
    code, output = run(
        backup,
        tmp_path / "backup",
        "--keys",
        tmp_path / "keys",
        **environment(settings),
    )
    assert code == 0, output
    return reference, key


def test_a_backup_holds_no_key_and_the_keys_copy_is_kept_apart(
    backed_up_with_keys: tuple[str, bytes], settings: Settings, tmp_path: Path
) -> None:
    _, key = backed_up_with_keys
    in_backup = files_under(tmp_path / "backup")
    assert {p.name for p in in_backup} == {store_file(settings), "manifest.json"}
    for path in in_backup:
        assert key not in path.read_bytes()
        assert NAME.encode() not in path.read_bytes()
        assert path.name not in ("personal-keys.sqlite3", "second-factor.key")
    assert {p.name for p in files_under(tmp_path / "keys")} == {
        "personal-keys.sqlite3", "second-factor.key", "manifest.json",
    }  # fmt: skip
    code, output = run(
        backup, tmp_path / "b2", "--keys", tmp_path / "b2" / "keys",
        **environment(settings),
    )  # fmt: skip
    assert code == 1
    assert "kept apart from the backup" in output
    assert not (tmp_path / "b2").exists()


def test_restored_with_the_keys_copy_the_personal_data_reads(
    backed_up_with_keys: tuple[str, bytes],
    settings: Settings,
    new_store: Callable[[str], Settings],
    tmp_path: Path,
) -> None:
    reference, _ = backed_up_with_keys
    elsewhere = new_store("new")
    code, output = run(
        restore, tmp_path / "backup", "--keys", tmp_path / "keys",
        **environment(elsewhere),
    )  # fmt: skip
    assert code == 0, output
    tracker = tracker_on(elsewhere)
    assert tracker.case(reference).submitter.name == NAME  # type: ignore[union-attr]
    assert tracker.case(reference).notes[0].text == NAME
    tracker.close()
    assert elsewhere.second_factor_key_path.read_bytes() == (
        settings.second_factor_key_path.read_bytes()
    )


def test_without_its_keys_a_new_home_cannot_read_the_backup(
    backed_up_with_keys: tuple[str, bytes],
    store: Store,
    new_store: Callable[[str], Settings],
    tmp_path: Path,
) -> None:
    elsewhere = new_store("new")
    code, output = run(restore, tmp_path / "backup", **environment(elsewhere))
    assert code == 1
    assert "its personal data does not open with the keys in" in output
    if store.kind == "sqlite":  # read before anything changed
        assert stored_events(elsewhere) == []
    else:  # a dump can only be read once restored
        assert "The store was restored, but" in output


def test_after_an_erasure_an_old_backup_read_with_the_current_keys_is_erased(
    backed_up_with_keys: tuple[str, bytes],
    settings: Settings,
    new_store: Callable[[str], Settings],
    tmp_path: Path,
) -> None:
    reference, key = backed_up_with_keys
    code, output = run(
        erase_person, reference, "--reason", "She asked in writing", "--yes",
        **environment(settings),
    )  # fmt: skip
    assert code == 0, output
    elsewhere = replace(new_store("new"), keys_path=settings.personal_keys_path)
    code, output = run(restore, tmp_path / "backup", **environment(elsewhere))
    assert code == 0, output
    tracker = tracker_on(elsewhere)
    submitter = tracker.case(reference).submitter
    assert submitter is not None
    assert (submitter.erased, submitter.name) == (True, None)
    assert tracker.case(reference).notes[0].text is None
    tracker.close()
    # Nor can the keys copy be put back over the keys in use to undo it.
    code, output = run(
        restore, tmp_path / "backup", "--keys", tmp_path / "keys", "--replace",
        **environment(settings),
    )  # fmt: skip
    assert code == 1
    assert "holds keys already" in output
    assert key not in settings.personal_keys_path.read_bytes()
