"""A backup's folder: written whole or not at all, described by its manifest.

Everything is written into a hidden folder beside the one asked for, each
file flushed to disk, the manifest last; then that folder is renamed into
place and its parent flushed. So a backup folder either holds a finished
backup or does not exist, whatever stops the machine half-way. The manifest
says what the backup holds (a store or keys), how many events, when it was
made and the SHA-256 of every file, checked before anything is restored.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from domain.errors import DomainError

MANIFEST = "manifest.json"
# The manifest's own format, so that a later one can be told apart.
FORMAT = 1
DOCUMENTS = "documents"
# Uploaded documents are named by the SHA-256 of their content.
_DOCUMENT = re.compile(r"^documents/[0-9a-f]{64}$")
CHUNK = 1 << 20
_HOLDING = {"store": "a backup of the store", "keys": "a keys copy"}


class BackupRefused(DomainError):
    """A backup cannot be made or restored as asked; nothing was changed."""


class BackupDamaged(BackupRefused):
    """A backup's files are not what its manifest says, or fail their check."""


@dataclass(frozen=True)
class Manifest:
    """What a backup folder holds, and the hash of every file in it."""

    holds: str  # "store" or "keys"
    store: str  # "sqlite" or "postgresql"
    created_at: str
    files: dict[str, str] = field(default_factory=dict)
    events: int = 0
    last_notification_id: int = 0
    snapshots: int = 0
    format: int = FORMAT

    @property
    def documents(self) -> list[str]:
        """The uploaded documents in the backup, by their path in it."""
        return sorted(name for name in self.files if _DOCUMENT.match(name))

    def write(self, folder: Path) -> None:
        """Keep the manifest in the folder (the last file a backup writes)."""
        (folder / MANIFEST).write_text(json.dumps(asdict(self), indent=2) + "\n")

    @classmethod
    def read(cls, folder: Path, *, holds: str, allowed: frozenset[str]) -> Manifest:
        """The manifest of a finished backup of that kind, or a refusal saying why."""
        if not folder.is_dir():
            raise BackupRefused(f"{folder} is not a backup folder", field="path")
        try:
            text = (folder / MANIFEST).read_text()
        except FileNotFoundError:
            raise BackupRefused(
                f"{folder} has no {MANIFEST}: it is not a finished backup",
                field="path",
            ) from None
        try:
            manifest = cls(**json.loads(text))
        except (ValueError, TypeError):
            raise BackupDamaged(f"{folder / MANIFEST} cannot be read") from None
        if manifest.format != FORMAT:
            raise BackupRefused(f"{folder} was written in another format")
        if manifest.holds != holds:
            raise BackupRefused(
                f"{folder} is {_HOLDING.get(manifest.holds, manifest.holds)}, "
                f"not {_HOLDING[holds]}",
                field="path",
            )
        strange = [
            n
            for n in manifest.files
            if n not in allowed and n not in manifest.documents
        ]
        if strange:
            raise BackupDamaged(
                f"{folder / MANIFEST} lists an unknown file {strange[0]}"
            )
        return manifest

    def check_files(self, folder: Path, *, needed: str) -> None:
        """Refuse a backup without the `needed` file, or whose files are
        missing or not what they were."""
        if needed not in self.files:
            raise BackupDamaged(f"{folder / MANIFEST} lists no {needed}")
        for name, expected in sorted(self.files.items()):
            try:
                found = sha256_of(folder / name)
            except FileNotFoundError:
                raise BackupDamaged(f"{folder / name} is missing") from None
            if found != expected:
                raise BackupDamaged(
                    f"{folder / name} is damaged: its SHA-256 is not the one "
                    f"the manifest recorded when the backup was made"
                )


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file's content, in hex."""
    with path.open("rb") as reading:
        return hashlib.file_digest(reading, "sha256").hexdigest()


def copy_file(source: Path, target: Path, *, mode: int = 0o600) -> str:
    """Copy a file, flushed to disk, under a new name; the SHA-256 of what was copied.

    The copy is made beside the target and renamed onto it when whole.
    """
    digest = hashlib.sha256()
    partial = target.with_name(f".{target.name}.partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        with source.open("rb") as reading, open(descriptor, "wb") as writing:
            while chunk := reading.read(CHUNK):
                digest.update(chunk)
                writing.write(chunk)
            writing.flush()
            os.fsync(writing.fileno())
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    flush_folder(target.parent)
    return digest.hexdigest()


def copy_documents(source: Path, target: Path) -> dict[str, str]:
    """Copy the uploaded documents; their SHA-256 by their path in the backup.

    Only files named by a content hash are documents; others are uploads
    still being written.
    """
    hashes: dict[str, str] = {}
    if not source.is_dir():
        return hashes
    target.mkdir(exist_ok=True)
    for document in sorted(source.iterdir()):
        if document.is_file() and _DOCUMENT.match(f"{DOCUMENTS}/{document.name}"):
            name = f"{DOCUMENTS}/{document.name}"
            hashes[name] = copy_file(document, target / document.name)
    return hashes


def refuse_occupied(path: Path, what: str) -> None:
    """Refuse to write a backup where a file, or a folder with files, is."""
    if path.is_file() or (path.exists() and not path.is_dir()):
        raise BackupRefused(
            f"{path} is a file: give a new (or empty) folder for the {what}",
            field="path",
        )
    if path.is_dir() and any(path.iterdir()):
        raise BackupRefused(
            f"{path} holds files already: give a new (or empty) folder for the {what}",
            field="path",
        )


def refuse_nested(store: Path, keys: Path) -> None:
    """Refuse keys written into the store's backup or the other way round."""
    store, keys = store.resolve(), keys.resolve()
    if store == keys or store in keys.parents or keys in store.parents:
        raise BackupRefused(
            "the keys must be kept apart from the backup: give --keys a folder "
            "outside the backup folder",
            field="keys",
        )


@contextmanager
def new_folder(path: Path, what: str) -> Iterator[Path]:
    """A folder to write into that appears at `path` only once it is whole."""
    refuse_occupied(path, what)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(prefix=f".{path.name}.partial-", dir=path.parent))
    try:
        yield partial
        _flush_tree(partial)
        os.rename(partial, path)  # onto an empty folder too
        flush_folder(path.parent)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise


def _flush_tree(folder: Path) -> None:
    for path in sorted(folder.rglob("*"), reverse=True):
        if path.is_file():
            _flush_file(path)
        else:
            flush_folder(path)
    flush_folder(folder)


def _flush_file(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def flush_folder(folder: Path) -> None:
    """Make a folder's entries (a file renamed into it) last through a crash."""
    descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
