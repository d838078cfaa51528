"""Pages for what went wrong: never a bare 500 for something a person did."""

from __future__ import annotations

from flask import Flask, render_template
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from domain.errors import DomainError
from web.api import errors as api
from web.messages import MESSAGES

TITLES = {
    400: _l("The request was not understood"),
    403: _l("Your role does not allow this"),
    404: _l("Not found"),
    405: _l("Not allowed here"),
    413: _l("The file is too large"),
    429: _l("Too many failed tries: wait a few minutes, then try again."),
    503: _l("The records are busy or unreachable; try again shortly."),
    507: MESSAGES["StoreFull"],
}


def _page(status: int) -> ResponseReturnValue:
    title = TITLES.get(status, _l("Something went wrong"))
    return render_template("failure.html", title=title, status=status), status


def register_failures(app: Flask) -> None:
    """One page per kind of failure, in the reader's language; JSON for the API."""

    @app.errorhandler(DomainError)
    def refused(error: DomainError) -> ResponseReturnValue:
        # Web pages refuse beside the form's field; what reaches here is a
        # lookup or a store failure, or an API command.
        if api.is_api_request():
            return api.domain_error(error)
        return _page(api.status_for(error))

    @app.errorhandler(HTTPException)
    def http_failure(error: HTTPException) -> ResponseReturnValue:
        # A refusal raised outside the view (saving the session, say) reaches
        # here as a 500 wrapping it: it answers as itself all the same.
        original = getattr(error, "original_exception", None)
        if isinstance(original, DomainError):
            return refused(original)
        if api.is_api_request():
            return api.http_error(error)
        return _page(error.code or 500)

    @app.errorhandler(UnicodeError)
    @app.errorhandler(RecursionError)
    def unreadable(error: Exception) -> ResponseReturnValue:
        # JSON may carry what no text can hold (a lone surrogate, "\\ud800")
        # or nest deeper than any reader goes; it is refused before anything
        # is written (the store and argon2 refuse such text before writing).
        if api.is_api_request():
            return api.error_response(
                400, errors=[{"field": "", "reason": "the body is not readable text"}]
            )
        return _page(400)
