"""Sessions kept on the server: the browser's cookie holds only a random id.

Flask's session (Flask-Login's signed-in account, Flask-WTF's form token,
flashed messages, a sign-in waiting for its code) is kept in
`tracker.session_store`, found by the SHA-256 of the id the cookie carries
(256 random bits). So the server ends a session by deleting its row, and
the very next request with that cookie is anonymous, in every worker:

- a session gets a new id whenever who is signed in changes (`renew`), so
  an id planted before sign-in is worth nothing after it;
- a session unused for ``TRACKER_SESSION_IDLE_MINUTES`` (30), or older than
  ``TRACKER_SESSION_MAX_HOURS`` (12), is ended when it is next presented;
- "last seen" is written at most once a minute, unless the data changed.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable
from contextlib import suppress
from datetime import datetime, timedelta
from typing import Any, cast
from uuid import UUID

from flask import Flask, Request, Response, session
from flask.json.tag import TaggedJSONSerializer
from flask.sessions import SecureCookieSession, SessionInterface, SessionMixin

from tracker.errors import StoreUnavailable
from tracker.session_store import SessionStore, StoredSession

# Random bytes in a session id (43 characters in the cookie).
ID_BYTES = 32
# "Last seen" is written at most this often when nothing else changed.
TOUCH_SECONDS = 60
# Flask-Login keeps the signed-in account's id under this key.
ACCOUNT_KEY = "_user_id"
# A sign-in that has the password and waits for a code (`web.sign_in`).
PENDING_KEY = "pending_sign_in"

_ID = re.compile(r"^[A-Za-z0-9_-]{43}$")


class ServerSession(SecureCookieSession):
    """A session's data, and which stored session it is (if any yet)."""

    def __init__(
        self,
        initial: dict[str, Any] | None = None,
        *,
        digest: str | None = None,
        stored: StoredSession | None = None,
        presented: bool = False,
        unreachable: StoreUnavailable | None = None,
    ) -> None:
        super().__init__(initial)
        self.digest = digest
        self.stored = stored
        # A cookie came with the request: removed if it leads to nothing.
        self.presented = presented
        self.renewed = False
        # The sessions could not be read: the request is refused (503) and
        # the cookie left as it is, to work again once they can be.
        self.unreachable = unreachable

    def renew(self) -> None:
        """End this session's id at the end of the request; the data gets a new one."""
        self.renewed = True
        self.modified = True


def digest_of(session_id: str) -> str:
    """What the store knows a session id by."""
    return hashlib.sha256(session_id.encode()).hexdigest()


def account_of(data: SessionMixin) -> UUID | None:
    """The account a session is for: signed in, or half-way through signing in."""
    pending = data.get(PENDING_KEY) or {}
    found = data.get(ACCOUNT_KEY) or pending.get("account")
    try:
        return UUID(hex=str(found)) if found else None
    except ValueError:
        return None


class ServerSessions(SessionInterface):
    """Flask's session interface over the session store."""

    # Flask's own: JSON that keeps tuples, bytes, markup and dates.
    serializer = TaggedJSONSerializer()

    def __init__(
        self,
        store: SessionStore,
        *,
        now: Callable[[], datetime],
        idle: timedelta,
        longest: timedelta,
    ) -> None:
        self.store = store
        self.now = now
        self.idle = idle
        self.longest = longest

    def open_session(self, app: Flask, request: Request) -> ServerSession:
        """The stored session the cookie names, if it is still alive."""
        presented = request.cookies.get(self.get_cookie_name(app))
        if not presented:
            return ServerSession()
        if not _ID.match(presented):
            return ServerSession(presented=True)
        digest = digest_of(presented)
        try:
            stored = self.store.find(digest)
        except StoreUnavailable as error:
            return ServerSession(presented=True, unreachable=error)
        if stored is None:
            return ServerSession(presented=True)
        if self.expired(stored, self.now().timestamp()):
            self.store.end(digest)
            return ServerSession(presented=True)
        try:
            data = self.serializer.loads(stored.data)
        except ValueError:  # unreadable (written by another version): start again
            self.store.end(digest)
            return ServerSession(presented=True)
        return ServerSession(data, digest=digest, stored=stored, presented=True)

    def expired(self, stored: StoredSession, now: float) -> bool:
        """Whether a session was unused too long, or began too long ago."""
        return (
            now - stored.last_seen_at > self.idle.total_seconds()
            or now - stored.created_at > self.longest.total_seconds()
        )

    def purge(self) -> int:
        """Remove every session past its limits (sign-ins call it now and then)."""
        now = self.now().timestamp()
        return self.store.purge(
            seen_before=now - self.idle.total_seconds(),
            created_before=now - self.longest.total_seconds(),
        )

    def count(self, account_id: UUID) -> int:
        """How many sessions of an account are alive (signed in or half-way)."""
        now = self.now().timestamp()
        return self.store.count_account(
            account_id,
            seen_after=now - self.idle.total_seconds(),
            created_after=now - self.longest.total_seconds(),
        )

    def save_session(
        self, app: Flask, session: SessionMixin, response: Response
    ) -> None:
        """Keep what the request changed; a new id when asked; cookie to match."""
        kept = cast(ServerSession, session)
        if kept.accessed:
            response.vary.add("Cookie")
        if kept.unreachable is not None:
            return
        if kept.renewed and kept.digest is not None:
            self.store.end(kept.digest)
            kept.digest = None
        now = self.now().timestamp()
        if not kept:
            if kept.digest is not None:
                self.store.end(kept.digest)
            if kept.presented:
                self._forget_cookie(app, response)
            return
        data = self.serializer.dumps(dict(kept))
        if kept.digest is None:
            self._begin(app, response, kept, data, now)
        elif kept.modified:
            alive = self.store.write(
                kept.digest, account_id=account_of(kept), last_seen_at=now, data=data
            )
            if not alive:  # ended by someone else during this request
                self._forget_cookie(app, response)
        elif (
            kept.stored is not None and now - kept.stored.last_seen_at >= TOUCH_SECONDS
        ):
            with suppress(StoreUnavailable):  # "last seen" can wait a request
                self.store.touch(kept.digest, now)

    def _begin(
        self, app: Flask, response: Response, kept: ServerSession, data: str, now: float
    ) -> None:
        session_id = secrets.token_urlsafe(ID_BYTES)
        self.store.create(
            digest_of(session_id), StoredSession(account_of(kept), now, now, data)
        )
        response.set_cookie(
            self.get_cookie_name(app),
            session_id,
            httponly=True,
            domain=self.get_cookie_domain(app),
            path=self.get_cookie_path(app),
            secure=self.get_cookie_secure(app),
            samesite=self.get_cookie_samesite(app),
        )
        response.vary.add("Cookie")

    def _forget_cookie(self, app: Flask, response: Response) -> None:
        response.delete_cookie(
            self.get_cookie_name(app),
            domain=self.get_cookie_domain(app),
            path=self.get_cookie_path(app),
            secure=self.get_cookie_secure(app),
            samesite=self.get_cookie_samesite(app),
            httponly=True,
        )
        response.vary.add("Cookie")


def current_session() -> ServerSession:
    """This request's session, as the server keeps it."""
    found = cast(Any, session)._get_current_object()
    if not isinstance(found, ServerSession):
        raise RuntimeError("the app does not keep sessions on the server")
    return found


def fresh_session() -> None:
    """Forget this session's data and give it a new id (signing in or out)."""
    current = current_session()
    current.clear()
    current.renew()


def init_app(app: Flask, interface: ServerSessions) -> None:
    """Keep the app's sessions on the server."""
    app.session_interface = interface
    # Before anything else reads the session (who is signed in, say).
    app.before_request_funcs.setdefault(None, []).insert(0, _refuse_if_unreachable)


def _refuse_if_unreachable() -> None:
    """Answer 503 (the failure page) when the sessions could not be read."""
    unreachable = current_session().unreachable
    if unreachable is not None:
        raise unreachable
