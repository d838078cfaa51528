"""Which statuses allow what, the checks on a case's inputs, and its guards.

`CaseGuards` holds the rules that read a case's state; the decisions in
`domain/case_commands.py` and `domain/case_advocacy.py` call them before any
event is triggered.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any
from uuid import UUID

from domain import case_errors as errors
from domain.case_records import Referral, Resolution
from domain.errors import InvalidValue, require_choice, require_count, require_text
from domain.reference import CATEGORIES, COMMUNITIES, LANGUAGES, PUBLISHABLE_FIELDS

RESOLVED_STATUSES = ("resolved", "partially_resolved", "unresolved")
CLOSED_STATUSES = ("declined", "duplicate", *RESOLVED_STATUSES)
ACTIVE_STATUSES = (
    "accepted",
    "in_advocacy",
    "referred",
    "awaiting_response",
    "answered",
    "reopened",
)
AMENDABLE_FIELDS = (
    "title",
    "description",
    "category",
    "communities",
    "location",
    "raised_on",
    "language",
)
SUBMITTER_FIELDS = ("name", "contact")
MAX_DOCUMENT_SIZE = 50 * 1024 * 1024
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_MEDIA_TYPE = re.compile(r"^[a-z]+/[a-z0-9.+-]+$")


def valid_communities(communities: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """At least one known community, each once, in the reference order."""
    if isinstance(communities, str) or not communities:
        raise InvalidValue(
            "name at least one community raising the issue", field="communities"
        )
    for community in communities:
        require_choice(community, COMMUNITIES, "communities")
    return tuple(c for c in COMMUNITIES if c in communities)


def valid_submitter(submitter: dict[str, str] | None) -> dict[str, str] | None:
    """A submitter is optional; if given it has a name and maybe a contact."""
    if not submitter:
        return None
    unknown = set(submitter) - set(SUBMITTER_FIELDS)
    if unknown:
        raise InvalidValue(
            f"unknown submitter fields: {', '.join(sorted(unknown))}",
            field="submitter",
        )
    cleaned = {
        "name": require_text(
            submitter.get("name", ""), "submitter.name", max_length=200
        )
    }
    contact = (submitter.get("contact") or "").strip()
    if contact:
        cleaned["contact"] = require_text(contact, "submitter.contact", max_length=200)
    return cleaned


def valid_amendment(
    changes: dict[str, Any], *, current: dict[str, Any]
) -> dict[str, Any]:
    """Validate each changed field and keep only those that really change."""
    unknown = set(changes) - set(AMENDABLE_FIELDS)
    if unknown:
        raise InvalidValue(
            f"these fields cannot be amended: {', '.join(sorted(unknown))}",
            field=sorted(unknown)[0],
        )
    valid = {field: _valid_field(field, value) for field, value in changes.items()}
    changed = {
        field: value
        for field, value in valid.items()
        if _comparable(value) != _comparable(current.get(field))
    }
    if not changed:
        raise errors.NothingToAmend("the amendment changes nothing")
    return changed


def _valid_field(field: str, value: Any) -> Any:
    if field == "title":
        return require_text(value, "title", max_length=300)
    if field == "description":
        return require_text(value, "description")
    if field == "category":
        return require_choice(value, CATEGORIES, "category")
    if field == "communities":
        return valid_communities(value)
    if field == "language":
        return require_choice(value, LANGUAGES, "language")
    if field == "raised_on":
        if not isinstance(value, date):
            raise InvalidValue("raised_on must be a date", field="raised_on")
        return value
    return optional_text(value, field)


def _comparable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list | tuple) else value


def valid_document(
    filename: str, media_type: str, size: int, sha256: str
) -> tuple[str, str, int, str]:
    """A file name, a media type, a size within limits and a SHA-256 hex digest."""
    name = require_text(filename, "filename", max_length=255)
    if "/" in name or "\\" in name or name in (".", ".."):
        raise InvalidValue("a file name cannot contain a path", field="filename")
    media = media_type.strip().lower()
    if not _MEDIA_TYPE.match(media):
        raise InvalidValue(f"not a media type: {media_type!r}", field="media_type")
    require_count(size, "size", most=2**62)
    if size > MAX_DOCUMENT_SIZE:
        raise InvalidValue(
            f"a document may be at most {MAX_DOCUMENT_SIZE // 2**20} MiB", field="size"
        )
    digest = sha256.strip().lower()
    if not _SHA256.match(digest):
        raise InvalidValue("sha256 must be 64 hexadecimal digits", field="sha256")
    return name, media, size, digest


def valid_publication(
    fields: tuple[str, ...] | list[str], title: str, description: str
) -> tuple[tuple[str, ...], str, str]:
    """Publishable fields only, with a redacted title and description."""
    if isinstance(fields, str) or not fields:
        raise InvalidValue("choose at least one field to publish", field="fields")
    for field in fields:
        require_choice(field, PUBLISHABLE_FIELDS, "fields")
    ordered = tuple(f for f in PUBLISHABLE_FIELDS if f in fields)
    return (
        ordered,
        require_text(title, "title", max_length=300),
        require_text(description, "description"),
    )


def optional_text(value: object, field: str) -> str | None:
    """Text that may be left out: empty becomes None; anything but text is refused."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return require_text(value, field, max_length=2_000)  # type: ignore[arg-type]


class CaseGuards:
    """The rules that read a case's state; they raise, they never change it."""

    status: str
    raised_on: date
    referrals: dict[str, Referral]
    resolution: Resolution | None
    first_dated_on: date | None

    def _amendable_values(self) -> dict[str, Any]:
        """The current values of the fields an amendment may change."""
        return {field: getattr(self, field) for field in AMENDABLE_FIELDS}

    def referral(self, referral_id: UUID) -> Referral:
        """The referral with that id, or ReferralNotFound."""
        try:
            return self.referrals[referral_id.hex]
        except KeyError:
            raise errors.ReferralNotFound(
                f"no referral {referral_id} on this case", field="referral_id"
            ) from None

    def _open_referral(self, referral_id: UUID) -> Referral:
        self._require_open_for_advocacy()
        referral = self.referral(referral_id)
        if not referral.is_open:
            raise errors.ReferralAlreadyAnswered(
                "this referral already has a substantive response",
                field="referral_id",
            )
        return referral

    def _require_untriaged(self) -> None:
        if self.status != "submitted":
            raise errors.CaseAlreadyTriaged(
                f"the case is already {self.status}", field="status"
            )

    def _require_not_resolved(self) -> None:
        if self.status in RESOLVED_STATUSES:
            raise errors.CaseAlreadyResolved(
                "a resolved case takes only notes, publication and reopening",
                field="status",
            )

    def _require_open_for_advocacy(self) -> None:
        self._require_not_resolved()
        if self.status == "submitted":
            raise errors.CaseNotAccepted(
                "accept the case before advocating for it", field="status"
            )
        if self.status not in ACTIVE_STATUSES:
            raise errors.CaseNotOpenForAdvocacy(
                f"a {self.status} case takes no advocacy until it is reopened",
                field="status",
            )

    def _require_not_before_raised(self, day: date, field: str) -> None:
        if day < self.raised_on:
            raise errors.DateBeforeCaseRaised(
                f"{field} cannot be before the case was raised "
                f"({self.raised_on.isoformat()})",
                field=field,
            )

    def _require_not_before_referral(
        self, referral: Referral, day: date, field: str
    ) -> None:
        if day < referral.sent_on:
            raise errors.DateBeforeReferral(
                f"{field} cannot be before the referral was sent "
                f"({referral.sent_on.isoformat()})",
                field=field,
            )

    def _require_raised_on_before_everything(self, raised_on: date) -> None:
        if self.first_dated_on is not None and raised_on > self.first_dated_on:
            raise errors.DateOutOfOrder(
                "the case cannot be raised after what is already recorded "
                f"({self.first_dated_on.isoformat()})",
                field="raised_on",
            )
