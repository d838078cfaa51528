"""One JSON shape for every refusal of the API, with the field and the reason.

``{"status": 422, "error": "invalid_input", "message": "…",
"errors": [{"field": "raised_on", "reason": "…"}]}``, plus
``current_version`` when the refusal is about a stale version. Domain errors
take the status `web.errors` gives them, as on the web.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, NoReturn

import marshmallow as ma
from flask import Response, jsonify, request
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from domain.errors import DomainError
from tracker.errors import ConcurrentChange
from web.errors import answer_for
from web.messages import message_for

API_PREFIX = "/api/"

_CODES: dict[int, str] = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    412: "precondition_failed",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid_input",
    428: "precondition_required",
    429: "too_many_requests",
    500: "server_error",
    503: "unavailable",
    507: "insufficient_storage",
}

_GENERAL: dict[int, Any] = {
    400: _l("The request was not understood."),
    401: _l("A valid API token is needed (Authorization: Bearer …)."),
    403: _l("Your role does not allow this."),
    404: _l("Not found."),
    405: _l("This method is not allowed here."),
    409: _l("The case's current state does not allow this."),
    412: _l("The record changed since the version you sent (If-Match)."),
    413: _l("The request is too large."),
    422: _l("Some values are not accepted."),
    429: _l("Too many requests; wait a little and try again."),
    503: _l("The records are busy or unreachable; try again shortly."),
}


# Where webargs found a refused value; the field's own name is what matters.
_LOCATIONS = ("json", "query", "form", "files", "headers", "view_args")


class FieldErrorSchema(ma.Schema):
    """One refused value: where it is and why."""

    field = ma.fields.String(
        required=True, metadata={"description": "The field, dotted for nested."}
    )
    reason = ma.fields.String(required=True)


class ErrorSchema(ma.Schema):
    """Every error the API answers with."""

    status = ma.fields.Integer(required=True)
    error = ma.fields.String(required=True, metadata={"example": "invalid_input"})
    message = ma.fields.String(required=True)
    errors = ma.fields.List(ma.fields.Nested(FieldErrorSchema), required=True)
    current_version = ma.fields.Integer(
        metadata={"description": "The record's version now (409 and 412)."}
    )


def is_api_request() -> bool:
    """Whether this request is for the JSON API (its errors are JSON)."""
    return request.path.startswith(API_PREFIX)


def refuse(
    status: int,
    message: str | None = None,
    *,
    errors: Iterable[tuple[str, str]] = (),
    current_version: int | None = None,
    headers: Mapping[str, str] | None = None,
) -> NoReturn:
    """Stop the request with an API error (raised as an HTTPException)."""
    error = HTTPException(response=None)
    error.code = status
    error.data = {  # type: ignore[attr-defined]
        "message": message,
        "errors": [{"field": f, "reason": r} for f, r in errors],
        "current_version": current_version,
        "headers": dict(headers or {}),
    }
    raise error


def api_language() -> str:
    """The language of API messages: asked for by Accept-Language, else English."""
    offered = ("sq", "sr", "en")
    best = request.accept_languages.best_match(offered) or "en"
    return "sr_Latn" if best == "sr" else best


def error_response(
    status: int,
    message: str | None = None,
    errors: list[dict[str, str]] | None = None,
    *,
    current_version: int | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """The JSON body and status of one error."""
    with force_locale(api_language()):
        general = _GENERAL.get(status)
        text = message or (str(general) if general else f"HTTP {status}")
    body: dict[str, Any] = {
        "status": status,
        "error": _CODES.get(status, f"http_{status}"),
        "message": text,
        "errors": errors or [],
    }
    if current_version is not None:
        body["current_version"] = current_version
    response = jsonify(body)
    response.status_code = status
    response.headers.update(headers or {})
    return response


def http_error(error: HTTPException) -> Response:
    """An HTTP error (ours, webargs' validation, werkzeug's) as the JSON shape."""
    status = error.code or 500
    data: dict[str, Any] = getattr(error, "data", None) or {}
    errors = data.get("errors") or _flattened(data.get("messages") or {})
    headers = dict(data.get("headers") or {})
    if status == 405 and error.valid_methods:  # type: ignore[attr-defined]
        headers["Allow"] = ", ".join(error.valid_methods)  # type: ignore[attr-defined]
    message = data.get("message") or (str(error.description) if status == 429 else None)
    return error_response(
        status,
        message,
        errors,
        current_version=data.get("current_version"),
        headers=headers,
    )


def domain_error(error: DomainError) -> Response:
    """A refused command, as the status its kind maps to."""
    status = status_for(error)
    current_version = None
    if isinstance(error, ConcurrentChange):
        current_version = error.current_version
        status = 412 if request.headers.get("If-Match") else 409
    with force_locale(api_language()):
        message = message_for(error)
    return error_response(
        status,
        message,
        [{"field": error.field or "", "reason": error.message}],
        current_version=current_version,
    )


def status_for(error: DomainError) -> int:
    """The HTTP status a domain error answers with (`web.errors`, for all)."""
    return int(answer_for(error).status)


def _flattened(messages: Mapping[str, Any], path: str = "") -> list[dict[str, str]]:
    """webargs' nested ``{"json": {"title": ["…"]}}`` as field/reason pairs."""
    found: list[dict[str, str]] = []
    for key, value in messages.items():
        if key == "_schema" or (not path and key in _LOCATIONS):
            inside = path
        else:
            inside = f"{path}.{key}" if path else str(key)
        if isinstance(value, Mapping):
            found.extend(_flattened(value, inside))
        elif isinstance(value, list) and value and isinstance(value[0], Mapping):
            for index, item in enumerate(value):
                found.extend(_flattened(item, f"{inside}.{index}"))
        else:
            reasons = value if isinstance(value, list) else [value]
            found.extend({"field": inside, "reason": str(r)} for r in reasons)
    return found
