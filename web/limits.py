"""Limits on guessing passwords and codes, on the web and the API (Flask-Limiter).

Three counts, each with its own setting (Flask-Limiter's notation):

- ``TRACKER_SIGN_IN_RATE_LIMIT``: failed sign-ins on the web pages from one
  address (10 a minute by default): a wrong password, or a wrong code from
  an authenticator app, on the sign-in, code and set-up pages together;
- ``TRACKER_ACCOUNT_LOCKOUT``: failed sign-ins to one account, from
  anywhere, through the web or the API's token exchange, passwords and
  codes together (10 in 15 minutes): past it, the account cannot be signed
  in to, even with the right password and code, until the window has passed;
- ``TRACKER_TOKEN_RATE_LIMIT``: password exchanges for API tokens from one
  address (10 a minute).

Only failures count toward the first two. ``TRACKER_RATELIMIT_STORAGE``
says where the counts are kept: ``memory://`` counts per process;
``redis://host:6379`` (with the `redis` package) shares them between
workers and hosts.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app, request, session
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from werkzeug import Response

from web.sessions import PENDING_KEY

DEFAULTS = {
    "TRACKER_SIGN_IN_RATE_LIMIT": "10 per minute",
    "TRACKER_ACCOUNT_LOCKOUT": "10 per 15 minutes",
    # A limit's setting, which bandit reads as a token's secret.
    "TRACKER_TOKEN_RATE_LIMIT": "10 per minute",  # nosec B105
}


def configured(name: str) -> Callable[[], str]:
    """A limit read from the app's config, else the environment, else its default."""

    def limit() -> str:
        from_environment = os.environ.get(name, DEFAULTS[name])
        return str(current_app.config.get(name, from_environment))

    return limit


def _refused(response: Response) -> bool:
    """Whether a sign-in failed (only failures count against a limit)."""
    return response.status_code in (400, 401)


def _account() -> str:
    """The account a sign-in is for, as typed (folded, so case cannot dodge).

    On the code pages it is the account the password was given for; at the
    API's token exchange, the username in the JSON body.
    """
    body = request.get_json(silent=True) if request.is_json else None
    typed = request.form.get("username") or (
        body.get("username") if isinstance(body, dict) else None
    )
    if not typed:
        pending = session.get(PENDING_KEY) or {}
        typed = pending.get("username")
    return "account:" + str(typed or "").strip().casefold()


def init_limits(
    app: Flask, *, sign_in: tuple[str, ...], token_exchange: str
) -> Limiter:
    """Count failed sign-ins at the web's sign-in pages and the API's token exchange.

    ``sign_in`` and ``token_exchange`` name the views' endpoints.
    """
    limiter = Limiter(
        get_remote_address,
        app=app,
        storage_uri=os.environ.get("TRACKER_RATELIMIT_STORAGE", "memory://"),
    )
    per_address = limiter.shared_limit(
        configured("TRACKER_SIGN_IN_RATE_LIMIT"),
        scope="sign-in-address",
        methods=["POST"],
        deduct_when=_refused,
    )
    per_account = limiter.shared_limit(
        configured("TRACKER_ACCOUNT_LOCKOUT"),
        scope="sign-in-account",
        key_func=_account,
        methods=["POST"],
        deduct_when=_refused,
    )
    limits: list[tuple[str, Any]] = [
        *((endpoint, per_address) for endpoint in sign_in),
        *((endpoint, per_account) for endpoint in (*sign_in, token_exchange)),
        (token_exchange, limiter.limit(configured("TRACKER_TOKEN_RATE_LIMIT"))),
    ]
    for endpoint, limit in limits:
        app.view_functions[endpoint] = limit(app.view_functions[endpoint])
    return limiter
