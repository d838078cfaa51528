"""Sending email: the SMTP server the environment names, and one message at a time.

``TRACKER_SMTP_HOST`` (required to send anything) and ``TRACKER_SMTP_PORT``;
``TRACKER_SMTP_SECURITY`` is ``none`` (plain SMTP, port 25), ``starttls``
(upgraded after connecting, port 587) or ``tls`` (TLS from the start, port
465), and ``starttls`` by default when a user is given, else ``none``;
``TRACKER_SMTP_USER`` and ``TRACKER_SMTP_PASSWORD`` sign in, when the server
asks for it; ``TRACKER_SMTP_FROM`` is the sender (``CFPI Tracker
<tracker@example.org>``). TLS checks the server's certificate against the
system's authorities.
"""

from __future__ import annotations

import os
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr

from domain.account import valid_email
from domain.errors import InvalidValue

SECURITIES: tuple[str, ...] = ("none", "starttls", "tls")
DEFAULT_PORTS: Mapping[str, int] = {"none": 25, "starttls": 587, "tls": 465}
# Seconds to wait for the server before giving up (a run must not hang).
TIMEOUT_SECONDS = 30


class MailNotSent(Exception):
    """The SMTP server could not be reached, or refused the message."""


@dataclass(frozen=True)
class MailSettings:
    """How to reach the SMTP server, and whom mail comes from."""

    host: str
    port: int
    security: str
    sender: str
    user: str = ""
    password: str = ""

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> MailSettings:
        """Read ``TRACKER_SMTP_*``; raise `InvalidValue` naming the wrong one."""
        environ = os.environ if environ is None else environ
        host = environ.get("TRACKER_SMTP_HOST", "").strip()
        if not host:
            raise InvalidValue(
                "TRACKER_SMTP_HOST is not set: name the SMTP server that sends "
                "the tracker's email",
                field="TRACKER_SMTP_HOST",
            )
        user = environ.get("TRACKER_SMTP_USER", "").strip()
        password = environ.get("TRACKER_SMTP_PASSWORD", "")
        if password and not user:
            raise InvalidValue(
                "TRACKER_SMTP_PASSWORD is set without TRACKER_SMTP_USER",
                field="TRACKER_SMTP_USER",
            )
        security = _security(environ.get("TRACKER_SMTP_SECURITY"), signs_in=bool(user))
        return cls(
            host=host,
            port=_port(environ.get("TRACKER_SMTP_PORT"), DEFAULT_PORTS[security]),
            security=security,
            sender=_sender(environ.get("TRACKER_SMTP_FROM", "")),
            user=user,
            password=password,
        )

    def __repr__(self) -> str:
        # Never the password, in a log or a traceback.
        return (
            f"MailSettings(host={self.host!r}, port={self.port}, "
            f"security={self.security!r}, sender={self.sender!r}, user={self.user!r})"
        )


def _security(text: str | None, *, signs_in: bool) -> str:
    security = (text or "").strip().lower() or ("starttls" if signs_in else "none")
    if security not in SECURITIES:
        raise InvalidValue(
            f"TRACKER_SMTP_SECURITY must be one of: {', '.join(SECURITIES)} "
            f"(got {text!r})",
            field="TRACKER_SMTP_SECURITY",
        )
    return security


def _port(text: str | None, default: int) -> int:
    if not text or not text.strip():
        return default
    if not text.strip().isdigit() or not 1 <= int(text) <= 65535:
        raise InvalidValue(
            "TRACKER_SMTP_PORT must be a port number, 1 to 65535",
            field="TRACKER_SMTP_PORT",
        )
    return int(text)


def _sender(text: str) -> str:
    """The sender as given (a bare address, or a name and an address)."""
    name, address = parseaddr(text.strip())
    try:
        plausible = bool(address) and valid_email(address) == address
    except InvalidValue:
        plausible = False
    if not plausible:
        raise InvalidValue(
            "TRACKER_SMTP_FROM must be the sender's address, like "
            "tracker@example.org or 'CFPI Tracker <tracker@example.org>'",
            field="TRACKER_SMTP_FROM",
        )
    return str(Address(display_name=name, addr_spec=address))


def send_message(settings: MailSettings, message: EmailMessage) -> None:
    """Hand one message to the SMTP server; raise `MailNotSent` if it is not taken."""
    _stamp(message, settings.sender)
    try:
        with _connected(settings) as server:
            if settings.user:
                server.login(settings.user, settings.password)
            server.send_message(message)
    except (smtplib.SMTPException, OSError) as error:
        raise MailNotSent(
            f"{settings.host}:{settings.port} did not take the message ({error})"
        ) from error


def _stamp(message: EmailMessage, sender: str) -> None:
    """The headers every message carries: sender, date and a unique id."""
    if "From" not in message:
        message["From"] = sender
    if "Date" not in message:
        message["Date"] = formatdate(localtime=True)
    if "Message-ID" not in message:
        domain = parseaddr(sender)[1].rpartition("@")[2]
        message["Message-ID"] = make_msgid(domain=domain)


def _connected(settings: MailSettings) -> smtplib.SMTP:
    """A connection to the server, secured as the settings say."""
    if settings.security == "tls":
        return smtplib.SMTP_SSL(
            settings.host,
            settings.port,
            timeout=TIMEOUT_SECONDS,
            context=ssl.create_default_context(),
        )
    server = smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT_SECONDS)
    if settings.security == "starttls":
        try:
            server.starttls(context=ssl.create_default_context())
        except BaseException:
            server.close()
            raise
    return server
