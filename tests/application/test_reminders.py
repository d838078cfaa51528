"""Deadline reminders: each advocate emailed what to chase, once per referral a day.

Against a real SMTP server (aiosmtpd) on a free local port. 'Today' is
Thursday 2026-01-15: three working days on is Tuesday 20 January.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from click.testing import CliRunner

from projections.views import open_views
from tests.application.builders import submit
from tests.application.test_mail_settings import (
    SENDER,
    SmtpServer,
    free_port,
    smtp_server,
)
from tests.conftest import TODAY
from tracker.application import CaseTracker
from tracker.cli_reminders import ReminderRun, reminders_group, send_reminders
from tracker.config import Settings
from tracker.mail import MailSettings
from tracker.reminder_ledger import (
    LEDGER_FILENAME,
    STALE_CLAIM_SECONDS,
    Claim,
    ReminderLedger,
    open_reminder_ledger,
)

PASSWORD = "a long enough password"


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    """A real SMTP server on a free local port, without sign-in."""
    server = smtp_server()
    yield server
    server.stop()


@pytest.fixture
def ledger(settings: Settings) -> Iterator[ReminderLedger]:
    """The ledger of the reminders sent, beside the test's store."""
    found = open_reminder_ledger(settings)
    yield found
    found.close()


def advocate(tracker: CaseTracker, name: str, *, email: str = "", **more: Any) -> None:
    """An advocate's account (all municipalities unless given), in English."""
    tracker.create_account(
        actor="admin", username=name, password=PASSWORD,
        role=more.pop("role", "advocate"), email=email, language="en", **more,
    )  # fmt: skip


def referral(
    tracker: CaseTracker,
    sent_on: date,
    municipality: str = "STR",
    answer: tuple[date, str] | None = None,
) -> str:
    """A case referred for a general request (30 days) on a day; its reference.

    `answer`: the day and kind of a response to it.
    """
    case = submit(tracker, municipality=municipality)
    tracker.accept_case(case.case_id, actor="advocate", priority="high")
    made = tracker.refer_case(
        case.case_id, actor="advocate", institution_kind="mayor",
        institution_name="Office of the Mayor", request_kind="general_request",
        sent_on=sent_on,
    )  # fmt: skip
    if answer is not None:
        tracker.record_response(
            case.case_id, made.referral_id, actor="advocate", summary="answer",
            received_on=answer[0], kind=answer[1],
        )  # fmt: skip
    return case.reference


@pytest.fixture
def chased(tracker: CaseTracker) -> dict[str, str]:
    """Referrals in every standing against their deadline, by what they are."""
    return {
        "overdue": referral(tracker, date(2025, 12, 1)),  # due 31 Dec
        "due today": referral(tracker, date(2025, 12, 16)),  # due 15 Jan
        "due in 2": referral(tracker, date(2025, 12, 19), "GRA"),  # due Mon 19
        "due in 3": referral(tracker, date(2025, 12, 21)),  # due Tue 20
        "due in 4": referral(tracker, date(2025, 12, 22)),  # due Wed 21
        "answered": referral(
            tracker, date(2025, 12, 1), answer=(date(2026, 1, 10), "commitment")
        ),
        # Due 5 January (1, 2 and 7 January are holidays); not an answer.
        "acknowledged": referral(
            tracker, date(2025, 12, 2), answer=(date(2025, 12, 5), "acknowledgement")
        ),
    }


def run(
    tracker: CaseTracker,
    settings: Settings,
    ledger: ReminderLedger,
    mail: MailSettings,
    today: date = TODAY,
    clock: Callable[[], float] = time.time,
) -> ReminderRun:
    """One run of the reminders, as `tracker reminders send` makes it."""
    views = open_views(tracker, settings)
    try:
        return send_reminders(tracker, views, ledger, mail, today=today, clock=clock)
    finally:
        views.close()


def test_an_advocate_gets_one_email_with_the_overdue_and_the_soon_due_referrals(
    tracker: CaseTracker, settings: Settings, ledger: ReminderLedger,
    smtp: SmtpServer, chased: dict[str, str],
) -> None:  # fmt: skip
    advocate(tracker, "drita", email="drita@cfpi.example.org")
    done = run(tracker, settings, ledger, smtp.mail)
    [(recipients, message)] = smtp.mailbox.received
    assert recipients == ["drita@cfpi.example.org"]
    assert message["From"] == SENDER
    assert message["Subject"] == "CFPI tracker: 5 referrals to chase"
    body = str(message.get_content())
    overdue, due = body.split("Due within three working days")
    assert f"{chased['overdue']} · Office of the Mayor · Štrpce" in overdue
    assert "due Dec 31, 2025 · 15 days overdue" in overdue
    assert "due Jan 5, 2026 · 10 days overdue" in overdue  # an acknowledgement
    assert f"/cases/{chased['overdue']}" in overdue
    assert "due Jan 15, 2026 · due today" in due
    assert f"{chased['due in 2']} · Office of the Mayor · Gračanica" in due
    assert "due Jan 19, 2026 · 2 working days left" in due
    assert "due Jan 20, 2026 · 3 working days left" in due
    for left_out in ("due in 4", "answered"):
        assert chased[left_out] not in body
    (reminded,) = done.reminded
    assert sorted(reminded.sent) == sorted(
        chased[k] for k in ("overdue", "acknowledged", "due today", "due in 2",
                            "due in 3")
    )  # fmt: skip


def test_a_second_run_the_same_day_sends_nothing_and_the_next_day_sends_again(
    tracker: CaseTracker, settings: Settings, ledger: ReminderLedger,
    smtp: SmtpServer, chased: dict[str, str],
) -> None:  # fmt: skip
    advocate(tracker, "drita", email="drita@cfpi.example.org")
    run(tracker, settings, ledger, smtp.mail)
    again = run(tracker, settings, ledger, smtp.mail)
    assert len(smtp.mailbox.received) == 1
    (reminded,) = again.reminded
    assert (reminded.sent, len(reminded.skipped)) == ((), 5)
    run(tracker, settings, ledger, smtp.mail, TODAY + timedelta(days=1))
    assert len(smtp.mailbox.received) == 2
    friday = smtp.mailbox.to("drita@cfpi.example.org")[1]
    assert "due Jan 15, 2026 · 1 day overdue" in friday
    assert "due Jan 19, 2026 · 1 working day left" in friday
    assert chased["due in 4"] in friday  # three working days away now


@pytest.mark.parametrize("failure", ["server stopped", "message refused"])
def test_an_email_that_does_not_go_out_is_sent_by_the_next_run(
    tracker: CaseTracker, settings: Settings, ledger: ReminderLedger,
    smtp: SmtpServer, chased: dict[str, str], failure: str,
) -> None:  # fmt: skip
    advocate(tracker, "drita", email="drita@cfpi.example.org")
    if failure == "server stopped":
        smtp.stop()
    smtp.mailbox.refusing = True
    failed = run(tracker, settings, ledger, smtp.mail)
    assert failed.failed
    assert ledger.sent("drita", TODAY) == set()
    if failure == "server stopped":
        smtp.start()
    smtp.mailbox.refusing = False
    sent = run(tracker, settings, ledger, smtp.mail)
    assert not sent.failed
    assert len(sent.reminded[0].sent) == 5
    assert len(smtp.mailbox.received) == 1


def test_an_advocate_of_one_municipality_gets_only_its_referrals(
    tracker: CaseTracker, settings: Settings, ledger: ReminderLedger,
    smtp: SmtpServer, chased: dict[str, str],
) -> None:  # fmt: skip
    advocate(tracker, "drita", email="drita@cfpi.example.org")
    advocate(tracker, "milan", email="milan@cfpi.example.org", municipalities=["GRA"])
    run(tracker, settings, ledger, smtp.mail)
    (to_milan,) = smtp.mailbox.to("milan@cfpi.example.org")
    assert chased["due in 2"] in to_milan
    assert chased["overdue"] not in to_milan
    (to_drita,) = smtp.mailbox.to("drita@cfpi.example.org")
    assert chased["due in 2"] in to_drita
    assert chased["overdue"] in to_drita


def test_disabled_accounts_those_without_email_and_other_roles_get_nothing(
    tracker: CaseTracker, settings: Settings, ledger: ReminderLedger,
    smtp: SmtpServer, chased: dict[str, str],
) -> None:  # fmt: skip
    advocate(tracker, "drita", email="drita@cfpi.example.org")
    advocate(tracker, "arben")
    advocate(tracker, "vesna", email="vesna@cfpi.example.org")
    tracker.disable_account(
        tracker.account("vesna").account_id, actor="admin", reason="left the NGO"
    )
    advocate(tracker, "coord", email="coord@cfpi.example.org", role="coordinator")
    done = run(tracker, settings, ledger, smtp.mail)
    assert [rcpt for rcpt, _ in smtp.mailbox.received] == [["drita@cfpi.example.org"]]
    assert done.without_email == ("arben",)


def test_the_email_is_written_in_the_advocates_language(
    tracker: CaseTracker, settings: Settings, ledger: ReminderLedger,
    smtp: SmtpServer, chased: dict[str, str],
) -> None:  # fmt: skip
    advocate(tracker, "drita", email="drita@cfpi.example.org")
    tracker.change_email(
        tracker.account("drita").account_id, actor="admin",
        email="drita@cfpi.example.org", language="sr_Cyrl",
    )  # fmt: skip
    advocate(tracker, "arben", email="arben@cfpi.example.org")
    tracker.change_email(
        tracker.account("arben").account_id, actor="admin",
        email="arben@cfpi.example.org", language="sq",
    )  # fmt: skip
    run(tracker, settings, ledger, smtp.mail)
    (serbian,) = smtp.mailbox.to("drita@cfpi.example.org")
    # Official names and dates as each language writes them.
    assert "Штрпце" in serbian
    assert "15. јануар 2026." in serbian
    (albanian,) = smtp.mailbox.to("arben@cfpi.example.org")
    assert "Shtërpcë" in albanian
    assert "15 janar 2026" in albanian


def test_a_reminder_another_run_is_sending_is_not_sent_twice(
    tracker: CaseTracker, settings: Settings, ledger: ReminderLedger,
    smtp: SmtpServer, chased: dict[str, str],
) -> None:  # fmt: skip
    advocate(tracker, "drita", email="drita@cfpi.example.org")
    overdue = referral_id_of(tracker, settings, chased["overdue"])
    now = 1_800_000_000.0
    held = ledger.claim("drita", [overdue], TODAY, now=now)
    assert held.referral_ids == [overdue]
    done = run(tracker, settings, ledger, smtp.mail, clock=lambda: now + 1)
    assert done.reminded[0].skipped == (chased["overdue"],)
    assert chased["overdue"] not in smtp.mailbox.to("drita@cfpi.example.org")[0]
    # A claim left by a run that died is taken over once it is stale.
    later = now + STALE_CLAIM_SECONDS + 1
    assert ledger.claim("drita", [overdue], TODAY, now=later).referral_ids == [overdue]


def test_two_runs_claiming_at_once_never_share_a_reminder(
    settings: Settings,
) -> None:
    referral_ids = [f"referral-{n}" for n in range(40)]
    together = threading.Barrier(2)
    claims: list[Claim] = []

    def claim() -> None:  # as another process would, with a ledger of its own
        ledger = open_reminder_ledger(settings)
        together.wait(timeout=30)
        claims.append(ledger.claim("drita", referral_ids, TODAY, now=time.time()))
        ledger.close()

    runs = [threading.Thread(target=claim, daemon=True) for _ in range(2)]
    for thread in runs:
        thread.start()
    for thread in runs:
        thread.join(timeout=60)
    first, second = (set(c.referral_ids) for c in claims)
    assert (first | second, first & second) == (set(referral_ids), set())


def test_a_released_reminder_is_claimed_again_and_a_sent_one_never(
    ledger: ReminderLedger,
) -> None:
    claim = ledger.claim("drita", ["r1", "r2"], TODAY, now=time.time())
    ledger.release(claim)
    again = ledger.claim("drita", ["r1", "r2"], TODAY, now=time.time())
    assert again.referral_ids == ["r1", "r2"]
    ledger.mark_sent(again, now=time.time())
    assert ledger.sent("drita", TODAY) == {"r1", "r2"}
    later = time.time() + STALE_CLAIM_SECONDS + 1
    assert ledger.claim("drita", ["r1", "r2"], TODAY, now=later).referral_ids == []
    tomorrow = TODAY + timedelta(days=1)
    assert ledger.claim("drita", ["r1"], tomorrow, now=later).referral_ids == ["r1"]


def referral_id_of(tracker: CaseTracker, settings: Settings, reference: str) -> str:
    """The id (hex) of the referral of a case, as the ledger keeps it."""
    views = open_views(tracker, settings)
    with views.reading() as c:
        c.execute("SELECT referral_id FROM referrals WHERE reference = ?", (reference,))
        found = str(c.fetchone()[0])
    views.close()
    return found


def command_environment(
    settings: Settings, smtp_port: int | None, **more: str
) -> dict[str, str | None]:
    """The environment of ``tracker reminders send`` on the test's store."""
    return {
        "TRACKER_HOME": str(settings.home),
        "TRACKER_DB": settings.database_url or "",
        "TRACKER_SMTP_HOST": "127.0.0.1" if smtp_port else None,
        "TRACKER_SMTP_PORT": str(smtp_port) if smtp_port else None,
        "TRACKER_SMTP_FROM": SENDER,
        **more,
    }


def test_the_command_sends_once_a_day_and_says_what_it_sent_and_skipped(
    tracker: CaseTracker, settings: Settings, smtp: SmtpServer,
    chased: dict[str, str],
) -> None:  # fmt: skip
    advocate(tracker, "drita", email="drita@cfpi.example.org")
    advocate(tracker, "arben")
    env = command_environment(
        settings, smtp.mail.port, TRACKER_BASE_URL="https://tracker.cfpi.example.org/"
    )
    runner = CliRunner()
    first = runner.invoke(reminders_group, ["send", "--on", "2026-01-15"], env=env)
    assert first.exit_code == 0, first.output
    assert f"sent to drita <drita@cfpi.example.org>: {chased['overdue']}" in (
        first.output
    )
    assert "not reminded: arben has no email address" in first.output
    (body,) = smtp.mailbox.to("drita@cfpi.example.org")
    assert f"https://tracker.cfpi.example.org/cases/{chased['overdue']}" in body
    second = runner.invoke(reminders_group, ["send", "--on", "2026-01-15"], env=env)
    assert second.exit_code == 0, second.output
    assert "skipped for drita (reminded on 2026-01-15 already)" in second.output
    assert "emails sent: 0, not sent: 0, referrals skipped" in second.output
    assert "(reminded already): 5." in second.output
    assert len(smtp.mailbox.received) == 1


def test_the_command_without_an_smtp_host_says_so_and_records_nothing(
    tracker: CaseTracker, settings: Settings, chased: dict[str, str]
) -> None:
    advocate(tracker, "drita", email="drita@cfpi.example.org")
    env = command_environment(settings, smtp_port=None)
    refused = CliRunner().invoke(reminders_group, ["send"], env=env)
    assert refused.exit_code == 1
    assert "error (TRACKER_SMTP_HOST): TRACKER_SMTP_HOST is not set" in refused.output
    assert not (settings.home / LEDGER_FILENAME).exists()  # not even opened
    ledger = open_reminder_ledger(settings)
    assert ledger.sent("drita", TODAY) == set()
    ledger.close()


def test_the_command_fails_when_an_email_does_not_go_out(
    tracker: CaseTracker, settings: Settings, chased: dict[str, str]
) -> None:
    advocate(tracker, "drita", email="drita@cfpi.example.org")
    env = command_environment(settings, free_port())  # nobody listens there
    failed = CliRunner().invoke(
        reminders_group, ["send", "--on", "2026-01-15"], env=env
    )
    assert failed.exit_code == 1
    assert "error: not sent to drita, the next run tries again" in failed.output
    assert "emails sent: 0, not sent: 1," in failed.output
