"""Tokens: a username and password exchanged for one; a caller's own, revoking one.

The exchange is the one API door that takes a password, so it is rate
limited per client address (`web.limits`: ``TRACKER_TOKEN_RATE_LIMIT``, 10 a minute by
default) and counts toward the account's lockout, like the web's sign-in:
guessing answers 429 long before it could succeed. Admins and coordinators
(and anyone who set up a second factor) give the code of their
authenticator app too, as on the web; one who has not set it up does so on
the web first. Exchanges and refusals are on the audit log.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from tracker.accounts import AccountView
from tracker.api_tokens import TokenNotFound, TokenView
from web.access import ACCOUNTS
from web.api.auth import authenticate, caller, may
from web.api.errors import refuse
from web.api.resources import resource
from web.api.schemas.tokens import IssuedTokenSchema, TokenRequestSchema, TokenSchema
from web.audit import client_address, record, tried
from web.services import services

tokens = resource("Tokens", "/tokens", "Bearer tokens for programs.", public=True)


@tokens.route("", methods=["POST"])
@tokens.arguments(TokenRequestSchema, as_kwargs=True)
@tokens.response(201, IssuedTokenSchema)
@tokens.doc(security=[], summary="Exchange a username and password for a token")
def exchange(
    username: str, password: str, label: str, days: int, code: str | None
) -> dict[str, Any]:
    """A new token for the account, if the password (and code) are right, else 401."""
    tracker = services().tracker
    account = tracker.sign_in(username, password)
    if account is None:
        record(
            "sign_in_failed", actor=tried(username), reason="password", through="api"
        )
        refuse(401, errors=[("password", "the username or password is not right")])
    if account.needs_second_factor:
        _require_code(account, code)
    record(
        "signed_in",
        actor=account.username,
        through="api",
        second_factor="yes" if account.needs_second_factor else "no",
    )
    issued = tracker.issue_token(
        account.account_id, actor=account.username, label=label, days=days,
        address=client_address(),
    )  # fmt: skip
    return {
        "token": issued.token,
        "token_id": issued.token_id,
        "expires_on": issued.expires_on,
        "username": account.username,
        "role": account.role,
        "municipalities": account.municipalities,
    }


def _require_code(account: AccountView, code: str | None) -> None:
    """Answer 401 unless the code is the account's (ASVS 2.2.x: high privilege)."""
    if not account.second_factor:
        reason = "set up a second factor first, by signing in on the web"
    elif code is None:
        reason = "this account needs the code its authenticator app shows"
    elif services().second_factors.check(account, code):
        return
    else:
        reason = "the code is not right, or was used already"
    record("sign_in_failed", actor=account.username, reason="code", through="api")
    refuse(401, errors=[("code", reason)])


@tokens.route("", methods=["GET"])
@tokens.response(200, TokenSchema(many=True))
def own_tokens() -> list[TokenView]:
    """The caller's tokens, the latest to expire first."""
    authenticate()
    return services().tracker.tokens(caller().account_id)


@tokens.route("/<uuid:token_id>", methods=["DELETE"])
@tokens.response(204)
def revoke(token_id: UUID) -> tuple[str, int]:
    """Revoke a token at once: the caller's own, or anyone's for an admin."""
    authenticate()
    holder = None if may(ACCOUNTS) else caller().username
    try:
        services().tracker.revoke_token(
            token_id, actor=caller().username, reason="revoked through the API",
            holder=holder, address=client_address(),
        )  # fmt: skip
    except TokenNotFound:
        refuse(404, errors=[("token_id", f"no token {token_id}")])
    return "", 204
