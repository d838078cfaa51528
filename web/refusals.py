"""A refused command's message, put next to the field it names."""

from __future__ import annotations

from typing import Any

from domain.errors import DomainError
from tracker.errors import StoreUnavailable
from web.errors import answer_for
from web.messages import message_for

# Domain fields whose input on a form has another name.
FORM_FIELDS = {"meeting": "raised_on", "submitter": "submitter_name"}


def put_error(form: Any, error: DomainError) -> None:
    """The refusal next to the field it names, else above the form."""
    name = FORM_FIELDS.get(error.field or "", error.field)
    target = getattr(form, name, None) if name else None
    message = message_for(error)
    if target is not None and hasattr(target, "errors"):
        target.errors = [*target.errors, message]
    else:
        form.form_errors.append(message)


def refused_status(error: DomainError | None) -> int:
    """A refused form's status: 422 for what was typed; 503 or 507 when the
    store could not take it (locked, unreachable, its disk full)."""
    if isinstance(error, StoreUnavailable):
        return answer_for(error).status
    return 422
