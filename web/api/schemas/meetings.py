"""Meetings as the API takes and gives them."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate

from domain.errors import MAX_COUNT
from domain.reference import COMMUNITIES, GENDERS
from projections.paging import MAX_PER_PAGE
from web.api.schemas.cases import MUNICIPALITY_CODES, code, text
from web.api.schemas.paging import PageSchema


class AttendanceSchema(ma.Schema):
    """How many of one gender and one community came."""

    gender = code(GENDERS, required=True)
    community = code(COMMUNITIES, required=True)
    count = ma.fields.Integer(
        required=True, validate=validate.Range(min=0, max=MAX_COUNT)
    )


class NewMeetingSchema(ma.Schema):
    """A forum meeting held: where, when, who came, which cases it discussed."""

    municipality = code(MUNICIPALITY_CODES, required=True)
    date = ma.fields.Date(required=True)
    location = text(required=True)
    attendance = ma.fields.List(ma.fields.Nested(AttendanceSchema), load_default=list)
    cases = ma.fields.List(
        ma.fields.String(),
        load_default=list,
        metadata={"description": "Cases discussed (ids or references)."},
    )


class MeetingQuerySchema(ma.Schema):
    """The meeting list's filters and its page."""

    municipality = ma.fields.List(code(MUNICIPALITY_CODES), load_default=list)
    year = ma.fields.Integer(validate=validate.Range(1990, 2200))
    page = ma.fields.Integer(load_default=1, validate=validate.Range(1, 1_000_000))
    per_page = ma.fields.Integer(
        load_default=25, validate=validate.Range(1, MAX_PER_PAGE)
    )


class AgendaCaseSchema(ma.Schema):
    """A case on a meeting's agenda."""

    id = ma.fields.String(required=True, attribute="case_id")
    reference = ma.fields.String(required=True)
    raised = ma.fields.Boolean(
        required=True, metadata={"description": "Raised at this meeting."}
    )


class MeetingSchema(ma.Schema):
    """A meeting with its attendance and agenda."""

    id = ma.fields.String(required=True)
    municipality = ma.fields.String(required=True)
    date = ma.fields.Date(required=True)
    location = ma.fields.String(required=True)
    attendance_total = ma.fields.Integer(required=True)
    attendance = ma.fields.List(ma.fields.Nested(AttendanceSchema), required=True)
    cases = ma.fields.List(ma.fields.Nested(AgendaCaseSchema), required=True)
    has_minutes = ma.fields.Boolean(required=True)


class MeetingRowSchema(ma.Schema):
    """One meeting in a list."""

    id = ma.fields.String(required=True, attribute="meeting_id")
    municipality = ma.fields.String(required=True)
    date = ma.fields.Date(required=True, attribute="held_on")
    location = ma.fields.String(required=True, attribute="place")
    attendance_total = ma.fields.Integer(required=True)
    has_minutes = ma.fields.Boolean(required=True)
    cases_discussed = ma.fields.Integer(required=True)
    cases_raised = ma.fields.Integer(required=True)


class MeetingPageSchema(PageSchema):
    """One page of meetings, and how many match in all."""

    meetings = ma.fields.List(ma.fields.Nested(MeetingRowSchema), required=True)
