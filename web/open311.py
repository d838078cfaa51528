"""Open311 GeoReport v2, read only: published cases for existing civic tools.

http://wiki.open311.org/GeoReport_v2/ — a service is a category of case, a
service request is a published case (its id is the case's reference), and a
jurisdiction is a municipality (its code). Only the ``publications`` read
model is read, so nothing but what a coordinator published, after redaction,
can appear here. Open to anyone, signed in or not: no view here asks for an
account.

Every endpoint answers in JSON or XML, as its extension asks. Names are in
the language the ``locale`` parameter asks for, else the reader's language
(`web.i18n`). The parameters are checked in `web.open311_parameters`; a bad one
is answered with Open311's list of errors, never a failure page.
"""

from __future__ import annotations

import json
import re

# Builds XML, parses none.
import xml.etree.ElementTree as ET  # nosec B405
from datetime import date, datetime, time

from flask import Blueprint, Response, request, url_for
from flask_babel import force_locale

from domain.case_rules import CLOSED_STATUSES
from domain.reference import CATEGORIES
from projections.publication_queries import (
    PublishedCase,
    find_published,
    published_case,
)
from tracker.errors import StoreUnavailable
from web.i18n import LANGUAGES, municipality_name
from web.labels import label, names
from web.open311_parameters import (
    KOSOVO,
    Open311Error,
    asked_format,
    asked_jurisdiction,
    asked_language,
    asked_page,
    asked_requests,
)
from web.services import services

blueprint = Blueprint("open311", __name__, url_prefix="/open311/v2")

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# When these endpoints last changed what they answer (discovery's changeset).
CHANGESET = "2026-11-21T00:00:00Z"
MEDIA_TYPES = {"json": "application/json", "xml": "text/xml"}
# Every category is a service of the one group: the forums' cases.
GROUP = "CFPI"
# In XML, the element each entry of a list is written in.
ENTRY = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
}
# Characters XML 1.0 cannot hold, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

Record = dict[str, object]


@blueprint.get("/discovery.<fmt>")
def discovery(fmt: str) -> Response:
    """Where the endpoints are, which specification and formats they follow."""
    fmt = asked_format(fmt)
    base = url_for(".discovery", fmt=fmt, _external=True).rsplit("/", 1)[0]
    endpoint: Record = {
        "specification": SPECIFICATION,
        "url": base,
        "changeset": CHANGESET,
        "type": "production",
        "formats": list(MEDIA_TYPES.values()),
    }
    found: Record = {
        "changeset": CHANGESET,
        "contact": "The coordinators of the Community Forums for Public Interest",
        "key_service": "No key is needed: these endpoints only read.",
        "endpoints": [endpoint],
    }
    return answer(fmt, "discovery", found)


@blueprint.get("/services.<fmt>")
def service_list(fmt: str) -> Response:
    """One service per category of case, named in the language asked for."""
    fmt = asked_format(fmt)
    asked_jurisdiction(request.args)
    language = asked_language(request.args)
    return answer(fmt, "services", [service(code, language) for code in CATEGORIES])


@blueprint.get("/requests.<fmt>")
def request_list(fmt: str) -> Response:
    """The published cases the filters ask for, newest raised first."""
    fmt = asked_format(fmt)
    wanted = asked_requests(request.args)
    page, per_page = asked_page(request.args)
    with force_locale(asked_language(request.args)), services().views.reading() as c:
        found = find_published(c, wanted, page=page, per_page=per_page)
        return answer(fmt, "service_requests", [service_request(p) for p in found.rows])


@blueprint.get("/requests/<reference>.<fmt>")
def one_request(reference: str, fmt: str) -> Response:
    """One published case, by its reference."""
    fmt = asked_format(fmt)
    asked_jurisdiction(request.args)
    with force_locale(asked_language(request.args)), services().views.reading() as c:
        found = published_case(c, reference)
        if found is None:
            raise Open311Error(404, "No published service request has this id.")
        return answer(fmt, "service_requests", [service_request(found)])


@blueprint.get("/<path:unknown>")
def unknown(unknown: str) -> Response:
    """Anything else under these endpoints: Open311's 404."""
    raise Open311Error(404, "There is no such endpoint.")


@blueprint.errorhandler(Open311Error)
def refused(error: Open311Error) -> Response:
    """A bad parameter or an unknown request, as Open311 lists errors."""
    return errors(error.code, error.description)


@blueprint.errorhandler(StoreUnavailable)
def unavailable(error: StoreUnavailable) -> Response:
    """The records are busy or unreachable: try again shortly."""
    return errors(503, "The records are busy or unreachable; try again shortly.")


@blueprint.after_request
def readable_anywhere(response: Response) -> Response:
    """Public data: any web page may read it."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


# -- what each answer holds ----------------------------------------------------


def service(code: str, language: str) -> Record:
    """A category as an Open311 service; its names in every language are keywords."""
    named = names("categories", code, LANGUAGES)
    keywords = dict.fromkeys([code, *named.values()])
    return {
        "service_code": code,
        "service_name": named[language],
        "description": named[language],
        "metadata": False,
        "type": "realtime",
        "keywords": ", ".join(keywords),
        "group": GROUP,
    }


def service_request(case: PublishedCase) -> Record:
    """A published case as an Open311 service request: published fields only."""
    record: Record = {
        "service_request_id": case.reference,
        "status": None if case.status is None else open_or_closed(case.status),
        "status_notes": label("statuses", case.status) or None,
        "service_name": label("categories", case.category) or None,
        "service_code": case.category,
        "description": "\n\n".join(filter(None, (case.title, case.description))),
        "agency_responsible": (
            None if case.municipality is None else municipality_name(case.municipality)
        ),
        "service_notice": None,
        "requested_datetime": at_midnight(case.raised_on),
        "updated_datetime": in_kosovo(case.updated_at),
        "expected_datetime": None,
    }
    if case.location is not None:
        record["address"] = case.location
    return {**record, "lat": None, "long": None, "media_url": None}


def open_or_closed(status: str) -> str:
    """Open311's two statuses: a declined, duplicate or resolved case is closed."""
    return "closed" if status in CLOSED_STATUSES else "open"


def at_midnight(day: date) -> str:
    """A day as the moment it began in Kosovo (ISO 8601, with the offset)."""
    return datetime.combine(day, time(), tzinfo=KOSOVO).isoformat()


def in_kosovo(moment: datetime) -> str:
    """A moment in Kosovo's time, to the second (ISO 8601, with the offset)."""
    return moment.astimezone(KOSOVO).replace(microsecond=0).isoformat()


# -- writing answers -----------------------------------------------------------


def errors(code: int, description: str) -> Response:
    """Open311's list of errors, in the format asked for (JSON if none fits)."""
    fmt = (request.view_args or {}).get("fmt")
    return answer(
        fmt if fmt in MEDIA_TYPES else "json",
        "errors",
        [{"code": code, "description": description}],
        status=code,
    )


def answer(fmt: str, root: str, content: object, status: int = 200) -> Response:
    """The content as JSON, or as XML under a `root` element."""
    if fmt == "xml":
        body = ET.tostring(
            element(root, content), encoding="utf-8", xml_declaration=True
        )
        return Response(body, status=status, mimetype=MEDIA_TYPES["xml"])
    text = json.dumps(content, ensure_ascii=False)
    return Response(text, status=status, mimetype=MEDIA_TYPES["json"])


def element(name: str, content: object) -> ET.Element:
    """An XML element: a record's fields and a list's entries become children."""
    made = ET.Element(name)
    if isinstance(content, dict):
        made.extend(element(key, value) for key, value in content.items())
    elif isinstance(content, list):
        made.extend(element(ENTRY[name], value) for value in content)
    elif isinstance(content, bool):
        made.text = "true" if content else "false"
    elif content is not None:
        made.text = _NOT_XML.sub("", str(content))
    return made
