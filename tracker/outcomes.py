"""A case's outcome, and the notes, documents and publication kept on it."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

from tracker.store import Store


class OutcomeCommands(Store):
    """Resolving and reopening a case; its notes, documents and publication."""

    def resolve_case(
        self,
        case_id: UUID,
        *,
        actor: str,
        outcome: str,
        resolved_on: date,
        summary: str,
        expected_version: int | None = None,
    ) -> int:
        """Close the case with its outcome."""
        self.require_past(resolved_on, "resolved_on")
        return self.change_case(
            case_id,
            lambda c: c.resolve(
                actor=actor, outcome=outcome, resolved_on=resolved_on, summary=summary
            ),
            expected_version,
        )

    def reopen_case(
        self,
        case_id: UUID,
        *,
        actor: str,
        reopened_on: date,
        reason: str,
        expected_version: int | None = None,
    ) -> int:
        """Open a closed case again."""
        self.require_past(reopened_on, "reopened_on")
        return self.change_case(
            case_id,
            lambda c: c.reopen(actor=actor, reopened_on=reopened_on, reason=reason),
            expected_version,
        )

    def add_note(
        self,
        case_id: UUID,
        *,
        actor: str,
        text: str,
        sensitive: bool = False,
        expected_version: int | None = None,
    ) -> UUID:
        """Add a note (sensitive: the person's data, DESIGN §7); return its id."""
        note_id = uuid4()
        self.change_case(
            case_id,
            lambda c: c.add_note(
                actor=actor, note_id=note_id, text=text, sensitive=sensitive
            ),
            expected_version,
        )
        return note_id

    def attach_document(
        self,
        case_id: UUID,
        *,
        actor: str,
        filename: str,
        media_type: str,
        size: int,
        sha256: str,
        expected_version: int | None = None,
    ) -> UUID:
        """Attach a stored file (by content hash) to the case; return its id."""
        document_id = uuid4()
        self.change_case(
            case_id,
            lambda c: c.attach_document(
                actor=actor,
                document_id=document_id,
                filename=filename,
                media_type=media_type,
                size=size,
                sha256=sha256,
            ),
            expected_version,
        )
        return document_id

    def publish_case(
        self,
        case_id: UUID,
        *,
        actor: str,
        fields: list[str] | tuple[str, ...],
        title: str,
        description: str,
        expected_version: int | None = None,
    ) -> int:
        """Publish chosen fields of the case with redacted text."""
        return self.change_case(
            case_id,
            lambda c: c.publish(
                actor=actor, fields=fields, title=title, description=description
            ),
            expected_version,
        )

    def unpublish_case(
        self,
        case_id: UUID,
        *,
        actor: str,
        reason: str,
        expected_version: int | None = None,
    ) -> int:
        """Take the case off the public portal."""
        return self.change_case(
            case_id, lambda c: c.unpublish(actor=actor, reason=reason), expected_version
        )
