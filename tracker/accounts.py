"""Accounts: creating them, granting roles, and checking passwords.

Passwords are hashed with argon2id (argon2-cffi). Only the hash is kept, in
the account's events; a sign-in re-hashes when the parameters were raised
since the hash was made. Every change of an account is saved together with
its audit entry (`tracker.audit`); ``address`` is the client's, when a
request made the change.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from uuid import UUID

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from eventsourcing.utils import get_topic

from domain.account import (
    DEFAULT_LANGUAGE,
    SECOND_FACTOR_ROLES,
    Account,
    valid_username,
)
from domain.audit import AuditEntry
from domain.errors import DomainError, InvalidValue
from tracker.audit import AuditCommands
from tracker.passwords import valid_password
from tracker.store import unavailable_store_reported
from tracker.views import TimelineEntry, timeline_entry


class AccountNotFound(DomainError):
    """No account has that username or id."""


class UsernameTaken(DomainError):
    """An account with that username exists already."""


@dataclass(frozen=True)
class AccountView:
    """An account as plain values, without its password hash."""

    account_id: UUID
    username: str
    role: str
    municipalities: tuple[str, ...]
    disabled: bool
    version: int
    second_factor: bool = False
    email: str = ""  # where its emails go; empty: none
    language: str = DEFAULT_LANGUAGE  # the language they are written in

    @property
    def needs_second_factor(self) -> bool:
        """Whether signing in takes a code: by role, or once one was set up."""
        return self.role in SECOND_FACTOR_ROLES or self.second_factor

    def sees(self, municipality: str) -> bool:
        """Whether this person may see a municipality's cases and meetings."""
        return not self.municipalities or municipality in self.municipalities


def account_view(account: Account) -> AccountView:
    """Freeze an account's state, leaving out the hash."""
    return AccountView(
        account_id=account.id,
        username=account.username,
        role=account.role,
        municipalities=tuple(account.municipalities),
        disabled=account.disabled,
        version=account.version,
        second_factor=account.sealed_second_factor is not None,
        email=account.email,
        language=account.language,
    )


class AccountCommands(AuditCommands):
    """Who may sign in, with which role, in which municipalities."""

    password_hasher: PasswordHasher

    def create_account(
        self,
        *,
        actor: str,
        username: str,
        password: str,
        role: str,
        municipalities: tuple[str, ...] | list[str] = (),
        email: str = "",
        language: str = DEFAULT_LANGUAGE,
        address: str | None = None,
    ) -> UUID:
        """Open an account (with an email address, if given); return its id."""
        username = valid_username(username)
        if self.exists(Account.create_id(username)):
            raise UsernameTaken(f"{username!r} is taken", field="username")
        account = Account.open(
            actor=actor,
            username=username,
            role=role,
            municipalities=municipalities,
            password_hash=self.password_hasher.hash(
                valid_password(password, related=(username,))
            ),
        )
        if email.strip() or language != DEFAULT_LANGUAGE:
            account.change_email(actor=actor, email=email, language=language)
        self.save_all(
            account, self._audited("account_created", account, actor, address)
        )
        return account.id

    def change_access(
        self,
        account_id: UUID,
        *,
        actor: str,
        role: str,
        municipalities: tuple[str, ...] | list[str],
        expected_version: int | None = None,
        address: str | None = None,
    ) -> int:
        """Grant another role or other municipalities; the grant is recorded."""

        def decide(account: Account) -> AuditEntry:
            account.change_access(actor=actor, role=role, municipalities=municipalities)
            return self._audited("access_changed", account, actor, address)

        return self.change(
            account_id, Account, AccountNotFound, decide, expected_version
        )

    def change_password(
        self, account_id: UUID, *, actor: str, password: str, address: str | None = None
    ) -> int:
        """Replace an account's password."""
        password_hash = self.password_hasher.hash(valid_password(password))

        def decide(account: Account) -> AuditEntry:
            account.change_password(actor=actor, password_hash=password_hash)
            return self._audited("password_changed", account, actor, address)

        return self.change(account_id, Account, AccountNotFound, decide)

    def disable_account(
        self, account_id: UUID, *, actor: str, reason: str, address: str | None = None
    ) -> int:
        """Stop an account from signing in."""

        def decide(account: Account) -> AuditEntry:
            account.disable(actor=actor, reason=reason)
            return self._audited(
                "account_disabled", account, actor, address, reason=reason.strip()
            )

        return self.change(account_id, Account, AccountNotFound, decide)

    def change_email(
        self,
        account_id: UUID,
        *,
        actor: str,
        email: str,
        language: str | None = None,
        address: str | None = None,
    ) -> int:
        """Send an account's emails elsewhere (empty: none), in another language."""

        def decide(account: Account) -> AuditEntry:
            account.change_email(actor=actor, email=email, language=language)
            return self._audited(
                "email_changed", account, actor, address,
                email=account.email or "none", language=account.language,
            )  # fmt: skip

        return self.change(account_id, Account, AccountNotFound, decide)

    def enable_account(
        self, account_id: UUID, *, actor: str, address: str | None = None
    ) -> int:
        """Let a disabled account sign in again."""

        def decide(account: Account) -> AuditEntry:
            account.enable(actor=actor)
            return self._audited("account_enabled", account, actor, address)

        return self.change(account_id, Account, AccountNotFound, decide)

    def enrol_second_factor(
        self,
        account_id: UUID,
        *,
        actor: str,
        sealed_secret: str,
        address: str | None = None,
    ) -> int:
        """Keep a confirmed second factor (its secret sealed by the caller)."""

        def decide(account: Account) -> AuditEntry:
            account.enrol_second_factor(actor=actor, sealed_secret=sealed_secret)
            return self._audited("second_factor_enrolled", account, actor, address)

        return self.change(account_id, Account, AccountNotFound, decide)

    def reset_second_factor(
        self, account_id: UUID, *, actor: str, address: str | None = None
    ) -> int:
        """Forget an account's second factor; its sessions end (a new version)."""

        def decide(account: Account) -> AuditEntry:
            account.reset_second_factor(actor=actor)
            return self._audited("second_factor_reset", account, actor, address)

        return self.change(account_id, Account, AccountNotFound, decide)

    def sealed_second_factor(self, account_id: UUID) -> str | None:
        """The sealed secret of an account's second factor, if it has one."""
        return self.load(account_id, Account, AccountNotFound).sealed_second_factor

    def _audited(
        self,
        kind: str,
        account: Account,
        actor: str,
        address: str | None,
        **more: str,
    ) -> AuditEntry:
        """The audit entry of a change to an account, with its access after it."""
        details = {
            "account": account.username,
            "role": account.role,
            "municipalities": ",".join(account.municipalities) or "all",
            **more,
        }
        return self.audit_entry(kind, actor=actor, details=details, address=address)

    def account(self, account: UUID | str) -> AccountView:
        """An account by id or username."""
        account_id = (
            account
            if isinstance(account, UUID)
            else Account.create_id(valid_username(account))
        )
        return account_view(self.load(account_id, Account, AccountNotFound))

    def account_history(self, account_id: UUID) -> list[TimelineEntry]:
        """Every event of an account in order: who created it, who granted what."""
        with unavailable_store_reported():
            events = list(self.events.get(account_id))
        entries = [timeline_entry(e) for e in events if isinstance(e, Account.Event)]
        for entry in entries:
            entry.details.pop("sealed_secret", None)  # sealed, but still not shown
        return entries

    def accounts(self) -> list[AccountView]:
        """Every account, by username."""
        ids = self.originators(get_topic(Account.Created))
        found = [self.account(account_id) for account_id in ids]
        return sorted(found, key=lambda a: a.username)

    def sign_in(self, username: str, password: str) -> AccountView | None:
        """The account if the password is right and it may sign in, else None."""
        try:
            account = self.load(
                Account.create_id(valid_username(username)), Account, AccountNotFound
            )
        except (AccountNotFound, InvalidValue):
            # Spend the same time as a wrong password: no username probing.
            self._verify(self._dummy_hash, password)
            return None
        if not self._verify(account.password_hash, password) or account.disabled:
            return None
        if self.password_hasher.check_needs_rehash(account.password_hash):
            account.change_password(
                actor=account.username,
                password_hash=self.password_hasher.hash(password),
            )
            self.save_all(account)
        return account_view(account)

    @cached_property
    def _dummy_hash(self) -> str:
        return self.password_hasher.hash("not the password of anybody")

    def _verify(self, password_hash: str, password: str) -> bool:
        try:
            return self.password_hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False
