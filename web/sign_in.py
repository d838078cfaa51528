"""Signing in, in one or two steps: a password, then a code where one is needed.

An admin or coordinator (or anyone who set up a second factor) who gave the
right password is only half-way in: the server-side session holds the
account as *pending*, and nobody is signed in until a code is confirmed on
the next page (or, the first time, a second factor is set up). A pending
sign-in lasts ten minutes. Each completed sign-in starts a new session id.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import redirect, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import UserMixin, login_user

from tracker.accounts import AccountNotFound, AccountView
from web.audit import record
from web.services import services
from web.sessions import ACCOUNT_KEY, PENDING_KEY, fresh_session

# How long the code may take after the password (setting up an app included).
PENDING_SECONDS = 600
# The session's key for the account version the sign-in was made at.
VERSION_KEY = "account_version"


class SignedIn(UserMixin):
    """The person behind a request: their account, as plain values."""

    def __init__(self, account: AccountView) -> None:
        self.account = account
        self.username = account.username
        self.role = account.role
        self.municipalities = account.municipalities

    def get_id(self) -> str:
        """Flask-Login keeps the account's id in the (server-side) session."""
        return self.account.account_id.hex

    def sees(self, municipality: str) -> bool:
        """Whether this person may see a municipality's cases and meetings."""
        return self.account.sees(municipality)


def begin(account: AccountView, next_path: str) -> ResponseReturnValue:
    """After the right password: signed in, or pending until a code is given."""
    if not account.needs_second_factor:
        return complete(account, next_path, second_factor=False)
    fresh_session()
    session[PENDING_KEY] = {
        "account": account.account_id.hex,
        "username": account.username,
        "since": services().now().timestamp(),
        "next": next_path,
    }
    step = "code" if account.second_factor else "enrol"
    return redirect(url_for(f"second_factor.{step}"))


def pending() -> dict[str, Any] | None:
    """The sign-in waiting for its code, unless it took too long."""
    waiting: dict[str, Any] | None = session.get(PENDING_KEY)
    if not waiting:
        return None
    if services().now().timestamp() - float(waiting["since"]) > PENDING_SECONDS:
        session.pop(PENDING_KEY)
        return None
    return waiting


def pending_account() -> AccountView | None:
    """The account of the pending sign-in, if it may still sign in."""
    waiting = pending()
    if waiting is None:
        return None
    try:
        account = services().tracker.account(UUID(hex=waiting["account"]))
    except AccountNotFound:
        return None
    return None if account.disabled else account


def keep_pending(**changes: Any) -> None:
    """Change what the pending sign-in holds (the secret being set up)."""
    session[PENDING_KEY] = {**session[PENDING_KEY], **changes}


def complete(
    account: AccountView, next_path: str, *, second_factor: bool
) -> ResponseReturnValue:
    """Sign the account in, under a new session id, and note it in the audit log."""
    fresh_session()
    session[VERSION_KEY] = account.version
    login_user(SignedIn(account))
    record(
        "signed_in",
        actor=account.username,
        through="web",
        second_factor="yes" if second_factor else "no",
    )
    services().sessions.purge()
    return redirect(next_path)


def signed_in_account(user_id: str) -> SignedIn | None:
    """Flask-Login's loader: the account of this server-side session, if still valid.

    The session holds the account's version at sign-in: when the role was
    changed, the account disabled or its second factor reset, the version
    moved and the session ends at once. Only the server-side session is
    trusted (no remember-me cookie is ever made or read).
    """
    if session.get(ACCOUNT_KEY) != user_id:
        return None
    try:
        account = services().tracker.account(UUID(hex=user_id))
    except (AccountNotFound, ValueError):
        account = None
    if (
        account is None
        or account.disabled
        or account.version != session.get(VERSION_KEY)
    ):
        fresh_session()
        return None
    return SignedIn(account)
