"""The lifecycle steps of a case as the API takes them, and what each returns."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow import validate

from domain.errors import MAX_COUNT
from domain.reference import (
    ADVOCACY_ACTION_KINDS,
    COMMITMENT_STATUSES,
    COMMUNITIES,
    FOLLOW_UP_CHANNELS,
    INSTITUTION_KINDS,
    OUTCOMES,
    PRIORITIES,
    REQUEST_KINDS,
    RESPONSE_KINDS,
)
from web.api.schemas.cases import code, text

TRIAGE_DECISIONS = ("accept", "decline", "duplicate")


class TriageSchema(ma.Schema):
    """Accept a new case (with a priority), decline it, or mark it a duplicate."""

    decision = code(TRIAGE_DECISIONS, required=True)
    priority = code(PRIORITIES, load_default="normal")
    reason = text(metadata={"description": "Needed to decline."})
    duplicate_of = text(
        metadata={"description": "The original case (id or reference)."}
    )

    @ma.validates_schema
    def _needed(self, data: dict[str, Any], **_: Any) -> None:
        needed = {"decline": "reason", "duplicate": "duplicate_of"}
        field = needed.get(data.get("decision", ""))
        if field and not (data.get(field) or "").strip():
            raise ma.ValidationError("Missing data for required field.", field)


class NewActionSchema(ma.Schema):
    """An advocacy action taken for the case."""

    kind = code(ADVOCACY_ACTION_KINDS, required=True)
    taken_on = ma.fields.Date(required=True)
    description = text(required=True)
    communities = ma.fields.List(
        code(COMMUNITIES), required=True, validate=validate.Length(min=1)
    )
    signatures = ma.fields.Integer(
        load_default=None,
        validate=validate.Range(min=0, max=MAX_COUNT),
        metadata={"description": "For a petition."},
    )


class NewReferralSchema(ma.Schema):
    """The case sent to an institution; its due date follows the request's rule."""

    institution_kind = code(INSTITUTION_KINDS, required=True)
    institution_name = text(required=True)
    request_kind = code(REQUEST_KINDS, required=True)
    sent_on = ma.fields.Date(required=True)


class NewResponseSchema(ma.Schema):
    """An institution's response to a referral."""

    received_on = ma.fields.Date(required=True)
    kind = code(RESPONSE_KINDS, required=True)
    summary = text(required=True)
    document_id = ma.fields.UUID(
        load_default=None, metadata={"description": "A document on the case."}
    )


class ExtensionSchema(ma.Schema):
    """A referral's due date moved later, within the law's limit."""

    due_date = ma.fields.Date(required=True)
    reason = text(required=True)


class FollowUpSchema(ma.Schema):
    """The institution chased for its answer."""

    followed_up_on = ma.fields.Date(required=True)
    channel = code(FOLLOW_UP_CHANNELS, required=True)
    note = text(load_default="")


class VerificationSchema(ma.Schema):
    """Whether a commitment was kept."""

    status = code(COMMITMENT_STATUSES, required=True)
    verified_on = ma.fields.Date(required=True)
    evidence = text(required=True)


class NewResolutionSchema(ma.Schema):
    """The case closed with its outcome."""

    outcome = code(OUTCOMES, required=True)
    resolved_on = ma.fields.Date(required=True)
    summary = text(required=True)


class ReopenSchema(ma.Schema):
    """A closed case opened again."""

    reopened_on = ma.fields.Date(required=True)
    reason = text(required=True)


class NewNoteSchema(ma.Schema):
    """A note kept on the case."""

    text = text(required=True)
    sensitive = ma.fields.Boolean(
        load_default=False,
        metadata={
            "description": "The person's data (e.g. violence at home): sealed "
            "with their key, hidden from viewers, erased with them."
        },
    )


class DocumentUploadSchema(ma.Schema):
    """A file to attach (PDF, PNG, JPEG, DOCX, XLSX, ODT or TXT)."""

    file = ma.fields.Raw(required=True, metadata={"type": "string", "format": "binary"})


class StepDoneSchema(ma.Schema):
    """The case after a step: its reference, status and new version."""

    id = ma.fields.UUID(required=True)
    reference = ma.fields.String(required=True)
    status = ma.fields.String(required=True)
    version = ma.fields.Integer(required=True)


class ActionTakenSchema(StepDoneSchema):
    """The case after an action, and the action's id."""

    action_id = ma.fields.UUID(required=True)


class ReferralMadeSchema(StepDoneSchema):
    """The case after a referral, the referral's id and its due date."""

    referral_id = ma.fields.UUID(required=True)
    due_date = ma.fields.Date(required=True)


class ResponseRecordedSchema(StepDoneSchema):
    """The case after a response, and the response's id."""

    response_id = ma.fields.UUID(required=True)


class NoteAddedSchema(StepDoneSchema):
    """The case after a note, and the note's id."""

    note_id = ma.fields.UUID(required=True)


class DocumentAttachedSchema(StepDoneSchema):
    """The case after a document, the document's id and content hash."""

    document_id = ma.fields.UUID(required=True)
    sha256 = ma.fields.String(required=True)
