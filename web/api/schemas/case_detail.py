"""One case in full, as ``GET /api/v1/cases/{id}`` gives it."""

from __future__ import annotations

import marshmallow as ma

from web.api.schemas.cases import SubmitterSchema


class SubmitterStateSchema(SubmitterSchema):
    """Who raised the case, or that their data was erased (DESIGN §7)."""

    person_id = ma.fields.UUID(
        required=True, metadata={"description": "Give this to erase the person."}
    )
    name = ma.fields.String(
        allow_none=True, metadata={"description": "Null once erased."}
    )
    contact = ma.fields.String(allow_none=True)
    erased = ma.fields.Boolean(required=True)


class TranslationSchema(ma.Schema):
    """The case's text in another language."""

    language = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    description = ma.fields.String(required=True)


class ActionSchema(ma.Schema):
    """An advocacy action taken for the case."""

    action_id = ma.fields.UUID(required=True)
    kind = ma.fields.String(required=True)
    taken_on = ma.fields.Date(required=True)
    description = ma.fields.String(required=True)
    communities = ma.fields.List(ma.fields.String(), required=True)
    signatures = ma.fields.Integer(allow_none=True)


class ReferralSchema(ma.Schema):
    """A referral to an institution, with its deadline state today."""

    referral_id = ma.fields.UUID(required=True)
    institution_kind = ma.fields.String(required=True)
    institution_name = ma.fields.String(required=True)
    request_kind = ma.fields.String(required=True)
    sent_on = ma.fields.Date(required=True)
    due_date = ma.fields.Date(required=True, attribute="due_on")
    original_due_date = ma.fields.Date(required=True, attribute="original_due_on")
    very_overdue_date = ma.fields.Date(required=True, attribute="very_overdue_on")
    follow_ups = ma.fields.Integer(required=True)
    first_response_on = ma.fields.Date(allow_none=True)
    substantive_response_on = ma.fields.Date(allow_none=True)
    deadline_state = ma.fields.String(required=True, metadata={"example": "overdue"})


class ResponseSchema(ma.Schema):
    """An institution's response to a referral."""

    response_id = ma.fields.UUID(required=True)
    referral_id = ma.fields.UUID(required=True)
    received_on = ma.fields.Date(required=True)
    kind = ma.fields.String(required=True)
    summary = ma.fields.String(required=True)
    document_id = ma.fields.UUID(allow_none=True)
    commitment_status = ma.fields.String(allow_none=True)
    verified_on = ma.fields.Date(allow_none=True)


class NoteSchema(ma.Schema):
    """A note kept on the case."""

    note_id = ma.fields.UUID(required=True)
    text = ma.fields.String(
        allow_none=True,
        metadata={
            "description": "Null for a sensitive note once erased, or to viewers."
        },
    )
    sensitive = ma.fields.Boolean(
        required=True, metadata={"description": "Personal data (DESIGN §7)."}
    )
    erased = ma.fields.Boolean(required=True)


class DocumentSchema(ma.Schema):
    """A file attached to the case, kept by its content hash."""

    document_id = ma.fields.UUID(required=True)
    filename = ma.fields.String(required=True)
    media_type = ma.fields.String(required=True)
    size = ma.fields.Integer(required=True)
    sha256 = ma.fields.String(required=True)


class ResolutionSchema(ma.Schema):
    """How the case ended."""

    outcome = ma.fields.String(required=True)
    resolved_on = ma.fields.Date(required=True)
    summary = ma.fields.String(required=True)


class PublicationSchema(ma.Schema):
    """What a coordinator made public, after redaction."""

    # "fields" would hide the schema's own `fields`: named apart, shown as it.
    published_fields = ma.fields.List(
        ma.fields.String(), required=True, data_key="fields", attribute="fields"
    )
    title = ma.fields.String(required=True)
    description = ma.fields.String(required=True)


class CaseSchema(ma.Schema):
    """A case's current state."""

    id = ma.fields.UUID(required=True, attribute="case_id")
    reference = ma.fields.String(required=True)
    version = ma.fields.Integer(required=True)
    status = ma.fields.String(required=True)
    municipality = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    description = ma.fields.String(required=True)
    category = ma.fields.String(required=True)
    communities = ma.fields.List(ma.fields.String(), required=True)
    jointly_raised = ma.fields.Boolean(required=True)
    raised_on = ma.fields.Date(required=True)
    language = ma.fields.String(required=True)
    location = ma.fields.String(allow_none=True)
    meeting = ma.fields.UUID(allow_none=True, attribute="meeting_id")
    submitter = ma.fields.Nested(
        SubmitterStateSchema,
        allow_none=True,
        metadata={"description": "Personal data: not shown to viewers."},
    )
    priority = ma.fields.String(allow_none=True)
    decline_reason = ma.fields.String(allow_none=True)
    duplicate_of = ma.fields.UUID(allow_none=True)
    translations = ma.fields.List(ma.fields.Nested(TranslationSchema), required=True)
    actions = ma.fields.List(ma.fields.Nested(ActionSchema), required=True)
    referrals = ma.fields.List(ma.fields.Nested(ReferralSchema), required=True)
    responses = ma.fields.List(ma.fields.Nested(ResponseSchema), required=True)
    notes = ma.fields.List(ma.fields.Nested(NoteSchema), required=True)
    documents = ma.fields.List(ma.fields.Nested(DocumentSchema), required=True)
    resolution = ma.fields.Nested(ResolutionSchema, allow_none=True)
    reopened_times = ma.fields.Integer(required=True)
    publication = ma.fields.Nested(PublicationSchema, allow_none=True)
    created_at = ma.fields.AwareDateTime(required=True)
    last_activity_at = ma.fields.AwareDateTime(required=True)
