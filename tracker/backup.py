"""``tracker backup``: a consistent copy of the event store and the uploads.

The copy is made while the tracker serves and writes (see tracker.store_files
for how each database copies itself). Left out: the views (rebuilt from the
events on restore), the sessions (people sign in again) and the keys. The
personal-data keys must never be in a backup: erasing a person destroys
their key so that every copy of their data, backups included, becomes
unreadable (DESIGN §7), and a key kept beside the events would undo that.
``--keys`` copies the keys to a folder of their own, which an operator keeps
apart from the backups, with a retention of its own. They are copied after
the store: a key is made before the first event that needs it is saved, so
every key the store's copy needs is in the keys copy.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from tracker.backup_folder import (
    DOCUMENTS,
    BackupRefused,
    Manifest,
    copy_documents,
    copy_file,
    new_folder,
    refuse_nested,
    refuse_occupied,
    sha256_of,
)
from tracker.config import Settings
from tracker.store_files import (
    POSTGRES_DUMP,
    SQLITE_COPY,
    Tally,
    bare_store,
    copy_sqlite,
    dump_postgres,
    online_copy,
    require_intact,
    store_file,
    store_kind,
)

STORE_FILES = frozenset({SQLITE_COPY, POSTGRES_DUMP})
PERSONAL_KEYS = "personal-keys.sqlite3"
SECOND_FACTOR_KEY = "second-factor.key"
KEYS_FILES = frozenset({PERSONAL_KEYS, SECOND_FACTOR_KEY})

Clock = Callable[[], datetime]


def documents_folder(settings: Settings) -> Path:
    """Where the uploaded documents are kept, named by their SHA-256."""
    return settings.home / DOCUMENTS


def back_up(
    settings: Settings,
    folder: Path,
    *,
    keys: Path | None = None,
    now: Clock | None = None,
) -> Manifest:
    """Copy the event store and the uploads into `folder` (new or empty);
    with `keys`, copy the keys into that other folder."""
    refuse_occupied(folder, "backup")
    if keys is not None:
        refuse_nested(folder, keys)
        refuse_occupied(keys, "keys")
    created_at = _moment(now)
    try:
        manifest = _back_up_store(settings, folder, created_at)
        if keys is not None:
            back_up_keys(settings, keys, created_at)
    except OSError as error:
        raise BackupRefused(f"cannot write the backup: {error}", field="path") from None
    return manifest


def _back_up_store(settings: Settings, folder: Path, created_at: str) -> Manifest:
    with new_folder(folder, "backup") as partial:
        copy = partial / store_file(settings)
        tally = _copy_store(settings, copy)
        files = {copy.name: sha256_of(copy)}
        files |= copy_documents(documents_folder(settings), partial / DOCUMENTS)
        manifest = Manifest(
            holds="store",
            store=store_kind(settings),
            created_at=created_at,
            files=files,
            events=tally.events,
            last_notification_id=tally.last_notification_id,
            snapshots=tally.snapshots,
        )
        manifest.write(partial)
    return manifest


def _copy_store(settings: Settings, copy: Path) -> Tally:
    if settings.database_url:
        bare_store(settings).close()  # its tables exist before they are dumped
        return dump_postgres(settings.database_url, copy)
    if not settings.sqlite_path.is_file():
        raise BackupRefused(
            f"there is no store at {settings.sqlite_path}: is TRACKER_HOME right?",
            field="TRACKER_HOME",
        )
    return copy_sqlite(settings.sqlite_path, copy)


def back_up_keys(settings: Settings, folder: Path, created_at: str) -> Manifest:
    """Copy the personal-data keys and the second-factor key into `folder`."""
    keys = settings.personal_keys_path
    if not keys.is_file():
        raise BackupRefused(
            f"there is no keys file at {keys}: is TRACKER_KEYS right?",
            field="TRACKER_KEYS",
        )
    with new_folder(folder, "keys") as partial:
        online_copy(keys, partial / PERSONAL_KEYS)
        require_intact(partial / PERSONAL_KEYS)
        files = {PERSONAL_KEYS: sha256_of(partial / PERSONAL_KEYS)}
        second_factor = settings.second_factor_key_path
        if second_factor.is_file():
            files[SECOND_FACTOR_KEY] = copy_file(
                second_factor, partial / SECOND_FACTOR_KEY
            )
        manifest = Manifest(
            holds="keys", store=store_kind(settings), created_at=created_at, files=files
        )
        manifest.write(partial)
    return manifest


def _moment(now: Clock | None) -> str:
    return (now or (lambda: datetime.now(UTC)))().isoformat(timespec="seconds")
