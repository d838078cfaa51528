"""Pages for what went wrong: never a bare 500 for something a person did."""

from __future__ import annotations

from flask import Flask, render_template
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from tracker.errors import StoreUnavailable

TITLES = {
    400: _l("The request was not understood"),
    403: _l("Your role does not allow this"),
    404: _l("Not found"),
    405: _l("Not allowed here"),
    413: _l("The file is too large"),
    503: _l("The records are busy or unreachable; try again shortly."),
}


def _page(status: int) -> ResponseReturnValue:
    title = TITLES.get(status, _l("Something went wrong"))
    return render_template("failure.html", title=title, status=status), status


def register_failures(app: Flask) -> None:
    """One page per kind of failure, in the reader's language."""

    @app.errorhandler(HTTPException)
    def http_failure(error: HTTPException) -> ResponseReturnValue:
        return _page(error.code or 500)

    @app.errorhandler(StoreUnavailable)
    def store_unavailable(error: StoreUnavailable) -> ResponseReturnValue:
        return _page(503)
