"""A key per person, kept apart from the event store (DESIGN §7).

Personal data is sealed with AES-256-GCM under its person's own key before
it is written into an event or a snapshot. The keys live in their own SQLite
file (``TRACKER_HOME/keys/personal-keys.sqlite3`` unless ``TRACKER_KEYS``
says where), never in the event store and never in its backups. Destroying a
person's key is erasure: every copy of their data, wherever it was copied,
becomes noise.

The file is written so that a destroyed key leaves no readable trace in it:
``secure_delete`` overwrites the freed bytes, and the rollback journal (not a
write-ahead log, which would keep old pages until a checkpoint) is deleted
at the end of each transaction.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from uuid import UUID

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from tracker.errors import store_failure

KEY_BYTES = 32
NONCE_BYTES = 12
# Seconds a writer waits for another process's write lock.
LOCK_TIMEOUT_SECONDS = 30

# `holder` is the aggregate (a case) whose events hold the person's data;
# an erased person keeps their row, with no key, so erasing is answered twice.
_SCHEMA = """
CREATE TABLE IF NOT EXISTS person_keys (
    person_id TEXT PRIMARY KEY,
    key BLOB,
    holder TEXT NOT NULL
) WITHOUT ROWID
"""


class NoKeyFor(LookupError):
    """Data was about to be sealed for a person no holder was named for."""


class KeysDoNotFit(RuntimeError):
    """The keys file has no key, nor a record of erasure, for data in the store.

    Reading such data as "erased" would lose it for good at the next
    snapshot; the wrong TRACKER_KEYS must stop the reader instead.
    """


class PersonalKeys:
    """Seals and opens personal data with each person's key; forgets a person."""

    def __init__(self, path: Path | str) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            _private_folder(Path(self.path).parent)
        # One connection, shared by a process's threads one at a time.
        self._lock = threading.RLock()
        self._connection = sqlite3.connect(
            self.path,
            timeout=LOCK_TIMEOUT_SECONDS,
            isolation_level=None,
            check_same_thread=False,
        )
        for pragma in (
            "journal_mode = DELETE",
            "secure_delete = ON",
            "synchronous = FULL",
        ):
            self._connection.execute(f"PRAGMA {pragma}")
        self._connection.execute(_SCHEMA)
        if self.path != ":memory:":
            os.chmod(self.path, 0o600)

    @classmethod
    def in_memory(cls) -> PersonalKeys:
        """Keys that last as long as the process (for a tracker built bare)."""
        return cls(":memory:")

    def hold(self, person_id: UUID, *, holder: UUID) -> bool:
        """Make the person's key, naming the record that holds their data;
        False when the person was erased (their data cannot be kept again)."""
        row = self._row(person_id)
        if row is None:
            with self._writing() as c:
                # Another process may have made it since: the first one stands.
                c.execute(
                    "INSERT OR IGNORE INTO person_keys (person_id, key, holder) "
                    "VALUES (?, ?, ?)",
                    (
                        person_id.hex,
                        AESGCM.generate_key(bit_length=KEY_BYTES * 8),
                        holder.hex,
                    ),
                )
            row = self._row(person_id)
        return row is not None and row[0] is not None

    def holder_of(self, person_id: UUID) -> UUID | None:
        """The record holding the person's data (also once erased)."""
        row = self._row(person_id)
        return UUID(row[1]) if row else None

    def key_of(self, person_id: UUID) -> bytes | None:
        """The person's key, if they have one."""
        row = self._row(person_id)
        return bytes(row[0]) if row and row[0] is not None else None

    def seal(self, person_id: UUID, plaintext: bytes) -> bytes:
        """Encrypt for one person, with their key."""
        key = self.key_of(person_id)
        if key is None:
            raise NoKeyFor(f"no key for {person_id}: hold() it before saving")
        nonce = os.urandom(NONCE_BYTES)
        return nonce + AESGCM(key).encrypt(nonce, plaintext, person_id.bytes)

    def open(self, person_id: UUID, sealed: bytes) -> bytes | None:
        """Decrypt a person's data; None once their key is destroyed."""
        row = self._row(person_id)
        if row is None:
            raise KeysDoNotFit(
                f"{self.path} holds no key for person {person_id}, whose data is "
                "in the store: TRACKER_KEYS does not belong to this store"
            )
        if row[0] is None:
            return None  # erased
        nonce, body = sealed[:NONCE_BYTES], sealed[NONCE_BYTES:]
        try:
            return AESGCM(bytes(row[0])).decrypt(nonce, body, person_id.bytes)
        except InvalidTag:
            raise KeysDoNotFit(
                f"the key in {self.path} for person {person_id} does not open "
                "their data: TRACKER_KEYS does not belong to this store"
            ) from None

    def destroy(self, person_id: UUID) -> bool:
        """Forget the person's key for good; whether there was one to forget."""
        holder = self.holder_of(person_id)
        if holder is None:
            return False
        with self._writing() as c:
            # Deleted (its bytes overwritten) and written anew without a key,
            # rather than updated in place.
            deleted = c.execute(
                "DELETE FROM person_keys WHERE person_id = ? AND key IS NOT NULL",
                (person_id.hex,),
            ).rowcount
            if deleted:
                c.execute(
                    "INSERT INTO person_keys (person_id, key, holder) "
                    "VALUES (?, NULL, ?)",
                    (person_id.hex, holder.hex),
                )
        return bool(deleted)

    def _row(self, person_id: UUID) -> tuple[bytes | None, str] | None:
        """The person's key (None once erased) and holder; None if unknown."""
        with self._lock, _failures_named():
            row: tuple[bytes | None, str] | None = self._connection.execute(
                "SELECT key, holder FROM person_keys WHERE person_id = ?",
                (person_id.hex,),
            ).fetchone()
        return row

    def close(self) -> None:
        """Let go of the file."""
        with self._lock:
            self._connection.close()

    @contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        with self._lock, _failures_named():
            c = self._connection
            c.execute("BEGIN IMMEDIATE")
            try:
                yield c
                c.execute("COMMIT")
            except BaseException:
                if c.in_transaction:  # a full disk may have ended it already
                    c.execute("ROLLBACK")
                raise


@contextmanager
def _failures_named() -> Iterator[None]:
    """A locked keys file, or one on a full disk, as the store's named errors."""
    try:
        yield
    except sqlite3.OperationalError as error:
        raise store_failure(
            error, unavailable="the personal keys are unavailable"
        ) from error


def _private_folder(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
