"""A refused command, told in the reader's language, next to its field.

The domain explains a refusal in English for logs and the API; a person on
the web reads one of these instead, chosen by the error's kind. A test
checks that every kind of domain error has one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from domain.errors import DomainError

# By the error's class name; the first class in the error's ancestry wins.
MESSAGES: dict[str, LazyString] = {
    "DomainError": _l("The case's current state does not allow this."),
    "InvalidValue": _l("This value is not accepted."),
    "NegativeCount": _l("A count cannot be negative."),
    "UnknownMunicipality": _l("Choose one of Kosovo's municipalities."),
    "DateInFuture": _l("This date is in the future."),
    "IncompletePeriod": _l("Give both days of the period."),
    "GuessablePassword": _l(
        "This password is too easy to guess: a common password, words or a "
        "pattern, or the username. A few unrelated words make a good one."
    ),
    "CaseNotAccepted": _l("Accept the case before advocating for it."),
    "CaseNotOpenForAdvocacy": _l(
        "A declined or duplicate case takes no advocacy until it is reopened."
    ),
    "CaseAlreadyResolved": _l(
        "A resolved case takes only notes, publication and reopening."
    ),
    "CaseAlreadyTriaged": _l("The case was accepted, declined or closed already."),
    "CaseNotClosed": _l("Only a closed case can be reopened."),
    "CannotDuplicateItself": _l("A case cannot duplicate itself."),
    "ReferralNotFound": _l("Choose one of this case's referrals."),
    "ReferralAlreadyAnswered": _l("This referral has a substantive answer already."),
    "ResponseNotFound": _l("Choose one of this case's responses."),
    "NotACommitment": _l("Only a commitment can be verified."),
    "DateOutOfOrder": _l("This date is before something already recorded."),
    "DateBeforeCaseRaised": _l("This date is before the case was raised."),
    "DateBeforeReferral": _l("This date is before the referral was sent."),
    "DateBeforeResponse": _l("This date is before the response was received."),
    "DateBeforeResolution": _l("This date is before the case was resolved."),
    "DeadlineNotLater": _l("The new due date must be later than the current one."),
    "ExtensionTooLong": _l("The law does not allow a deadline this far away."),
    "NothingToAmend": _l("Nothing was changed."),
    "SameLanguageAsOriginal": _l("The case is written in this language already."),
    "CaseNotPublished": _l("The case is not published."),
    "PersonNotFound": _l("No personal data of that person is recorded."),
    "BackupRefused": _l(
        "This backup cannot be made or restored as asked; nothing was changed."
    ),
    "InvalidEmail": _l(
        "Enter an email address like name@example.org, or leave the field "
        "empty for none."
    ),
    "BackupDamaged": _l("This backup is damaged; nothing was restored."),
    "MigrationRefused": _l("The records cannot be copied to that database."),
    "PersonNotOnCase": _l("This case holds no personal data of that person."),
    "PersonalDataAlreadyErased": _l("This person's data was erased already."),
    "CaseNotFound": _l("There is no such case."),
    "MeetingNotFound": _l("There is no such meeting."),
    "CaseAlreadyExists": _l("This case was submitted already."),
    "MeetingInOtherMunicipality": _l(
        "A case raised at a meeting belongs to the meeting's municipality and day."
    ),
    "ConcurrentChange": _l("Someone else changed this since you opened it."),
    "StoreUnavailable": _l("The records are busy or unreachable; try again shortly."),
    "StoreFull": _l(
        "The server's disk is full, so nothing was saved. Tell your "
        "administrator, and try again once space has been freed."
    ),
    "CaseAlreadyOnAgenda": _l("This case is on the meeting's agenda already."),
    "CaseFromOtherMunicipality": _l(
        "Only cases of the meeting's municipality can be on its agenda."
    ),
    "AccountDisabled": _l("The account is disabled."),
    "SecondFactorAlreadySet": _l(
        "The account has a second factor already; an admin can reset it."
    ),
    "NoSecondFactor": _l("The account has no second factor to reset."),
    "SecondFactorUnreadable": _l(
        "Your second factor cannot be checked on this server: ask an admin to "
        "reset it, then set it up again."
    ),
    "UnknownAuditKind": _l("This is not a kind of entry the audit log keeps."),
    "AccountNotFound": _l("There is no such account."),
    "UsernameTaken": _l("This username is taken."),
    "TokenNotFound": _l("There is no such token."),
    "TokenRevoked": _l("The token is revoked already."),
    "ImportRefused": _l("The file was not imported: correct the rows listed."),
}


T = TypeVar("T")


def by_kind(error: DomainError, table: Mapping[str, T]) -> T:
    """The table's entry for the error: its class's, else its nearest ancestor's.

    Every table has one for ``DomainError``, the ancestor of them all.
    """
    kind = next(k for k in type(error).__mro__ if k.__name__ in table)
    return table[kind.__name__]


def message_for(error: DomainError) -> str:
    """What to tell a person about a refused command, in their language."""
    return str(by_kind(error, MESSAGES))
