"""A refused command's message, put next to the field it names."""

from __future__ import annotations

from typing import Any

from domain.errors import DomainError
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
