"""Errors the application adds to the domain's: lookups, conflicts, the store."""

from __future__ import annotations

import errno
import sqlite3

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


class StoreFull(StoreUnavailable):
    """The disk the records are written to is full; nothing was written."""


# PostgreSQL's SQLSTATE disk_full (psycopg need not be installed to read it).
_POSTGRES_DISK_FULL = "53100"
_NO_SPACE = (errno.ENOSPC, errno.EDQUOT)


def disk_full(error: BaseException) -> bool:
    """Whether a failure, or one that led to it, was a full disk."""
    seen: BaseException | None = error
    followed: set[int] = set()
    while seen is not None and id(seen) not in followed:
        followed.add(id(seen))
        if (
            getattr(seen, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL
            or getattr(seen, "sqlstate", None) == _POSTGRES_DISK_FULL
            or (isinstance(seen, OSError) and seen.errno in _NO_SPACE)
        ):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def store_failure(error: BaseException, *, unavailable: str) -> StoreUnavailable:
    """The named error for records that could not be reached or written:
    `StoreFull` when the disk is full, else `StoreUnavailable` saying
    `unavailable` ("the case store is unavailable")."""
    if disk_full(error):
        return StoreFull(f"the disk is full, nothing was saved ({error})")
    return StoreUnavailable(f"{unavailable}, try again shortly ({error})")
