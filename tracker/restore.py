"""``tracker restore``: a backup brought back, every check made before any change.

In order: the manifest and each file's SHA-256; a store holding events is
not overwritten unless asked (`replace`); the store's copy is staged beside
the live one, passes SQLite's integrity check and holds the events the
manifest counted; and every event is read with the keys the store will be
used with, so a restore without the keys of its personal data (or with the
wrong TRACKER_STORE_KEY) is refused while nothing has changed. Only then is
the store replaced, in one transaction (see tracker.store_files), and the
keys and uploads put in place. A PostgreSQL dump can only be read once
restored: there the keys are tried just after. The caller rebuilds the views.

Without `keys` the store is read with the keys the settings name, the
current ones, in which an erased person has no key: an old backup shows
their data erased. A keys copy never overwrites a keys file that holds
anyone's key, since it could bring back a key destroyed after it was made.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

from eventsourcing.persistence import MapperDeserialisationError

from tracker.backup import (
    KEYS_FILES,
    PERSONAL_KEYS,
    SECOND_FACTOR_KEY,
    STORE_FILES,
    documents_folder,
)
from tracker.backup_folder import (
    BackupDamaged,
    BackupRefused,
    Manifest,
    copy_file,
    flush_folder,
    sha256_of,
)
from tracker.config import Settings
from tracker.personal_keys import KeysDoNotFit
from tracker.store_files import (
    Tally,
    bare_store,
    check_dump,
    checked_sqlite,
    every_event,
    online_copy,
    read_only,
    require_intact,
    restore_postgres,
    sqlite_into_place,
    store_file,
    store_kind,
    tally_postgres,
)

STAGED = ".restoring-"


@dataclass(frozen=True)
class Restored:
    """What a restore brought back."""

    manifest: Manifest
    documents: int
    keys: bool


def restore(
    settings: Settings, folder: Path, *, keys: Path | None = None, replace: bool = False
) -> Restored:
    """Bring back the backup in `folder` (and the keys copy in `keys`)."""
    manifest = Manifest.read(folder, holds="store", allowed=STORE_FILES)
    _require_same_store(manifest, settings)
    backup = folder / store_file(settings)
    manifest.check_files(folder, needed=backup.name)
    keys_manifest = _checked_keys(settings, keys) if keys is not None else None
    _require_empty(settings, replace)
    with _staged_keys(settings, keys, keys_manifest) as reading_keys:
        if settings.database_url:
            check_dump(backup, settings.database_url)
            restore_postgres(backup, settings.database_url)
            _require_counted(tally_postgres(settings.database_url), manifest)
            _require_readable(settings, None, reading_keys, restored=True)
        else:
            with _staged_store(settings, backup) as copy:
                _require_counted(checked_sqlite(copy), manifest)
                _require_readable(settings, copy, reading_keys, restored=False)
                sqlite_into_place(copy, settings.sqlite_path)
        if keys is not None and keys_manifest is not None:
            _place_keys(settings, keys, keys_manifest, reading_keys)
    return Restored(
        manifest, _restore_documents(settings, folder, manifest), keys is not None
    )


def _require_same_store(manifest: Manifest, settings: Settings) -> None:
    kind = store_kind(settings)
    if manifest.store == kind:
        return
    hint = (
        "restore it into SQLite (TRACKER_DB unset), then run tracker migrate"
        if manifest.store == "sqlite"
        else "restore it with TRACKER_DB set to a PostgreSQL database"
    )
    raise BackupRefused(
        f"this is a backup of a {manifest.store} store and TRACKER_DB names a "
        f"{kind} one: {hint}",
        field="TRACKER_DB",
    )


def _require_empty(settings: Settings, replace: bool) -> None:
    if replace:
        return
    store = bare_store(settings)
    try:
        head = store.recorder.max_notification_id() or 0
    finally:
        store.close()
    if head:
        raise BackupRefused(
            f"{settings.store_description} holds events already (up to #{head}): "
            "give --replace to overwrite it with the backup (stop the tracker first)",
            field="replace",
        )


def _require_counted(found: Tally, manifest: Manifest) -> None:
    expected = Tally(manifest.events, manifest.last_notification_id, manifest.snapshots)
    if found != expected:
        raise BackupDamaged(
            f"the backup holds {found.events} events up to "
            f"#{found.last_notification_id} where its manifest says "
            f"{expected.events} up to #{expected.last_notification_id}"
        )


def _require_readable(
    settings: Settings, copy: Path | None, keys: Path, *, restored: bool
) -> None:
    """Read every event with these keys; refuse, saying which key does not fit."""
    store = bare_store(settings, sqlite_file=copy, keys=keys)
    done = "The store was restored, but " if restored else ""
    again = " (restore again with --replace)" if restored else ""
    try:
        for event in every_event(store.recorder):
            store.mapper.to_domain_event(event)
    except MapperDeserialisationError as error:
        if isinstance(error.__cause__, KeysDoNotFit):
            raise BackupRefused(
                f"{done}its personal data does not open with the keys in {keys}: "
                f"give --keys (the keys copy){again}, or set TRACKER_KEYS to "
                "this store's keys file",
                field="keys",
            ) from None
        raise BackupRefused(
            f"{done}TRACKER_STORE_KEY does not open its events: give the key "
            f"they were written with (or none, if they were written without "
            f"one){again}",
            field="TRACKER_STORE_KEY",
        ) from None
    finally:
        store.close()


@contextmanager
def _staged_store(settings: Settings, backup: Path) -> Iterator[Path]:
    settings.home.mkdir(parents=True, exist_ok=True)
    copy = settings.home / f"{STAGED}{backup.name}"
    try:
        copy_file(backup, copy)
        yield copy
    finally:
        for leftover in (
            copy,
            *(copy.with_name(copy.name + s) for s in ("-wal", "-shm", "-journal")),
        ):
            leftover.unlink(missing_ok=True)


def _checked_keys(settings: Settings, keys: Path) -> Manifest:
    manifest = Manifest.read(keys, holds="keys", allowed=KEYS_FILES)
    manifest.check_files(keys, needed=PERSONAL_KEYS)
    current = settings.personal_keys_path
    if _holds_anyone(current):
        raise BackupRefused(
            f"{current} holds keys already: a keys copy could bring back a key "
            "destroyed since it was made (an erased person). Restore without "
            "--keys to keep these keys, or move that file away first",
            field="keys",
        )
    second = settings.second_factor_key_path
    copied = manifest.files.get(SECOND_FACTOR_KEY)
    if copied and second.is_file() and sha256_of(second) != copied:
        raise BackupRefused(
            f"{second} is another second-factor key than the copy's: move it "
            "away first (second factors made with it would stop working)",
            field="keys",
        )
    return manifest


def _holds_anyone(keys: Path) -> bool:
    if not keys.is_file():
        return False
    try:
        with closing(read_only(keys)) as c:
            # The table of tracker.personal_keys, if a key was ever made.
            table = c.execute(
                "SELECT 1 FROM sqlite_master WHERE name = 'person_keys'"
            ).fetchone()
            return bool(table and c.execute("SELECT 1 FROM person_keys").fetchone())
    except sqlite3.DatabaseError:
        return True  # unreadable: not to be written over


@contextmanager
def _staged_keys(
    settings: Settings, keys: Path | None, manifest: Manifest | None
) -> Iterator[Path]:
    """The keys file the restored store is read with (a keys copy: staged)."""
    if keys is None or manifest is None:
        yield settings.personal_keys_path
        return
    target = settings.personal_keys_path
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    staged = target.with_name(f"{STAGED}{target.name}")
    try:
        online_copy(keys / PERSONAL_KEYS, staged)
        staged.chmod(0o600)
        require_intact(staged)
        yield staged
    finally:
        staged.unlink(missing_ok=True)


def _place_keys(
    settings: Settings, keys: Path, manifest: Manifest, staged: Path
) -> None:
    target = settings.personal_keys_path
    staged.replace(target)
    flush_folder(target.parent)
    if SECOND_FACTOR_KEY in manifest.files:
        second = settings.second_factor_key_path
        second.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        copy_file(keys / SECOND_FACTOR_KEY, second)


def _restore_documents(settings: Settings, folder: Path, manifest: Manifest) -> int:
    """Put back the uploaded documents that are not there; how many were."""
    target = documents_folder(settings)
    restored = 0
    for name in manifest.documents:
        document = target / Path(name).name
        if document.is_file():
            continue
        target.mkdir(parents=True, exist_ok=True)
        if copy_file(folder / name, document) != manifest.files[name]:
            document.unlink()
            raise BackupDamaged(f"{folder / name} changed while it was restored")
        restored += 1
    return restored
