"""Errors the application adds to the domain's: lookups and conflicts."""

from __future__ import annotations

from domain.errors import DomainError


class CaseNotFound(DomainError):
    """No case has that id or reference."""


class MeetingNotFound(DomainError):
    """No meeting has that id."""


class CaseAlreadyExists(DomainError):
    """A case with that id was submitted already (a repeated submission)."""


class MeetingInOtherMunicipality(DomainError):
    """A case can only be raised at a meeting of its own municipality."""


class ConcurrentChange(DomainError):
    """Someone else changed the record since it was read; nothing was written."""

    def __init__(
        self,
        message: str,
        *,
        current_version: int | None = None,
        field: str | None = "version",
    ) -> None:
        super().__init__(message, field=field)
        self.current_version = current_version


class StoreUnavailable(DomainError):
    """The event store could not be reached or stayed locked; nothing was written."""
