"""Who may do what: each role's permissions, and each account's municipalities.

A secretary sees and changes only the cases and meetings of their own
municipalities; anything else answers 404, as if it did not exist, so a
typed URL reveals nothing. A viewer only reads.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar
from uuid import UUID

from flask import Flask, abort
from flask_login import current_user, login_required

from domain.reference import MUNICIPALITIES
from tracker.errors import CaseNotFound
from web.services import services

F = TypeVar("F", bound=Callable[..., Any])

READ = "read"
SUBMIT = "submit"  # new cases, amendments, translations
TRIAGE = "triage"  # accept, decline, duplicate
ACT = "act"  # advocacy actions
REFER = "refer"  # referrals, extensions, follow-ups, verifying commitments
RESPOND = "respond"  # responses received
RESOLVE = "resolve"  # resolve, reopen
NOTE = "note"  # notes and documents
MEET = "meet"  # meetings, attendance, agenda
PUBLISH = "publish"
EXPORT = "export"  # every case, referral, response and meeting, as a file
ACCOUNTS = "accounts"
REFERENCE = "reference"
AUDIT = "audit"  # the audit log: sign-ins, access changes, exports, erasures
ERASE = "erase"  # destroy a person's data (DESIGN §7)

_SECRETARY = frozenset({READ, SUBMIT, ACT, RESPOND, NOTE, MEET})
_ADVOCATE = _SECRETARY | {TRIAGE, REFER, RESOLVE}
_COORDINATOR = _ADVOCATE | {PUBLISH, EXPORT}

PERMISSIONS: dict[str, frozenset[str]] = {
    "admin": _COORDINATOR | {ACCOUNTS, REFERENCE, ERASE, AUDIT},
    "coordinator": _COORDINATOR,
    "advocate": _ADVOCATE,
    "secretary": _SECRETARY,
    "viewer": frozenset({READ}),
}


def may(permission: str) -> bool:
    """Whether the signed-in person's role allows this."""
    if not current_user.is_authenticated:
        return False
    return permission in PERMISSIONS[current_user.role]


def sees(municipality: str) -> bool:
    """Whether the signed-in person works in (or oversees) this municipality."""
    return bool(current_user.is_authenticated and current_user.sees(municipality))


def visible_municipalities() -> tuple[str, ...]:
    """The codes the signed-in person may see, in the reference order."""
    return tuple(m.code for m in MUNICIPALITIES if sees(m.code))


def limited_to() -> tuple[str, ...]:
    """The municipalities a list is limited to: none means every one."""
    return tuple(current_user.municipalities)


def seen_case_id(case: str) -> UUID:
    """The id of a case the signed-in person may see; else "no such case".

    A case typed into a form (a duplicate's original, an agenda item) is
    refused in the same words whether it is elsewhere or nowhere.
    """
    tracker = services().tracker
    case_id = tracker.case_id(case)
    if not sees(tracker.case(case_id).municipality):
        raise CaseNotFound(f"no case {case}", field="reference")
    return case_id


def require_municipality(municipality: str) -> None:
    """Answer 404 when the person may not see that municipality."""
    if not sees(municipality):
        abort(404)


def requires(permission: str) -> Callable[[F], F]:
    """A view for signed-in people whose role has `permission` (else 403)."""

    def decorate(view: F) -> F:
        @wraps(view)
        @login_required
        def checked(*args: Any, **kwargs: Any) -> Any:
            if not may(permission):
                abort(403)
            return view(*args, **kwargs)

        return checked  # type: ignore[return-value]

    return decorate


def init_app(app: Flask) -> None:
    """Let templates ask `may(...)` and `sees(...)`."""
    app.jinja_env.globals.update(may=may, sees=sees)
