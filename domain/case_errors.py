"""The named rules a case can refuse a command by (DESIGN.md §3 invariants)."""

from __future__ import annotations

from domain.errors import DomainError, InvalidValue


class CaseNotAccepted(DomainError):
    """Advocacy was attempted on a case that has not been accepted yet."""


class CaseNotOpenForAdvocacy(DomainError):
    """A declined or duplicate case takes no advocacy until it is reopened."""


class CaseAlreadyResolved(DomainError):
    """A resolved case takes nothing but notes, publication and reopening."""


class CaseAlreadyTriaged(DomainError):
    """Triage (accept, decline, mark duplicate) happens once, on a new case."""


class CaseNotClosed(DomainError):
    """Only a declined, duplicate or resolved case can be reopened."""


class CannotDuplicateItself(InvalidValue):
    """A case was marked as a duplicate of itself."""


class ReferralNotFound(DomainError):
    """The referral named is not one of this case's referrals."""


class ReferralAlreadyAnswered(DomainError):
    """The referral already has a substantive response: it is no longer open."""


class ResponseNotFound(DomainError):
    """The response named is not one of this case's responses."""


class NotACommitment(DomainError):
    """Only a response of kind 'commitment' can be verified as kept or broken."""


class DateOutOfOrder(InvalidValue):
    """A date lies before the thing it follows from."""


class DateBeforeCaseRaised(DateOutOfOrder):
    """Nothing on a case can be dated before the case was raised."""


class DateBeforeReferral(DateOutOfOrder):
    """Follow-ups, extensions and responses cannot predate their referral."""


class DateBeforeResponse(DateOutOfOrder):
    """A commitment cannot be verified before the response that made it."""


class DateBeforeResolution(DateOutOfOrder):
    """A case cannot be reopened before it was resolved."""


class DeadlineNotLater(InvalidValue):
    """An extension must move the due date later."""


class ExtensionTooLong(InvalidValue):
    """An extension goes beyond what the rule for the request allows."""


class NothingToAmend(InvalidValue):
    """An amendment changed no field."""


class SameLanguageAsOriginal(InvalidValue):
    """A translation must be into another language than the original text."""


class CaseNotPublished(DomainError):
    """Only a published case can be unpublished."""


class PersonNotOnCase(InvalidValue):
    """Only a person whose data the case holds can be erased from it."""


class PersonalDataAlreadyErased(DomainError):
    """A person's data is erased once; the history keeps that one record."""
