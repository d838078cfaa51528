"""Safe retries: a POST sent again with the same ``Idempotency-Key`` writes nothing.

The first request with a key reserves it; when it succeeds, its answer is
kept and every later request with that key (from the same account, with the
same method, path and body) gets that answer back, marked
``Idempotent-Replayed: true``. A key reused for a different request is
refused (422); a key whose first request is still running answers 409,
unless the server process running it has died (then the retry takes over). A
refused request keeps nothing, so a retry of it runs again (nothing was
written). Kept answers are forgotten after a day.

An answer can be lost after the request's changes were saved (the process
was killed between the two). The changes were saved with the request's
receipt (`tracker.receipts`), so the retry writes nothing and answers 409,
saying the request was carried out already.

The keys live in their own SQLite file in TRACKER_HOME, apart from the
events (which never change) and the views (which are rebuilt).
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar, cast
from uuid import NAMESPACE_URL, UUID, uuid5

from flask import Response, current_app, request

from tracker.errors import store_failure
from tracker.receipts import receipt_for
from web.api.auth import caller
from web.api.errors import refuse
from web.api.worker_processes import has_ended, this_process
from web.services import services

F = TypeVar("F", bound=Callable[..., Any])

HEADER = "Idempotency-Key"
FILENAME = "idempotency.sqlite3"
# A first request still running after this long is taken to have died.
PENDING_SECONDS = 60
KEPT_SECONDS = 24 * 3600
# Headers of a kept answer that a replay repeats.
_KEPT_HEADERS = ("Content-Type", "ETag", "Location")
_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")
CARRIED_OUT = (
    "already carried out by an earlier attempt with this key, whose answer was "
    "lost; nothing more was written: read the record to see the result"
)

DOC = {
    "parameters": [
        {
            "in": "header",
            "name": HEADER,
            "required": False,
            "schema": {"type": "string", "minLength": 1, "maxLength": 255},
            "description": "Send the same key again to retry safely: the first "
            "answer comes back and nothing is written twice. If that answer was "
            "lost after the request's changes were saved, the retry answers 409 "
            "'already carried out' and writes nothing.",
        }
    ]
}


class IdempotencyKeys:
    """The kept keys and answers, in one small SQLite file."""

    def __init__(self, home: Path) -> None:
        self.path = home / FILENAME
        with self._transaction() as db:
            db.execute(
                "CREATE TABLE IF NOT EXISTS idempotency_keys ("
                " account TEXT NOT NULL, key TEXT NOT NULL,"
                " request TEXT NOT NULL, created_at REAL NOT NULL,"
                " status INTEGER, body BLOB, headers TEXT,"
                " PRIMARY KEY (account, key))"
            )
            described = db.execute("PRAGMA table_info(idempotency_keys)")
            columns = {row[1] for row in described}
            if "owner" not in columns:  # a file from before owners were kept
                db.execute("ALTER TABLE idempotency_keys ADD COLUMN owner TEXT")

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            db.execute("BEGIN IMMEDIATE")
            yield db
            db.execute("COMMIT")
        except BaseException as error:
            if db.in_transaction:  # a full disk may have ended it already
                db.execute("ROLLBACK")
            if isinstance(error, sqlite3.OperationalError):
                raise store_failure(
                    error, unavailable="the retry keys are unavailable"
                ) from error
            raise
        finally:
            db.close()

    def reserve(self, account: str, key: str, fingerprint: str) -> Response | None:
        """Reserve the key for this request; or the kept answer of its first one."""
        now = time.time()
        with self._transaction() as db:
            db.execute(
                "DELETE FROM idempotency_keys WHERE created_at < ?",
                (now - KEPT_SECONDS,),
            )
            kept = db.execute(
                "SELECT request, created_at, status, body, headers, owner "
                "FROM idempotency_keys WHERE account = ? AND key = ?",
                (account, key),
            ).fetchone()
            if kept is None or (kept[2] is None and _abandoned(kept[1], kept[5], now)):
                db.execute(
                    "INSERT OR REPLACE INTO idempotency_keys "
                    "(account, key, request, created_at, owner) VALUES (?, ?, ?, ?, ?)",
                    (account, key, fingerprint, now, this_process()),
                )
                return None
        if kept[0] != fingerprint:
            refuse(422, errors=[(HEADER, "the key was used for another request")])
        if kept[2] is None:
            refuse(409, errors=[(HEADER, "the first request with this key is running")])
        replay = Response(kept[3], status=kept[2], headers=json.loads(kept[4]))
        replay.headers["Idempotent-Replayed"] = "true"
        return replay

    def keep(self, account: str, key: str, response: Response) -> None:
        """Keep a successful answer for the key's later requests."""
        headers = {
            h: response.headers[h] for h in _KEPT_HEADERS if h in response.headers
        }
        with self._transaction() as db:
            db.execute(
                "UPDATE idempotency_keys SET status = ?, body = ?, headers = ? "
                "WHERE account = ? AND key = ?",
                (response.status_code, response.get_data(), json.dumps(headers),
                 account, key),
            )  # fmt: skip

    def release(self, account: str, key: str) -> None:
        """Forget a key whose request was refused, so a retry runs again."""
        with self._transaction() as db:
            db.execute(
                "DELETE FROM idempotency_keys WHERE account = ? AND key = ? "
                "AND status IS NULL",
                (account, key),
            )


def _abandoned(reserved_at: float, owner: str | None, now: float) -> bool:
    """Whether a first request still unanswered will never answer."""
    return reserved_at < now - PENDING_SECONDS or (
        owner is not None and has_ended(owner)
    )


def _refuse_if_carried_out(receipt: UUID) -> None:
    """Say so when a refused request was carried out by an earlier attempt.

    The earlier attempt's changes are why the retry was refused (the case
    moved on: its version, its status), so that refusal would mislead.
    """
    if services().tracker.exists(receipt):
        refuse(409, errors=[(HEADER, CARRIED_OUT)])


def fingerprint() -> str:
    """What makes two requests the same: method, path, If-Match and content.

    A multipart body is compared by its fields and files, not its bytes: a
    client picks a new random boundary for every attempt.
    """
    digest = hashlib.sha256()
    for part in (request.method, request.path, request.headers.get("If-Match", "")):
        digest.update(part.encode() + b"\0")
    if request.mimetype == "multipart/form-data":
        for name, value in sorted(request.form.items(multi=True)):
            digest.update(f"{name}={value}".encode() + b"\0")
        for name, upload in sorted(request.files.items(multi=True)):
            digest.update(f"{name}:{upload.filename}".encode() + b"\0")
            digest.update(hashlib.sha256(upload.stream.read()).digest())
            upload.stream.seek(0)
    else:
        digest.update(request.get_data())
    return digest.hexdigest()


def retried_id(kind: str) -> UUID | None:
    """The id a record made by this request takes, the same on every retry.

    None without an Idempotency-Key. The request's content is in it: a key
    reused for another record after its kept answer expired makes another.
    """
    key = request.headers.get(HEADER)
    if key is None:
        return None
    seed = f"{kind}:{caller().account_id}:{key}:{fingerprint()}"
    return uuid5(NAMESPACE_URL, seed)


def keys() -> IdempotencyKeys:
    """The keys of the application handling this request."""
    found: IdempotencyKeys = current_app.extensions["cfpi.idempotency"]
    return found


def idempotent(view: F) -> F:
    """Make a POST view answer a repeated Idempotency-Key with its first answer."""

    @wraps(view)
    def once(*args: Any, **kwargs: Any) -> Any:
        key = request.headers.get(HEADER)
        if key is None:
            return view(*args, **kwargs)
        if not _KEY.match(key):
            refuse(400, errors=[(HEADER, "1 to 255 visible ASCII characters")])
        account = str(caller().account_id)
        request_print = fingerprint()
        replay = keys().reserve(account, key, request_print)
        if replay is not None:
            return replay
        receipt = uuid5(NAMESPACE_URL, f"receipt:{account}:{key}:{request_print}")
        try:
            with receipt_for(receipt, account):
                response = cast(Response, view(*args, **kwargs))
        except BaseException:
            keys().release(account, key)
            _refuse_if_carried_out(receipt)
            raise
        if 200 <= response.status_code < 300:
            keys().keep(account, key, response)
        else:
            keys().release(account, key)
            _refuse_if_carried_out(receipt)
        return response

    return once  # type: ignore[return-value]
