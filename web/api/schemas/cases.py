"""Cases as the API takes and gives them; field names as in DESIGN.md.

Codes are checked against the reference data here so that the OpenAPI
document lists them, and free text for the one character no store keeps
(NUL); every other rule (lengths, dates, the lifecycle) is the domain's, and
its refusals come back as 422 or 409 with the field.
"""

from __future__ import annotations

from collections.abc import Callable

import marshmallow as ma
from marshmallow import validate

from domain.reference import (
    CATEGORIES,
    COMMUNITIES,
    LANGUAGES,
    MUNICIPALITIES_BY_CODE,
    STATUSES,
)
from projections.paging import MAX_PER_PAGE
from web.api.schemas.paging import PageSchema

MUNICIPALITY_CODES = tuple(MUNICIPALITIES_BY_CODE)


def code(choices: tuple[str, ...], **options: object) -> ma.fields.String:
    """A field that takes one of the reference data's codes."""
    return ma.fields.String(validate=validate.OneOf(choices), **options)  # type: ignore[arg-type]


def keepable(value: str) -> None:
    """Refuse a text with NUL in it: a PostgreSQL text column cannot hold one,
    and the views that copy the text into one would stop at the event."""
    if "\x00" in value:
        raise ma.ValidationError("text cannot hold the NUL character (\\u0000)")


def text(*checks: Callable[[str], object], **options: object) -> ma.fields.String:
    """A field of free text, as people write it (the domain checks its length)."""
    return ma.fields.String(validate=[keepable, *checks], **options)  # type: ignore[arg-type]


class SubmitterSchema(ma.Schema):
    """Who raised the case (personal data: optional)."""

    name = text(required=True)
    contact = text(load_default=None)


class NewCaseSchema(ma.Schema):
    """A community issue to log."""

    municipality = code(MUNICIPALITY_CODES, required=True)
    title = text(required=True)
    description = text(required=True)
    category = code(CATEGORIES, required=True)
    communities = ma.fields.List(
        code(COMMUNITIES), required=True, validate=validate.Length(min=1)
    )
    raised_on = ma.fields.Date(required=True)
    language = code(LANGUAGES, load_default="sq")
    meeting = ma.fields.UUID(load_default=None)
    location = text(load_default=None)
    submitter = ma.fields.Nested(SubmitterSchema, load_default=None)


class CaseCreatedSchema(ma.Schema):
    """What a submission returns."""

    id = ma.fields.UUID(required=True)
    reference = ma.fields.String(required=True, metadata={"example": "GRA-2026-014"})
    status = ma.fields.String(required=True)
    version = ma.fields.Integer(required=True)


class CaseQuerySchema(ma.Schema):
    """The case list's filters (all optional) and its page."""

    municipality = ma.fields.List(code(MUNICIPALITY_CODES), load_default=list)
    status = code(STATUSES)
    category = code(CATEGORIES)
    community = code(COMMUNITIES)
    year = ma.fields.Integer(validate=validate.Range(1990, 2200))
    overdue = ma.fields.Boolean()
    published = ma.fields.Boolean()
    open = ma.fields.Boolean(load_default=False)
    q = ma.fields.String(
        validate=validate.Length(max=200),
        metadata={"description": "Words to search for in the cases' text."},
    )
    page = ma.fields.Integer(load_default=1, validate=validate.Range(1, 1_000_000))
    per_page = ma.fields.Integer(
        load_default=25, validate=validate.Range(1, MAX_PER_PAGE)
    )


class CaseRowSchema(ma.Schema):
    """One case in a list."""

    id = ma.fields.String(required=True, attribute="case_id")
    reference = ma.fields.String(required=True)
    municipality = ma.fields.String(required=True)
    category = ma.fields.String(required=True)
    communities = ma.fields.List(ma.fields.String(), required=True)
    jointly_raised = ma.fields.Boolean(required=True)
    title = ma.fields.String(required=True)
    status = ma.fields.String(required=True)
    priority = ma.fields.String(allow_none=True)
    raised_on = ma.fields.Date(required=True)
    open_referrals = ma.fields.Integer(required=True)
    next_due_date = ma.fields.Date(allow_none=True, attribute="next_due_on")
    overdue = ma.fields.Boolean(required=True)
    very_overdue = ma.fields.Boolean(required=True)
    published = ma.fields.Boolean(required=True)
    version = ma.fields.Integer(required=True)


class CasePageSchema(PageSchema):
    """One page of a case list, and how many cases match in all."""

    cases = ma.fields.List(ma.fields.Nested(CaseRowSchema), required=True)


class HistoryEntrySchema(ma.Schema):
    """One event of a case's history, in order."""

    version = ma.fields.Integer(required=True)
    event = ma.fields.String(required=True, metadata={"example": "Referred"})
    actor = ma.fields.String(required=True)
    recorded_at = ma.fields.AwareDateTime(required=True)
    details = ma.fields.Dict(required=True)
