"""Email: the SMTP settings from the environment, and sending through a real server.

The server is aiosmtpd's, on a free local port; `SmtpServer` is shared with
the reminders' tests.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from domain.errors import InvalidValue
from tracker.mail import MailNotSent, MailSettings, send_message

SENDER = "CFPI Tracker <tracker@cfpi.example.org>"
HOST = {"TRACKER_SMTP_HOST": "mail.cfpi.example.org", "TRACKER_SMTP_FROM": SENDER}


@dataclass
class Mailbox:
    """An SMTP handler keeping what it is sent (or refusing it, when told to)."""

    received: list[tuple[list[str], EmailMessage]] = field(default_factory=list)
    refusing: bool = False

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        """Keep the message, or refuse it."""
        if self.refusing:
            return "554 5.7.1 refused for the test"
        message = message_from_bytes(envelope.content, policy=default)
        assert isinstance(message, EmailMessage)
        self.received.append((list(envelope.rcpt_tos), message))
        return "250 OK"

    def to(self, address: str) -> list[str]:
        """The bodies of the emails sent to an address, in order."""
        return [str(m.get_content()) for rcpt, m in self.received if rcpt == [address]]


def free_port() -> int:
    """A local TCP port nobody listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class SmtpServer:
    """An SMTP server on a local port, its mailbox, and the settings reaching it."""

    mailbox: Mailbox
    mail: MailSettings
    controller: Controller | None = None
    options: dict[str, Any] = field(default_factory=dict)

    def start(self) -> None:
        """Listen (again) on the server's port."""
        self.controller = Controller(
            self.mailbox, hostname="127.0.0.1", port=self.mail.port, **self.options
        )
        self.controller.start()

    def stop(self) -> None:
        """Stop listening: connections are refused."""
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


def smtp_server(**options: Any) -> SmtpServer:
    """A started SMTP server (plain SMTP; aiosmtpd's options, if given)."""
    mail = MailSettings(
        host="127.0.0.1", port=free_port(), security="none", sender=SENDER
    )
    server = SmtpServer(Mailbox(), mail, options=options)
    server.start()
    return server


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    """A real SMTP server on a free local port, without sign-in."""
    server = smtp_server()
    yield server
    server.stop()


def _message(to: str = "drita@cfpi.example.org") -> EmailMessage:
    message = EmailMessage()
    message["To"] = to
    message["Subject"] = "Referrals to chase"
    message.set_content("STR-2025-001 is overdue.")
    return message


def test_without_a_host_nothing_can_be_sent() -> None:
    with pytest.raises(InvalidValue) as refused:
        MailSettings.from_environment({"TRACKER_SMTP_FROM": SENDER})
    assert refused.value.field == "TRACKER_SMTP_HOST"
    assert "TRACKER_SMTP_HOST is not set" in refused.value.message


@pytest.mark.parametrize(
    ("given", "security", "port"),
    [
        ({}, "none", 25),
        ({"TRACKER_SMTP_SECURITY": "starttls"}, "starttls", 587),
        ({"TRACKER_SMTP_SECURITY": "TLS"}, "tls", 465),
        ({"TRACKER_SMTP_USER": "tracker"}, "starttls", 587),
        ({"TRACKER_SMTP_SECURITY": "none", "TRACKER_SMTP_PORT": "2525"}, "none", 2525),
    ],
)
def test_the_port_follows_the_security_unless_given(
    given: dict[str, str], security: str, port: int
) -> None:
    settings = MailSettings.from_environment({**HOST, **given})
    assert (settings.security, settings.port) == (security, port)
    assert settings.sender == SENDER


@pytest.mark.parametrize(
    ("given", "field_named"),
    [
        ({"TRACKER_SMTP_PORT": "smtp"}, "TRACKER_SMTP_PORT"),
        ({"TRACKER_SMTP_PORT": "70000"}, "TRACKER_SMTP_PORT"),
        ({"TRACKER_SMTP_SECURITY": "ssl3"}, "TRACKER_SMTP_SECURITY"),
        ({"TRACKER_SMTP_FROM": ""}, "TRACKER_SMTP_FROM"),
        ({"TRACKER_SMTP_FROM": "the tracker"}, "TRACKER_SMTP_FROM"),
        ({"TRACKER_SMTP_PASSWORD": "secret"}, "TRACKER_SMTP_USER"),
    ],
)
def test_a_wrong_setting_is_refused_by_its_name(
    given: dict[str, str], field_named: str
) -> None:
    with pytest.raises(InvalidValue) as refused:
        MailSettings.from_environment({**HOST, **given})
    assert refused.value.field == field_named


def test_the_password_is_never_shown() -> None:
    settings = MailSettings.from_environment(
        {**HOST, "TRACKER_SMTP_USER": "tracker", "TRACKER_SMTP_PASSWORD": "s3cret"}
    )
    assert settings.password == "s3cret"
    assert "s3cret" not in repr(settings)


def test_a_message_goes_out_with_its_sender_date_and_id(smtp: SmtpServer) -> None:
    send_message(smtp.mail, _message())
    [(recipients, received)] = smtp.mailbox.received
    assert recipients == ["drita@cfpi.example.org"]
    assert received["From"] == SENDER
    assert received["Date"]
    assert str(received["Message-ID"]).endswith("@cfpi.example.org>")
    assert "STR-2025-001 is overdue." in str(received.get_content())


def _only_tracker(
    server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
) -> AuthResult:
    """Let in the user 'tracker' with the password 's3cret', nobody else."""
    known = isinstance(auth_data, LoginPassword) and (
        (auth_data.login, auth_data.password) == (b"tracker", b"s3cret")
    )
    return AuthResult(success=known, handled=False)


@pytest.mark.parametrize(("password", "sent"), [("s3cret", True), ("guess", False)])
def test_the_tracker_signs_in_when_a_user_is_set(password: str, sent: bool) -> None:
    server = smtp_server(authenticator=_only_tracker, auth_require_tls=False)
    try:
        mail = MailSettings(
            host="127.0.0.1", port=server.mail.port, security="none",
            sender=SENDER, user="tracker", password=password,
        )  # fmt: skip
        if sent:
            send_message(mail, _message())
        else:
            with pytest.raises(MailNotSent):
                send_message(mail, _message())
    finally:
        server.stop()
    assert len(server.mailbox.received) == (1 if sent else 0)


@pytest.mark.parametrize("security", ["starttls", "tls"])
def test_a_secured_connection_never_falls_back_to_plain_text(
    smtp: SmtpServer, security: str
) -> None:
    # This server speaks plain SMTP only: nothing may be sent to it.
    mail = MailSettings(
        host="127.0.0.1", port=smtp.mail.port, security=security, sender=SENDER
    )
    with pytest.raises(MailNotSent):
        send_message(mail, _message())
    assert smtp.mailbox.received == []


def test_a_server_nobody_runs_is_reported_as_not_sent() -> None:
    port = free_port()
    mail = MailSettings(host="127.0.0.1", port=port, security="none", sender=SENDER)
    with pytest.raises(MailNotSent) as failed:
        send_message(mail, _message())
    assert f"127.0.0.1:{port} did not take the message" in str(failed.value)
