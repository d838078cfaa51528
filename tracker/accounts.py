"""Accounts: creating them, granting roles, and checking passwords.

Passwords are hashed with argon2id (argon2-cffi). Only the hash is kept, in
the account's events; a sign-in re-hashes when the parameters were raised
since the hash was made.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from uuid import UUID

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from eventsourcing.utils import get_topic

from domain.account import Account, valid_username
from domain.errors import DomainError, InvalidValue
from tracker.store import Store, unavailable_store_reported
from tracker.views import TimelineEntry, timeline_entry

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024
# A password must need at least 10**8 guesses by zxcvbn's estimate (its score
# 3 of 4): common passwords, words, names, dates, keyboard runs and the
# username itself are counted as the few guesses they are (OWASP ASVS 2.1.7).
MIN_GUESSES_LOG10 = 8
# zxcvbn's work grows fast with length; what follows this is not weighed.
WEIGHED_CHARACTERS = 100


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
    )


class GuessablePassword(InvalidValue):
    """A password found among common ones, or as easy to guess as one."""


def valid_password(password: str, *, related: tuple[str, ...] = ()) -> str:
    """A password long enough and hard enough to guess, and not absurdly long.

    ``related`` are words a guesser would try first (the username).
    """
    if not isinstance(password, str) or len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidValue(
            f"a password has at least {MIN_PASSWORD_LENGTH} characters",
            field="password",
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidValue("the password is too long", field="password")
    # Its word lists take 40 ms to load: only a process that sets a password
    # pays for them.
    from zxcvbn import zxcvbn

    weighed = zxcvbn(password[:WEIGHED_CHARACTERS], user_inputs=list(related))
    if weighed["guesses_log10"] < MIN_GUESSES_LOG10:
        raise GuessablePassword(
            "the password is too easy to guess: a common password, words or "
            "a pattern, or the username",
            field="password",
        )
    return password


class AccountCommands(Store):
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
    ) -> UUID:
        """Open an account; return its id."""
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
        self.save_all(account)
        return account.id

    def change_access(
        self,
        account_id: UUID,
        *,
        actor: str,
        role: str,
        municipalities: tuple[str, ...] | list[str],
        expected_version: int | None = None,
    ) -> int:
        """Grant another role or other municipalities; the grant is recorded."""
        return self.change(
            account_id,
            Account,
            AccountNotFound,
            lambda a: a.change_access(
                actor=actor, role=role, municipalities=municipalities
            ),
            expected_version,
        )

    def change_password(self, account_id: UUID, *, actor: str, password: str) -> int:
        """Replace an account's password."""
        password_hash = self.password_hasher.hash(valid_password(password))
        return self.change(
            account_id,
            Account,
            AccountNotFound,
            lambda a: a.change_password(actor=actor, password_hash=password_hash),
        )

    def disable_account(self, account_id: UUID, *, actor: str, reason: str) -> int:
        """Stop an account from signing in."""
        return self.change(
            account_id,
            Account,
            AccountNotFound,
            lambda a: a.disable(actor=actor, reason=reason),
        )

    def enable_account(self, account_id: UUID, *, actor: str) -> int:
        """Let a disabled account sign in again."""
        return self.change(
            account_id, Account, AccountNotFound, lambda a: a.enable(actor=actor)
        )

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
        return [timeline_entry(e) for e in events if isinstance(e, Account.Event)]

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
