"""The one place where a refused command becomes an HTTP answer.

Web pages and the API both use it, so a rule broken anywhere gets the same
status code, names the same field and says the same reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from http import HTTPStatus

from domain.case_errors import ReferralNotFound, ResponseNotFound
from domain.errors import DomainError, InvalidValue
from tracker.accounts import AccountNotFound
from tracker.api_tokens import TokenNotFound
from tracker.errors import (
    CaseAlreadyExists,
    CaseNotFound,
    ConcurrentChange,
    MeetingNotFound,
    StoreFull,
    StoreUnavailable,
)

# Most specific first: the first class the error is an instance of wins.
STATUS_FOR_ERROR: tuple[tuple[type[DomainError], HTTPStatus], ...] = (
    (CaseNotFound, HTTPStatus.NOT_FOUND),
    (MeetingNotFound, HTTPStatus.NOT_FOUND),
    (ReferralNotFound, HTTPStatus.NOT_FOUND),
    (ResponseNotFound, HTTPStatus.NOT_FOUND),
    (AccountNotFound, HTTPStatus.NOT_FOUND),
    (TokenNotFound, HTTPStatus.NOT_FOUND),
    (ConcurrentChange, HTTPStatus.CONFLICT),
    (CaseAlreadyExists, HTTPStatus.CONFLICT),
    (StoreFull, HTTPStatus.INSUFFICIENT_STORAGE),
    (StoreUnavailable, HTTPStatus.SERVICE_UNAVAILABLE),
    (InvalidValue, HTTPStatus.UNPROCESSABLE_ENTITY),
    # Any other rule: the case's current state does not allow the command.
    (DomainError, HTTPStatus.CONFLICT),
)


@dataclass(frozen=True)
class ErrorAnswer:
    """What to tell the client: status, which rule, which field, and why."""

    status: HTTPStatus
    error: str
    field: str | None
    message: str
    current_version: int | None = None


def answer_for(error: DomainError) -> ErrorAnswer:
    """The HTTP answer for a refused command."""
    status = next(s for kind, s in STATUS_FOR_ERROR if isinstance(error, kind))
    return ErrorAnswer(
        status=status,
        error=type(error).__name__,
        field=error.field,
        message=error.message,
        current_version=getattr(error, "current_version", None),
    )
