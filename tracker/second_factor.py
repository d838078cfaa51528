"""The second factor: TOTP codes (RFC 6238, pyotp) and their sealed secrets.

A secret is a credential, so the event store never holds it in plaintext:
it is sealed with AES-GCM under a server key kept in a file of its own
(``TRACKER_HOME/keys/second-factor.key``, made with mode 0600 on first use),
apart from the store and its backups. The account's id is the associated
data, so a sealed secret copied onto another account does not open; a copy
of the event store alone lets nobody make codes. Losing the key file means
every second factor must be reset (``tracker users reset-second-factor``).

A code is accepted for its own 30-second step or the one before or after
(clocks drift, people type slowly), and only once: the last step each
account used is kept (`UsedSteps`, shared by every process) and a code of
that step or an earlier one is refused, so a code seen over someone's
shoulder cannot be replayed.
"""

from __future__ import annotations

import base64
import hmac
import os
import re
import time
from collections.abc import Callable
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import Protocol
from uuid import UUID

import pyotp
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from domain.errors import DomainError
from tracker.accounts import AccountCommands, AccountView

KEY_BYTES = 32
NONCE_BYTES = 12
# The sealing's format, so that another can follow without confusion.
SEALED_PREFIX = "aesgcm1:"
ISSUER = "CFPI case tracker"
# Steps before and after the current one whose codes are still accepted.
WINDOW = 1
CODE = re.compile(r"^[0-9]{6}$")


class SecondFactorUnreadable(DomainError):
    """A sealed secret does not open with this server's key (lost or replaced)."""


class UsedSteps(Protocol):
    """Where each account's last used time step is kept, for every process."""

    def claim_step(self, account_id: UUID, step: int) -> bool:
        """Keep `step` as used if it is later than the last; whether it was."""
        ...


class SecondFactorKey:
    """The server's key that seals second-factor secrets, in a file of its own."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @cached_property
    def _cipher(self) -> AESGCM:
        return AESGCM(self._key())

    def _key(self) -> bytes:
        """Read the key, making it first if there is none (one process wins)."""
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        try:
            made = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(made, "w") as kept:
                kept.write(
                    base64.b64encode(AESGCM.generate_key(KEY_BYTES * 8)).decode()
                )
        for _ in range(50):
            text = self.path.read_text().strip()
            if text:
                return base64.b64decode(text)
            time.sleep(0.01)  # another process is still writing it
        raise RuntimeError(f"{self.path} is empty")

    def seal(self, secret: str, account_id: UUID) -> str:
        """The secret encrypted for this account, as text to record."""
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._cipher.encrypt(nonce, secret.encode(), account_id.bytes)
        return SEALED_PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode()

    def open(self, sealed: str, account_id: UUID) -> str:
        """The secret back from its sealed text, if this key sealed it for them."""
        try:
            raw = base64.urlsafe_b64decode(sealed.removeprefix(SEALED_PREFIX))
            opened = self._cipher.decrypt(
                raw[:NONCE_BYTES], raw[NONCE_BYTES:], account_id.bytes
            )
        except (InvalidTag, ValueError):
            raise SecondFactorUnreadable(
                "the second factor cannot be read with this server's key",
                field="code",
            ) from None
        return opened.decode()


def new_secret() -> str:
    """A fresh TOTP secret: 160 random bits in base32 (RFC 4226's advice)."""
    return pyotp.random_base32()


def provisioning_uri(secret: str, username: str) -> str:
    """The otpauth:// address an authenticator app takes the secret from."""
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)


def matching_step(secret: str, code: str, at: datetime) -> int | None:
    """The time step near `at` whose code this is, if any (±`WINDOW` steps)."""
    totp = pyotp.TOTP(secret)
    current = totp.timecode(at)
    found = None
    # Every step is compared, in constant time, whichever matches.
    for step in range(current - WINDOW, current + WINDOW + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            found = step
    return found


class SecondFactors:
    """Setting up second factors and checking their codes."""

    def __init__(
        self,
        tracker: AccountCommands,
        key: SecondFactorKey,
        used: UsedSteps,
        now: Callable[[], datetime],
    ) -> None:
        self.tracker = tracker
        self.key = key
        self.used = used
        self.now = now

    def check(self, account: AccountView, code: str) -> bool:
        """Whether the code is the account's, for now, and not used before."""
        sealed = self.tracker.sealed_second_factor(account.account_id)
        if sealed is None:
            return False
        secret = self.key.open(sealed, account.account_id)
        return self._fresh(account.account_id, secret, code)

    def start_enrolment(self, account_id: UUID) -> str:
        """A new secret for an account, sealed, to keep until it is confirmed."""
        return self.key.seal(new_secret(), account_id)

    def secret(self, sealed: str, account_id: UUID) -> str:
        """A sealed secret opened, to show while it is being set up."""
        return self.key.open(sealed, account_id)

    def enrol(
        self,
        account: AccountView,
        sealed: str,
        code: str,
        *,
        address: str | None = None,
    ) -> bool:
        """Keep the new secret if the code proves the app has it; whether it did."""
        secret = self.key.open(sealed, account.account_id)
        if not self._fresh(account.account_id, secret, code):
            return False
        self.tracker.enrol_second_factor(
            account.account_id,
            actor=account.username,
            sealed_secret=sealed,
            address=address,
        )
        return True

    def _fresh(self, account_id: UUID, secret: str, code: str) -> bool:
        if not CODE.match(code):
            return False
        step = matching_step(secret, code, self.now())
        return step is not None and self.used.claim_step(account_id, step)
