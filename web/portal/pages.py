"""The portal's pages: home, published cases, scorecards, the open-data file.

Open to anyone: no view here asks for an account. Thin views: the list and
the scorecards check their query arguments in `web.portal.published` and
`web.portal.scorecard_page`; a failure is answered with the portal's own
page, never the staff layout.
"""

from __future__ import annotations

from flask import Response, abort, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from domain.errors import DomainError
from projections.open_data import open_data_zip
from projections.publication_queries import (
    PublicationFilter,
    find_published,
    published_case,
)
from web.errors import answer_for
from web.failures import TITLES
from web.portal import portal
from web.portal.published import published_list, step_kind
from web.portal.scorecard_page import scorecard_page
from web.services import services

# How many of the newest published cases the home page shows.
LATEST = 5


@portal.get("/")
def home() -> ResponseReturnValue:
    """What the portal is, the newest published cases, where to go next."""
    with services().views.reading() as c:
        latest = find_published(c, PublicationFilter(), per_page=LATEST)
    return render_template("portal/home.html", latest=latest)


@portal.get("/cases")
def case_list() -> ResponseReturnValue:
    """The published cases, filtered, a page at a time."""
    shown = published_list(request.args)
    return render_template("portal/cases.html", shown=shown), shown.status


@portal.get("/cases/<reference>")
def case(reference: str) -> ResponseReturnValue:
    """One published case: only what its coordinator published."""
    with services().views.reading() as c:
        found = published_case(c, reference)
    if found is None:
        abort(404)
    return render_template("portal/case.html", case=found)


@portal.get("/scorecards")
def scorecards() -> ResponseReturnValue:
    """Each municipality's answers to the forums' referrals in a year."""
    page, status = scorecard_page(request.args)
    return render_template("portal/scorecards.html", **page), status


@portal.get("/open-data.zip")
def open_data() -> Response:
    """Published cases, scorecards and yearly figures, as CSV and JSON in a ZIP."""
    today = services().today()
    return Response(
        open_data_zip(services().views, today),
        mimetype="application/zip",
        headers={
            "Content-Disposition": "attachment; "
            f'filename="cfpi-open-data-{today.isoformat()}.zip"'
        },
    )


@portal.get("/<path:unknown>")
def unknown(unknown: str) -> ResponseReturnValue:
    """Any other address under the portal: its own 'not found' page."""
    abort(404)


@portal.context_processor
def portal_words() -> dict[str, object]:
    """What portal templates use beyond the app's globals."""
    return {"step_kind": step_kind}


@portal.errorhandler(HTTPException)
def failure(error: HTTPException) -> ResponseReturnValue:
    """A portal page for what went wrong, in the portal's layout."""
    return _failure_page(error.code or 500)


@portal.errorhandler(DomainError)
def refused(error: DomainError) -> ResponseReturnValue:
    """The records were busy or refused the request: the portal's failure page."""
    return _failure_page(int(answer_for(error).status))


def _failure_page(status: int) -> ResponseReturnValue:
    title = TITLES.get(status, _l("Something went wrong"))
    return render_template("portal/failure.html", title=title, status=status), status
