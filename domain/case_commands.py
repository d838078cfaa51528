"""Decisions on a case's own life: submission, amendment, triage, outcome,
notes, documents and publication.

Each method validates against the case's state and its rules, then calls the
recording method that `domain/case.py` defines for the event.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, ClassVar, Self
from uuid import UUID

from domain import case_errors as errors
from domain.case_records import Note
from domain.case_rules import (
    CLOSED_STATUSES,
    CaseGuards,
    optional_text,
    valid_amendment,
    valid_communities,
    valid_document,
    valid_publication,
    valid_submitter,
)
from domain.errors import require_choice, require_text
from domain.personal import PersonalData, personal, submitter_id
from domain.reference import CATEGORIES, LANGUAGES, OUTCOMES, PRIORITIES, municipality


class CaseDecisions(CaseGuards):
    """What secretaries, advocates and coordinators may record, and when."""

    # Given by `Case` and eventsourcing's Aggregate.
    Submitted: ClassVar[type[Any]]
    _create: ClassVar[Callable[..., Any]]
    id: UUID
    language: str
    publication: object | None
    _amended: Callable[..., None]
    _translated: Callable[..., None]
    _accepted: Callable[..., None]
    _declined: Callable[..., None]
    _marked_duplicate: Callable[..., None]
    _resolved: Callable[..., None]
    _reopened: Callable[..., None]
    _note_added: Callable[..., None]
    _document_attached: Callable[..., None]
    _published: Callable[..., None]
    _unpublished: Callable[..., None]
    _personal_data_erased: Callable[..., None]
    submitter: PersonalData | None
    notes: list[Note]

    @classmethod
    def submit(
        cls,
        *,
        case_id: UUID,
        actor: str,
        reference: str,
        municipality_code: str,
        title: str,
        description: str,
        category: str,
        communities: tuple[str, ...] | list[str],
        raised_on: date,
        language: str,
        meeting_id: UUID | None = None,
        location: str | None = None,
        submitter: dict[str, str] | None = None,
    ) -> Self:
        """Log a new community issue; the reference comes from the register."""
        municipality(municipality_code)
        submitted: Self = cls._create(
            cls.Submitted,
            id=case_id,
            actor=require_text(actor, "actor", max_length=200),
            reference=reference,
            municipality=municipality_code,
            title=require_text(title, "title", max_length=300),
            description=require_text(description, "description"),
            category=require_choice(category, CATEGORIES, "category"),
            communities=valid_communities(communities),
            raised_on=raised_on,
            meeting_id=meeting_id,
            location=optional_text(location, "location"),
            submitter=personal(submitter_id(case_id), valid_submitter(submitter)),
            language=require_choice(language, LANGUAGES, "language"),
        )
        return submitted

    def amend(self, *, actor: str, reason: str, changes: dict[str, Any]) -> None:
        """Correct submitted fields, saying why; unchanged values are dropped."""
        self._require_not_resolved()
        valid = valid_amendment(changes, current=self._amendable_values())
        if "raised_on" in valid:
            self._require_raised_on_before_everything(valid["raised_on"])
        self._amended(actor=actor, changes=valid, reason=require_text(reason, "reason"))

    def translate(
        self, *, actor: str, language: str, title: str, description: str
    ) -> None:
        """Add or replace the text of the case in another language."""
        self._require_not_resolved()
        require_choice(language, LANGUAGES, "language")
        if language == self.language:
            raise errors.SameLanguageAsOriginal(
                f"the case was written in {language}; translate into another",
                field="language",
            )
        self._translated(
            actor=actor,
            language=language,
            title=require_text(title, "title", max_length=300),
            description=require_text(description, "description"),
        )

    def accept(self, *, actor: str, priority: str) -> None:
        """Take the case up for advocacy, with a priority."""
        self._require_untriaged()
        self._accepted(
            actor=actor, priority=require_choice(priority, PRIORITIES, "priority")
        )

    def decline(self, *, actor: str, reason: str) -> None:
        """Decide not to take the case up, saying why."""
        self._require_untriaged()
        self._declined(actor=actor, reason=require_text(reason, "reason"))

    def mark_duplicate(
        self, *, actor: str, duplicate_of: UUID, duplicate_of_reference: str
    ) -> None:
        """Close the case as the same issue as another case."""
        self._require_untriaged()
        if duplicate_of == self.id:
            raise errors.CannotDuplicateItself(
                "a case cannot duplicate itself", field="duplicate_of"
            )
        self._marked_duplicate(
            actor=actor,
            duplicate_of=duplicate_of,
            duplicate_of_reference=duplicate_of_reference,
        )

    def resolve(
        self, *, actor: str, outcome: str, resolved_on: date, summary: str
    ) -> None:
        """Close the case with its outcome."""
        self._require_open_for_advocacy()
        self._require_not_before_raised(resolved_on, "resolved_on")
        self._resolved(
            actor=actor,
            outcome=require_choice(outcome, OUTCOMES, "outcome"),
            resolved_on=resolved_on,
            summary=require_text(summary, "summary"),
        )

    def reopen(self, *, actor: str, reopened_on: date, reason: str) -> None:
        """Open a declined, duplicate or resolved case again."""
        if self.status not in CLOSED_STATUSES:
            raise errors.CaseNotClosed(
                f"a case that is {self.status} is not closed", field="status"
            )
        self._require_not_before_raised(reopened_on, "reopened_on")
        if self.resolution and reopened_on < self.resolution.resolved_on:
            raise errors.DateBeforeResolution(
                "a case cannot be reopened before it was resolved",
                field="reopened_on",
            )
        self._reopened(
            actor=actor, reopened_on=reopened_on, reason=require_text(reason, "reason")
        )

    def add_note(
        self, *, actor: str, note_id: UUID, text: str, sensitive: bool = False
    ) -> None:
        """Add a free-text note; allowed at every stage.

        A sensitive note (what happened to someone, e.g. violence at home) is
        the personal data of the person the case is about, sealed with their
        key and erased with them; once they are erased it cannot be added.
        """
        written = require_text(text, "text")
        if sensitive and self.personal_data_erased:
            raise errors.PersonalDataAlreadyErased(
                "the person this case is about was erased; a sensitive note "
                "about them cannot be kept",
                field="sensitive",
            )
        kept = PersonalData(self.person_id, {"text": written}) if sensitive else written
        self._note_added(actor=actor, note_id=note_id, text=kept)

    def attach_document(
        self,
        *,
        actor: str,
        document_id: UUID,
        filename: str,
        media_type: str,
        size: int,
        sha256: str,
    ) -> None:
        """Attach a stored file, known by its SHA-256 content hash."""
        self._require_not_resolved()
        filename, media_type, size, sha256 = valid_document(
            filename, media_type, size, sha256
        )
        self._document_attached(
            actor=actor,
            document_id=document_id,
            filename=filename,
            media_type=media_type,
            size=size,
            sha256=sha256,
        )

    def publish(
        self,
        *,
        actor: str,
        fields: tuple[str, ...] | list[str],
        title: str,
        description: str,
    ) -> None:
        """Make chosen fields public, with the redacted text to show."""
        fields, title, description = valid_publication(fields, title, description)
        self._published(
            actor=actor, fields=fields, title=title, description=description
        )

    def unpublish(self, *, actor: str, reason: str) -> None:
        """Take the case off the public portal."""
        if self.publication is None:
            raise errors.CaseNotPublished("the case is not published")
        self._unpublished(actor=actor, reason=require_text(reason, "reason"))

    @property
    def person_id(self) -> UUID:
        """The person this case is about: its submitter, named or not."""
        return submitter_id(self.id)

    @property
    def personal_data(self) -> list[PersonalData]:
        """Every value of personal data the case holds (erased ones too)."""
        sealed = [n.text for n in self.notes if isinstance(n.text, PersonalData)]
        return [self.submitter, *sealed] if self.submitter else sealed

    @property
    def personal_data_erased(self) -> bool:
        """Whether the person this case is about was erased."""
        return any(value.erased for value in self.personal_data)

    def erase_personal_data(self, *, actor: str, person_id: UUID, reason: str) -> None:
        """Record that a person's data on this case is erased (in any status)."""
        if person_id != self.person_id or not self.personal_data:
            raise errors.PersonNotOnCase(
                f"no personal data of {person_id} on this case", field="person_id"
            )
        if self.personal_data_erased:
            raise errors.PersonalDataAlreadyErased(
                "this person's data was erased already", field="person_id"
            )
        self._personal_data_erased(
            actor=actor,
            person_id=person_id,
            reason=require_text(reason, "reason", max_length=500),
        )
