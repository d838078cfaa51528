"""Who calls the API: a bearer token stands for an account and its role.

Only the ``Authorization: Bearer`` header counts here, never the web's
session cookie, so a page elsewhere cannot make a signed-in browser call
the API (the API takes no CSRF token). Roles and municipality limits are the
web's own (`web.access.PERMISSIONS`): a secretary's request for another
municipality's case answers 404, as on the web.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import g, request

from tracker.accounts import AccountView
from web.access import PERMISSIONS
from web.api.errors import refuse
from web.services import services

F = TypeVar("F", bound=Callable[..., Any])

_CHALLENGE = 'Bearer realm="cfpi-tracker"'


def authenticate() -> None:
    """Find the account behind the request's token, or answer 401."""
    scheme, _, presented = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not presented.strip():
        refuse(401, headers={"WWW-Authenticate": _CHALLENGE})
    holder = services().tracker.token_holder(presented.strip())
    if holder is None:
        refuse(
            401,
            headers={"WWW-Authenticate": f'{_CHALLENGE}, error="invalid_token"'},
        )
    g.api_caller = holder


def caller() -> AccountView:
    """The account this request acts for."""
    found: AccountView = g.api_caller
    return found


def may(permission: str) -> bool:
    """Whether the caller's role allows this."""
    return permission in PERMISSIONS[caller().role]


def require(permission: str) -> None:
    """Answer 403 unless the caller's role allows this."""
    if not may(permission):
        refuse(403)


def requires(permission: str) -> Callable[[F], F]:
    """A view for roles with `permission`: 403 before the body is even read."""

    def decorate(view: F) -> F:
        @wraps(view)
        def checked(*args: Any, **kwargs: Any) -> Any:
            require(permission)
            return view(*args, **kwargs)

        return checked  # type: ignore[return-value]

    return decorate


def require_municipality(municipality: str) -> None:
    """Answer 404 when the caller may not see that municipality."""
    if not caller().sees(municipality):
        refuse(404)


def listed_municipalities(asked: tuple[str, ...] = ()) -> tuple[str, ...] | None:
    """The municipalities a list may show: those asked for that the caller sees.

    An empty tuple means every municipality; None means none of those asked
    is the caller's, so the list is empty.
    """
    if not asked:
        return caller().municipalities
    allowed = tuple(code for code in asked if caller().sees(code))
    return allowed or None
