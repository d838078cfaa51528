"""Bearer tokens for the API: issuing, revoking, and finding who holds one.

A token reads ``cfpi_<token id>_<secret>``. The id finds the token's stream
in one read; only the SHA-256 of the secret is kept, and the secret has 256
random bits, so a fast digest is enough (a password needs argon2 because
people choose guessable ones; nobody chooses these).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import date
from uuid import UUID, uuid4

from domain.api_token import ApiToken
from domain.audit import AuditEntry
from domain.errors import DomainError
from tracker.accounts import AccountCommands, AccountNotFound, AccountView

# How long a token lives unless asked otherwise.
DEFAULT_TOKEN_DAYS = 90

_TOKEN = re.compile(r"^cfpi_([0-9a-f]{32})_([A-Za-z0-9_-]{43})$")


class TokenNotFound(DomainError):
    """No token has that id (or it belongs to someone else)."""


@dataclass(frozen=True)
class IssuedToken:
    """A new token: the secret is shown this once and never again."""

    token_id: UUID
    token: str
    expires_on: date


@dataclass(frozen=True)
class TokenView:
    """A token as plain values, without its digest."""

    token_id: UUID
    username: str
    label: str
    expires_on: date
    revoked: bool


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _token_view(token: ApiToken) -> TokenView:
    return TokenView(
        token.id, token.username, token.label, token.expires_on, token.revoked
    )


class TokenCommands(AccountCommands):
    """Tokens that let a program act as a person, through the API."""

    def issue_token(
        self,
        account: UUID | str,
        *,
        actor: str,
        label: str = "",
        days: int = DEFAULT_TOKEN_DAYS,
        address: str | None = None,
    ) -> IssuedToken:
        """Make a token for an account that may sign in; return it once."""
        holder = self.account(account)
        if holder.disabled:
            raise AccountNotFound("the account is disabled", field="username")
        secret = secrets.token_urlsafe(32)
        token = ApiToken.issue(
            token_id=uuid4(),
            actor=actor,
            account_id=holder.account_id,
            username=holder.username,
            label=label,
            digest=_digest(secret),
            issued_on=self.clock(),
            days=days,
        )
        issued = self.audit_entry(
            "token_issued", actor=actor, address=address,
            details={"account": holder.username, "token": token.id.hex,
                     "label": token.label, "expires_on": token.expires_on.isoformat()},
        )  # fmt: skip
        self.save_all(token, issued)
        return IssuedToken(token.id, f"cfpi_{token.id.hex}_{secret}", token.expires_on)

    def revoke_token(
        self,
        token_id: UUID,
        *,
        actor: str,
        reason: str = "",
        holder: str | None = None,
        address: str | None = None,
    ) -> int:
        """Revoke a token (only the holder's own, when `holder` is given)."""

        def decide(token: ApiToken) -> AuditEntry:
            if holder is not None and token.username != holder:
                raise TokenNotFound(f"no token {token_id}", field="token")
            token.revoke(actor=actor, reason=reason)
            return self.audit_entry(
                "token_revoked", actor=actor, address=address,
                details={"account": token.username, "token": token.id.hex},
            )  # fmt: skip

        return self.change(token_id, ApiToken, TokenNotFound, decide)

    def tokens(self, account: UUID | str) -> list[TokenView]:
        """An account's tokens, the latest to expire first."""
        account_id = self.account(account).account_id
        mine = [
            _token_view(self.load(issued.originator_id, ApiToken, TokenNotFound))
            for issued in self.recorded(ApiToken.Issued)
            if issued.account_id == account_id
        ]
        return sorted(mine, key=lambda t: t.expires_on, reverse=True)

    def token_holder(self, presented: str) -> AccountView | None:
        """The account a presented token acts for, if it is valid today."""
        matched = _TOKEN.match(presented)
        if matched is None:
            return None
        try:
            token = self.load(UUID(matched[1]), ApiToken, TokenNotFound)
        except TokenNotFound:
            return None
        genuine = hmac.compare_digest(token.digest, _digest(matched[2]))
        if not genuine or not token.valid_on(self.clock()):
            return None
        try:
            holder = self.account(token.account_id)
        except AccountNotFound:
            return None
        return None if holder.disabled else holder
