"""The email reminding an advocate of the referrals to chase, in their language.

Its words come from the interface's catalogs (web/translations), so they are
translated with the rest of the interface; English has no catalog and reads
the messages as written. Plain text: it reads the same in every mail program.
"""

from __future__ import annotations

from datetime import date
from email.message import EmailMessage
from functools import lru_cache
from gettext import NullTranslations
from pathlib import Path
from urllib.parse import quote

from babel.dates import format_date
from babel.support import Translations

from domain.reference import municipality
from projections.reminders import AdvocateReminder, ReferralReminder
from web.cases import cases

TRANSLATIONS = Path(__file__).parent / "translations"


@lru_cache(maxsize=8)
def translations(language: str) -> NullTranslations:
    """The catalog of a language (none for English: the messages are English)."""
    return Translations.load(dirname=str(TRANSLATIONS), locales=[language])


def case_path(reference: str) -> str:
    """The path of a case's page on the web interface."""
    return f"{cases.url_prefix}/{quote(reference, safe='')}"


def reminder_message(
    reminder: AdvocateReminder, *, today: date, base_url: str = ""
) -> EmailMessage:
    """The email to one advocate: every referral they are reminded of today."""
    t = translations(reminder.language)
    count = len(reminder.referrals)
    message = EmailMessage()
    message["To"] = reminder.email
    message["Subject"] = t.ngettext(
        "CFPI tracker: %(num)d referral to chase",
        "CFPI tracker: %(num)d referrals to chase",
        count,
    ) % {"num": count}
    message.set_content(_body(reminder, today, base_url.rstrip("/")))
    return message


def _body(reminder: AdvocateReminder, today: date, base_url: str) -> str:
    t, language = translations(reminder.language), reminder.language
    lines = [
        t.gettext("Hello %(name)s,") % {"name": reminder.username},
        "",
        t.gettext(
            "These referrals have no substantive answer from the institution "
            "as of %(day)s."
        )
        % {"day": format_date(today, "long", locale=language)},
    ]
    sections = (
        (t.gettext("Overdue"), reminder.overdue),
        (t.gettext("Due within three working days"), reminder.due),
    )
    for title, referrals in sections:
        if referrals:
            lines += ["", title, ""]
            for referral in referrals:
                lines += _referral_lines(referral, today, language, base_url)
    lines += [
        "",
        t.gettext(
            "You get this email because your account in the CFPI case tracker "
            "has this address; each referral is in it at most once a day."
        ),
    ]
    return "\n".join(lines) + "\n"


def _referral_lines(
    referral: ReferralReminder, today: date, language: str, base_url: str
) -> list[str]:
    t = translations(language)
    due = format_date(referral.due_on, "medium", locale=language)
    return [
        f"- {referral.reference} · {referral.institution_name} · "
        f"{municipality(referral.municipality).name(language)}",
        "  " + t.gettext("due %(day)s") % {"day": due} + " · "
        f"{_standing(referral, today, language)}",
        f"  {base_url}{case_path(referral.reference)}",
    ]


def _standing(referral: ReferralReminder, today: date, language: str) -> str:
    """How late a referral is, or how long is left."""
    t = translations(language)
    if referral.overdue:
        days = referral.days_overdue
        return t.ngettext("%(num)d day overdue", "%(num)d days overdue", days) % {
            "num": days
        }
    if referral.due_on == today:
        return t.gettext("due today")
    left = referral.working_days_left
    return t.ngettext("%(num)d working day left", "%(num)d working days left", left) % {
        "num": left
    }
