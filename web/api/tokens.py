"""Tokens: a username and password exchanged for one; a caller's own, revoking one.

The exchange is the one API door that takes a password, so it is rate
limited per client address (`web.limits`: ``TRACKER_TOKEN_RATE_LIMIT``, 10 a minute by
default): guessing answers 429 long before it could succeed.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from tracker.api_tokens import TokenNotFound, TokenView
from web.access import ACCOUNTS
from web.api.auth import authenticate, caller, may
from web.api.errors import refuse
from web.api.resources import resource
from web.api.schemas.tokens import IssuedTokenSchema, TokenRequestSchema, TokenSchema
from web.services import services

tokens = resource("Tokens", "/tokens", "Bearer tokens for programs.", public=True)


@tokens.route("", methods=["POST"])
@tokens.arguments(TokenRequestSchema, as_kwargs=True)
@tokens.response(201, IssuedTokenSchema)
@tokens.doc(security=[], summary="Exchange a username and password for a token")
def exchange(username: str, password: str, label: str, days: int) -> dict[str, Any]:
    """A new token for the account, if the password is right (else 401)."""
    tracker = services().tracker
    account = tracker.sign_in(username, password)
    if account is None:
        refuse(401, errors=[("password", "the username or password is not right")])
    issued = tracker.issue_token(
        account.account_id, actor=account.username, label=label, days=days
    )
    return {
        "token": issued.token,
        "token_id": issued.token_id,
        "expires_on": issued.expires_on,
        "username": account.username,
        "role": account.role,
        "municipalities": account.municipalities,
    }


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
            holder=holder,
        )  # fmt: skip
    except TokenNotFound:
        refuse(404, errors=[("token_id", f"no token {token_id}")])
    return "", 204
