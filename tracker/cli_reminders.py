"""``tracker reminders send``: email each advocate the referrals to chase.

Run it as often as you like (from cron, say, every hour of working days):
each advocate gets one email a run with the referrals due within three
working days and the overdue ones (`projections.reminders`), and no
referral twice on the same day (`tracker.reminder_ledger`). A failed email
is tried again by the next run. The SMTP server is configured by the
environment (`tracker.mail`).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime

import click

from projections.reminders import REMINDED_ROLES, AdvocateReminder, reminders
from projections.views import Views, open_views
from tracker.accounts import AccountView
from tracker.application import CaseTracker, open_tracker
from tracker.cli_support import reported
from tracker.config import Settings
from tracker.mail import MailNotSent, MailSettings, send_message
from tracker.reminder_ledger import ReminderLedger, open_reminder_ledger


@dataclass(frozen=True)
class Reminded:
    """What one advocate was sent in a run, what was left out, and why not sent."""

    username: str
    email: str
    sent: tuple[str, ...] = ()  # case references in the email
    skipped: tuple[str, ...] = ()  # reminded of today already (or being sent)
    failure: str = ""  # why the email did not go out (its referrals wait)


@dataclass(frozen=True)
class ReminderRun:
    """Everything one run did: per advocate, and who could not be reminded."""

    reminded: tuple[Reminded, ...]
    without_email: tuple[str, ...]  # enabled advocates with no address

    @property
    def failed(self) -> bool:
        """Whether an email did not go out."""
        return any(r.failure for r in self.reminded)


def send_reminders(
    tracker: CaseTracker,
    views: Views,
    ledger: ReminderLedger,
    mail: MailSettings,
    *,
    today: date,
    base_url: str = "",
    clock: Callable[[], float] = time.time,
) -> ReminderRun:
    """Email every reminded advocate what they have to chase on `today`, once."""
    accounts = tracker.accounts()
    with views.reading() as c:
        due = reminders(c, accounts, today=today, holidays=tracker.holidays)
    run = _Run(ledger, mail, today, base_url, clock)
    return ReminderRun(
        reminded=tuple(run.remind(reminder) for reminder in due),
        without_email=tuple(a.username for a in accounts if _unreachable(a)),
    )


def _unreachable(account: AccountView) -> bool:
    """An enabled advocate who would be reminded, but has no address."""
    advocate = account.role in REMINDED_ROLES and not account.disabled
    return advocate and not account.email


@dataclass(frozen=True)
class _Run:
    """One run's ledger, server, day and links: what reminding one advocate needs."""

    ledger: ReminderLedger
    mail: MailSettings
    today: date
    base_url: str
    clock: Callable[[], float]

    def remind(self, reminder: AdvocateReminder) -> Reminded:
        """Claim the advocate's reminders not sent today, send them, record it."""
        from web.reminder_mail import reminder_message

        ids = [r.referral_id for r in reminder.referrals]
        claim = self.ledger.claim(reminder.username, ids, self.today, now=self.clock())
        claimed = set(claim.referral_ids)
        fresh = tuple(r for r in reminder.referrals if r.referral_id in claimed)
        done = Reminded(
            reminder.username,
            reminder.email,
            skipped=tuple(
                r.reference for r in reminder.referrals if r.referral_id not in claimed
            ),
        )
        if not fresh:
            return done
        try:
            send_message(
                self.mail,
                reminder_message(
                    replace(reminder, referrals=fresh),
                    today=self.today,
                    base_url=self.base_url,
                ),
            )
        except MailNotSent as error:
            self.ledger.release(claim)
            return replace(done, failure=str(error))
        except BaseException:
            self.ledger.release(claim)
            raise
        self.ledger.mark_sent(claim, now=self.clock())
        return replace(done, sent=tuple(r.reference for r in fresh))


@click.group("reminders")
def reminders_group() -> None:
    """Deadline reminders by email (SMTP: the TRACKER_SMTP_* variables)."""


@reminders_group.command("send")
@click.option(
    "--on",
    "day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Judge deadlines as of this day (default: today).",
)
@click.option(
    "--base-url",
    envvar="TRACKER_BASE_URL",
    default="",
    help="Where the tracker is served (https://…), to make the case links whole.",
)
@reported
def reminders_send(day: datetime | None, base_url: str) -> None:
    """Email each advocate the referrals due within 3 working days and overdue ones.

    Once per referral and day, however often it runs.
    """
    mail = MailSettings.from_environment()  # before anything is claimed
    settings = Settings.from_environment()
    tracker = open_tracker(settings)
    views = open_views(tracker, settings)
    ledger = open_reminder_ledger(settings)
    try:
        today = day.date() if day else tracker.clock()
        run = send_reminders(
            tracker, views, ledger, mail, today=today, base_url=base_url
        )
    finally:
        ledger.close()
        views.close()
        tracker.close()
    _tell(run, today)
    if run.failed:
        sys.exit(1)


def _tell(run: ReminderRun, today: date) -> None:
    """One line per advocate on standard output; problems and a count on stderr."""
    for r in run.reminded:
        if r.sent:
            click.echo(f"sent to {r.username} <{r.email}>: {', '.join(r.sent)}")
        if r.skipped:
            click.echo(
                f"skipped for {r.username} (reminded on {today} already): "
                f"{', '.join(r.skipped)}"
            )
        if r.failure:
            click.echo(
                f"error: not sent to {r.username}, the next run tries again: "
                f"{r.failure}",
                err=True,
            )
    for username in run.without_email:
        click.echo(f"not reminded: {username} has no email address", err=True)
    emails = sum(1 for r in run.reminded if r.sent)
    failed = sum(1 for r in run.reminded if r.failure)
    skipped = sum(len(r.skipped) for r in run.reminded)
    click.echo(
        f"Reminders of {today}: emails sent: {emails}, not sent: {failed}, "
        f"referrals skipped (reminded already): {skipped}.",
        err=True,
    )
