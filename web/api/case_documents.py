"""Documents on a case through the API: a multipart upload, checked as on the web."""

from __future__ import annotations

from typing import Any

from werkzeug.datastructures import FileStorage

from domain.case_steps import next_steps
from tracker.views import CaseView, situation
from web.access import NOTE
from web.api.case_steps import actor, step_route, take_step
from web.api.errors import refuse
from web.api.schemas.steps import DocumentAttachedSchema, DocumentUploadSchema
from web.api.versions import Reply
from web.documents import RefusedFile, upload_kept
from web.services import services


@step_route(
    NOTE,
    "/<case>/documents",
    DocumentUploadSchema,
    DocumentAttachedSchema,
    "Attach a document",
    location="files",
)
def documents(body: dict[str, Any], case: str) -> Reply:
    """Attach a file (PDF, PNG, JPEG, DOCX, XLSX, ODT, TXT; at most 10 MB)."""
    upload = body["file"]

    def perform(found: CaseView, version: int | None) -> dict[str, Any]:
        # A case that takes no documents now refuses before the file is kept.
        if "attach_document" not in next_steps(situation(found)):
            refuse(409, errors=[("file", "the case takes no documents now")])
        if not isinstance(upload, FileStorage) or not upload.filename:
            refuse(422, errors=[("file", "send the file as multipart/form-data")])
        try:
            with upload_kept(upload, services().documents) as kept:
                document_id = services().tracker.attach_document(
                    found.case_id, actor=actor(), filename=kept.filename,
                    media_type=kept.media_type, size=kept.size, sha256=kept.sha256,
                    expected_version=version,
                )  # fmt: skip
        except RefusedFile as refusal:
            refuse(422, errors=[("file", str(refusal))])
        return {"document_id": document_id, "sha256": kept.sha256}

    return take_step(case, perform)
