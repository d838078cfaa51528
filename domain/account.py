"""A person's account: their role, the municipalities they work in, sign-in.

Accounts are event streams like cases, so who created an account and who
granted which role is on the record. The password arrives here already
hashed: hashing is I/O-free but slow and configurable, so the application
does it.
"""

from __future__ import annotations

import re
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.errors import DomainError, InvalidValue, require_choice
from domain.reference import municipality

# What each role is for (DESIGN §1); what each may do is decided in `web`.
ROLES: tuple[str, ...] = ("admin", "coordinator", "advocate", "secretary", "viewer")
# A secretary works in named municipalities; other roles may see them all.
LIMITED_ROLES: tuple[str, ...] = ("secretary",)
# Roles that sign in with a second factor (a code from an authenticator app)
# besides the password: they hand out accounts, publication and exports.
SECOND_FACTOR_ROLES: tuple[str, ...] = ("admin", "coordinator")

# The languages an account's emails can be written in: the interface's own
# (web.i18n.LANGUAGES, as Babel names them); Albanian unless chosen.
LANGUAGES: tuple[str, ...] = ("sq", "sr_Latn", "sr_Cyrl", "en")
DEFAULT_LANGUAGE = "sq"

_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")
# A plausible address, not a proof that it works: ASCII only, a dot-separated
# local part and a domain with at least two labels (RFC 5321's lengths).
_LOCAL_PART = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
_DOMAIN_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_EMAIL = re.compile(
    rf"(?=.{{3,254}}\Z)(?=[^@]{{1,64}}@){_LOCAL_PART}@{_DOMAIN_LABEL}"
    rf"(?:\.{_DOMAIN_LABEL})*\.[A-Za-z]{{2,63}}"
)


class AccountDisabled(DomainError):
    """A disabled account cannot sign in or act."""


class SecondFactorAlreadySet(DomainError):
    """The account has a second factor already; an admin resets it first."""


class NoSecondFactor(DomainError):
    """The account has no second factor to reset."""


class InvalidEmail(InvalidValue):
    """An email address that cannot be one (no @, spaces, no domain, ...)."""


def valid_username(username: str) -> str:
    """Lower-case letters, digits, dot, dash and underscore; 2 to 40 long."""
    name = username.strip().lower() if isinstance(username, str) else ""
    if not _USERNAME.match(name):
        raise InvalidValue(
            "a username is 2 to 40 lower-case letters, digits, '.', '-' or '_'",
            field="username",
        )
    return name


def valid_access(
    role: str, municipalities: tuple[str, ...] | list[str]
) -> tuple[str, tuple[str, ...]]:
    """A known role, and known municipalities (at least one for a secretary)."""
    require_choice(role, ROLES, "role")
    codes = tuple(sorted({municipality(code).code for code in municipalities}))
    if role in LIMITED_ROLES and not codes:
        raise InvalidValue(
            f"a {role} works in at least one municipality", field="municipalities"
        )
    return role, codes


def valid_email(email: str) -> str:
    """A plausible email address, stripped; empty text means none."""
    address = email.strip() if isinstance(email, str) else None
    if address is None or (address and not _EMAIL.fullmatch(address)):
        raise InvalidEmail(
            "an email address is like name@example.org (or empty, for none)",
            field="email",
        )
    return address


class Account(Aggregate):
    """Someone who signs in, with one role and the municipalities they work in."""

    class Event(Aggregate.Event):
        """Every account event says who did it (an admin, or the command line)."""

        actor: str

    class Created(Event, Aggregate.Created):
        username: str
        role: str
        municipalities: tuple[str, ...]
        password_hash: str

    class AccessChanged(Event):
        role: str
        municipalities: tuple[str, ...]

    class PasswordChanged(Event):
        password_hash: str

    class Disabled(Event):
        reason: str

    class Enabled(Event):
        pass

    class SecondFactorEnrolled(Event):
        """The TOTP secret, sealed with the server's key (never in plaintext)."""

        sealed_secret: str

    class SecondFactorReset(Event):
        pass

    class EmailChanged(Event):
        """Where the account's emails go (empty: none), and in which language."""

        email: str
        language: str

    @staticmethod
    def create_id(username: str) -> UUID:
        """One account per username, with a predictable id."""
        return uuid5(NAMESPACE_URL, f"cfpi-tracker:account:{username}")

    @classmethod
    def open(
        cls,
        *,
        actor: str,
        username: str,
        role: str,
        municipalities: tuple[str, ...] | list[str],
        password_hash: str,
    ) -> Account:
        """Decide on a new account: a valid name, role and municipalities."""
        username = valid_username(username)
        role, codes = valid_access(role, municipalities)
        return cls._create(
            cls.Created,
            id=cls.create_id(username),
            actor=actor,
            username=username,
            role=role,
            municipalities=codes,
            password_hash=password_hash,
        )

    @event(Created)
    def __init__(
        self,
        *,
        actor: str,
        username: str,
        role: str,
        municipalities: tuple[str, ...],
        password_hash: str,
    ) -> None:
        self.username = username
        self.role = role
        self.municipalities = tuple(municipalities)
        self.password_hash = password_hash
        self.disabled = False
        self.sealed_second_factor: str | None = None
        self.email = ""
        self.language = DEFAULT_LANGUAGE

    def change_access(
        self, *, actor: str, role: str, municipalities: tuple[str, ...] | list[str]
    ) -> None:
        """Give the account another role or other municipalities."""
        role, codes = valid_access(role, municipalities)
        if (role, codes) == (self.role, self.municipalities):
            raise InvalidValue(
                "the role and municipalities are unchanged", field="role"
            )
        self._access_changed(actor=actor, role=role, municipalities=codes)

    @event(AccessChanged)
    def _access_changed(
        self, *, actor: str, role: str, municipalities: tuple[str, ...]
    ) -> None:
        self.role = role
        self.municipalities = tuple(municipalities)

    def change_password(self, *, actor: str, password_hash: str) -> None:
        """Keep a new password hash."""
        self._password_changed(actor=actor, password_hash=password_hash)

    @event(PasswordChanged)
    def _password_changed(self, *, actor: str, password_hash: str) -> None:
        self.password_hash = password_hash

    def disable(self, *, actor: str, reason: str) -> None:
        """Stop the account from signing in."""
        if self.disabled:
            raise AccountDisabled("the account is already disabled", field="status")
        if not reason.strip():
            raise InvalidValue("reason must not be empty", field="reason")
        self._disabled(actor=actor, reason=reason.strip())

    @event(Disabled)
    def _disabled(self, *, actor: str, reason: str) -> None:
        self.disabled = True

    def enable(self, *, actor: str) -> None:
        """Let a disabled account sign in again."""
        if not self.disabled:
            raise InvalidValue("the account is not disabled", field="status")
        self._enabled(actor=actor)

    @event(Enabled)
    def _enabled(self, *, actor: str) -> None:
        self.disabled = False

    @property
    def needs_second_factor(self) -> bool:
        """Whether signing in takes a code too: by role, or once one was set up."""
        return self.role in SECOND_FACTOR_ROLES or self.sealed_second_factor is not None

    def enrol_second_factor(self, *, actor: str, sealed_secret: str) -> None:
        """Keep a confirmed second factor's sealed secret."""
        if self.sealed_second_factor is not None:
            raise SecondFactorAlreadySet(
                "the account has a second factor already", field="code"
            )
        if not sealed_secret:
            raise InvalidValue("the sealed secret is empty", field="code")
        self._second_factor_enrolled(actor=actor, sealed_secret=sealed_secret)

    @event(SecondFactorEnrolled)
    def _second_factor_enrolled(self, *, actor: str, sealed_secret: str) -> None:
        self.sealed_second_factor = sealed_secret

    def reset_second_factor(self, *, actor: str) -> None:
        """Forget the second factor: the next sign-in sets up a new one."""
        if self.sealed_second_factor is None:
            raise NoSecondFactor("the account has no second factor", field="status")
        self._second_factor_reset(actor=actor)

    @event(SecondFactorReset)
    def _second_factor_reset(self, *, actor: str) -> None:
        self.sealed_second_factor = None

    def change_email(
        self, *, actor: str, email: str, language: str | None = None
    ) -> None:
        """Send the account's emails elsewhere (empty: none), in another language.

        Without a language, the emails stay in the one they are written in.
        """
        email = valid_email(email)
        language = require_choice(language or self.language, LANGUAGES, "language")
        if (email, language) == (self.email, self.language):
            raise InvalidValue(
                "the email address and language are unchanged", field="email"
            )
        self._email_changed(actor=actor, email=email, language=language)

    @event(EmailChanged)
    def _email_changed(self, *, actor: str, email: str, language: str) -> None:
        self.email = email
        self.language = language
