"""Cases: submit one, list them (filters as the projections), read one, its history."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from flask import request
from flask.views import MethodView

from projections.case_queries import CaseFilter, find_cases
from projections.paging import Page
from projections.search import matching_case_ids
from tracker.errors import CaseAlreadyExists, CaseNotFound
from tracker.views import CaseView, TimelineEntry
from web.access import READ, SUBMIT
from web.api import idempotency
from web.api.auth import (
    caller,
    listed_municipalities,
    may,
    require,
    require_municipality,
    requires,
)
from web.api.errors import refuse
from web.api.json_values import plain
from web.api.resources import resource
from web.api.schemas.case_detail import CaseSchema
from web.api.schemas.cases import (
    CaseCreatedSchema,
    CasePageSchema,
    CaseQuerySchema,
    HistoryEntrySchema,
    NewCaseSchema,
)
from web.api.schemas.paging import page_body
from web.api.versions import Reply, etag
from web.services import services

cases = resource("Cases", "/cases", "Community issues: submit, list, read, history.")

# A search narrows a list to at most this many of its best matches.
SEARCH_LIMIT = 5000


@cases.route("")
class Cases(MethodView):
    """The cases the caller may see."""

    @cases.arguments(CaseQuerySchema, location="query", as_kwargs=True)
    @cases.response(200, CasePageSchema)
    def get(self, **query: Any) -> dict[str, Any]:
        """Cases matching the filters, newest raised first, a page at a time."""
        require(READ)
        municipalities = listed_municipalities(tuple(query["municipality"]))
        if municipalities is None:
            return page_body("cases", Page((), 0, 1, query["per_page"]))
        wanted = CaseFilter(
            municipalities=municipalities,
            status=query.get("status"),
            category=query.get("category"),
            community=query.get("community"),
            year=query.get("year"),
            overdue=query.get("overdue"),
            published=query.get("published"),
            open=query["open"],
        )
        with services().views.reading() as c:
            text = (query.get("q") or "").strip()
            if text:
                found = matching_case_ids(c, text)[:SEARCH_LIMIT]
                # No match narrows to no case (an empty list would mean all).
                wanted = replace(wanted, case_ids=tuple(found) or ("",))
            page = find_cases(
                c, wanted, today=services().today(), page=query["page"],
                per_page=query["per_page"],
            )  # fmt: skip
        return page_body("cases", page)

    @requires(SUBMIT)
    @idempotency.idempotent
    @cases.arguments(NewCaseSchema, as_kwargs=True)
    @cases.response(201, CaseCreatedSchema)
    @cases.doc(**idempotency.DOC)
    def post(self, **new: Any) -> Reply:
        """Log a community issue; it gets the next reference of its year."""
        if not caller().sees(new["municipality"]):
            refuse(403, errors=[("municipality", "not one of your municipalities")])
        case_id = idempotency.retried_id("cfpi-api")
        tracker = services().tracker
        try:
            submitted = tracker.submit_case(
                actor=caller().username,
                municipality=new["municipality"],
                title=new["title"],
                description=new["description"],
                category=new["category"],
                communities=new["communities"],
                raised_on=new["raised_on"],
                language=new["language"],
                meeting_id=new["meeting"],
                location=new["location"],
                submitter=_submitter(new["submitter"]),
                case_id=case_id,
            )
            case = tracker.case(submitted.case_id)
        except CaseAlreadyExists:
            # A retry whose first answer was lost: the case is the first one.
            if case_id is None:
                raise
            case = tracker.case(case_id)
        created = {
            "id": case.case_id,
            "reference": case.reference,
            "status": case.status,
            "version": case.version,
        }
        location = f"{request.base_url}/{case.reference}"
        return created, 201, {"ETag": etag(case.version), "Location": location}


def _submitter(given: dict[str, Any] | None) -> dict[str, str] | None:
    if not given:
        return None
    return {k: v for k, v in given.items() if v is not None}


def visible_case(case: str) -> CaseView:
    """The case by id or reference, if the caller may see it (else 404)."""
    try:
        found = services().tracker.case(case, on=services().today())
    except CaseNotFound:
        refuse(404)  # the same answer as for a case of another municipality
    require_municipality(found.municipality)
    return found


def shown(case: CaseView) -> CaseView:
    """The case as the caller may see it: no personal data for a reader only."""
    if may(SUBMIT):
        return case
    notes = tuple(replace(n, text=None) if n.sensitive else n for n in case.notes)
    return replace(case, submitter=None, notes=notes)


@cases.route("/<case>")
@cases.response(200, CaseSchema)
@cases.doc(
    parameters=[
        {
            "in": "path",
            "name": "case",
            "required": True,
            "schema": {"type": "string", "example": "GRA-2026-001"},
            "description": "The case's id or reference.",
        }
    ]
)
def case_state(case: str) -> Reply:
    """One case, by id or reference, with its version as the ETag."""
    require(READ)
    found = visible_case(case)
    return shown(found), 200, {"ETag": etag(found.version)}


@cases.route("/<case>/history")
@cases.response(200, HistoryEntrySchema(many=True))
def case_history(case: str) -> list[dict[str, Any]]:
    """Every event of the case, in order: what, who, when, and the details."""
    require(READ)
    found = visible_case(case)
    history = services().tracker.case_history(found.case_id)
    return [_entry(e) for e in history]


def _entry(entry: TimelineEntry) -> dict[str, Any]:
    details = dict(entry.details)
    if not may(SUBMIT):
        for personal in entry.personal:
            details.pop(personal, None)
    return {
        "version": entry.version,
        "event": entry.event,
        "actor": entry.actor,
        "recorded_at": entry.recorded_at,
        "details": plain(details),
    }
