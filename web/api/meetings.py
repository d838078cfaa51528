"""Meetings: record one (attendance and agenda at once), list them, read one."""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

from flask import request
from flask.views import MethodView

from projections.meetings import MeetingDetail, find_meetings, meeting_detail
from projections.paging import Page
from web.access import MEET, READ
from web.api import idempotency
from web.api.auth import (
    caller,
    listed_municipalities,
    require,
    require_municipality,
    requires,
)
from web.api.cases import visible_case
from web.api.errors import refuse
from web.api.resources import resource
from web.api.schemas.meetings import (
    MeetingPageSchema,
    MeetingQuerySchema,
    MeetingSchema,
    NewMeetingSchema,
)
from web.api.schemas.paging import page_body
from web.api.versions import Reply
from web.services import services

meetings = resource("Meetings", "/meetings", "Forum meetings, attendance, agenda.")


@meetings.route("")
class Meetings(MethodView):
    """The meetings the caller may see."""

    @meetings.arguments(MeetingQuerySchema, location="query", as_kwargs=True)
    @meetings.response(200, MeetingPageSchema)
    def get(self, **query: Any) -> dict[str, Any]:
        """Meetings, latest held first, a page at a time."""
        require(READ)
        municipalities = listed_municipalities(tuple(query["municipality"]))
        if municipalities is None:
            return page_body("meetings", Page((), 0, 1, query["per_page"]))
        with services().views.reading() as c:
            page = find_meetings(
                c, municipalities=municipalities, year=query.get("year"),
                page=query["page"], per_page=query["per_page"],
            )  # fmt: skip
        return page_body("meetings", page)

    @requires(MEET)
    @idempotency.idempotent
    @meetings.arguments(NewMeetingSchema, as_kwargs=True)
    @meetings.response(201, MeetingSchema)
    @meetings.doc(**idempotency.DOC)
    def post(self, **new: Any) -> Reply:
        """Record a meeting with its attendance and the cases it discussed."""
        if not caller().sees(new["municipality"]):
            refuse(403, errors=[("municipality", "not one of your municipalities")])
        for wanted in new["cases"]:
            visible_case(wanted)  # another municipality's case: as if none
        meeting_id = idempotency.retried_id("cfpi-api:meeting") or uuid4()
        tracker = services().tracker
        if not tracker.exists(meeting_id):
            tracker.record_meeting(
                actor=caller().username, municipality=new["municipality"],
                held_on=new["date"], place=new["location"],
                attendance=new["attendance"], meeting_id=meeting_id,
                cases_discussed=new["cases"],
            )  # fmt: skip
        location = f"{request.base_url}/{meeting_id.hex}"
        return _shown(_detail(meeting_id.hex)), 201, {"Location": location}


@meetings.route("/<meeting>")
@meetings.response(200, MeetingSchema)
def meeting_page(meeting: str) -> dict[str, Any]:
    """One meeting with its attendance grid and agenda."""
    require(READ)
    try:
        meeting_id = UUID(meeting).hex
    except ValueError:
        refuse(404, errors=[("meeting", f"no meeting {meeting}")])
    detail = _detail(meeting_id)
    require_municipality(detail.meeting.municipality)
    return _shown(detail)


def _detail(meeting_id: str) -> MeetingDetail:
    with services().views.reading() as c:
        detail = meeting_detail(c, meeting_id)
    if detail is None:
        refuse(404, errors=[("meeting", f"no meeting {meeting_id}")])
    return detail


def _shown(detail: MeetingDetail) -> dict[str, Any]:
    m = detail.meeting
    return {
        "id": m.meeting_id, "municipality": m.municipality, "date": m.held_on,
        "location": m.place, "attendance_total": m.attendance_total,
        "attendance": detail.attendance, "cases": detail.cases,
        "has_minutes": m.has_minutes,
    }  # fmt: skip
