"""``tracker users``: accounts for the people who sign in."""

from __future__ import annotations

import sys
from uuid import UUID

import click

from domain.account import DEFAULT_LANGUAGE, LANGUAGES, ROLES
from tracker.api_tokens import DEFAULT_TOKEN_DAYS
from tracker.cli_support import command_actor, command_tracker, reported
from tracker.config import Settings
from tracker.session_store import open_session_store


@click.group()
def users() -> None:
    """Accounts: create and list them, their tokens, sessions and second factor."""


@users.command("create")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option(
    "--municipality",
    "municipalities",
    multiple=True,
    help="A municipality code the account works in (repeat for more).",
)
@click.option("--email", default="", help="Where deadline reminders go.")
@click.option(
    "--language",
    type=click.Choice(LANGUAGES),
    default=DEFAULT_LANGUAGE,
    show_default=True,
    help="The language of the account's emails.",
)
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from the first line of standard input.",
)
@reported
def users_create(
    name: str,
    role: str,
    municipalities: tuple[str, ...],
    email: str,
    language: str,
    password_stdin: bool,
) -> None:
    """Create an account NAME with a role (the password is asked for)."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt(
            "Password", hide_input=True, confirmation_prompt=True, err=True
        )
    tracker = command_tracker()
    tracker.create_account(
        actor=command_actor(),
        username=name,
        password=password,
        role=role,
        municipalities=[code.upper() for code in municipalities],
        email=email,
        language=language,
    )
    account = tracker.account(name)
    where = ", ".join(account.municipalities) or "all municipalities"
    click.echo(f"Account {account.username} created: {account.role}, {where}.")


@users.command("list")
@reported
def users_list() -> None:
    """One line per account: name, role, municipalities, and whether disabled."""
    for account in command_tracker().accounts():
        where = ",".join(account.municipalities) or "*"
        state = " (disabled)" if account.disabled else ""
        email = f"  {account.email}" if account.email else ""
        click.echo(f"{account.username:<24} {account.role:<12} {where}{state}{email}")


@users.command("set-email")
@click.argument("name")
@click.argument("email")
@click.option(
    "--language",
    type=click.Choice(LANGUAGES),
    help="The language of the account's emails (unchanged if not given).",
)
@reported
def users_set_email(name: str, email: str, language: str | None) -> None:
    """Send NAME's deadline reminders to EMAIL ("" for none)."""
    tracker = command_tracker()
    account = tracker.account(name)
    tracker.change_email(
        account.account_id, actor=command_actor(), email=email, language=language
    )
    changed = tracker.account(account.account_id)
    where = changed.email or "no address"
    click.echo(f"Emails of {changed.username}: {where}, in {changed.language}.")


@users.command("token")
@click.argument("name")
@click.option("--label", default="", help="What the token is for (shown in lists).")
@click.option(
    "--days", default=DEFAULT_TOKEN_DAYS, show_default=True, help="How long it lives."
)
@reported
def users_token(name: str, label: str, days: int) -> None:
    """Print a new API token for NAME (only the token, on standard output)."""
    issued = command_tracker().issue_token(
        name, actor=command_actor(), label=label, days=days
    )
    click.echo(issued.token)
    click.echo(f"Token {issued.token_id} expires on {issued.expires_on}.", err=True)


@users.command("tokens")
@click.argument("name")
@reported
def users_tokens(name: str) -> None:
    """One line per API token of NAME: id, expiry, state and label."""
    for token in command_tracker().tokens(name):
        state = "revoked" if token.revoked else "active"
        click.echo(f"{token.token_id}  {token.expires_on}  {state:<8} {token.label}")


@users.command("revoke-token")
@click.argument("token_id", type=click.UUID)
@click.option("--reason", default="", help="Why (kept on the record).")
@reported
def users_revoke_token(token_id: UUID, reason: str) -> None:
    """Revoke the API token TOKEN_ID: it stops working at once."""
    command_tracker().revoke_token(token_id, actor=command_actor(), reason=reason)
    click.echo(f"Token {token_id} revoked.", err=True)


@users.command("sign-out")
@click.argument("name")
@reported
def users_sign_out(name: str) -> None:
    """End every session of NAME at once (web pages; API tokens stay)."""
    tracker = command_tracker()
    account = tracker.account(name)
    store = open_session_store(Settings.from_environment())
    try:
        ended = store.end_account(account.account_id)
    finally:
        store.close()
    tracker.record_audit(
        "sessions_ended",
        actor=command_actor(),
        details={"account": account.username, "sessions": str(ended), "which": "all"},
    )
    click.echo(f"{ended} sessions of {account.username} ended.", err=True)


@users.command("reset-second-factor")
@click.argument("name")
@reported
def users_reset_second_factor(name: str) -> None:
    """Forget NAME's second factor (a lost phone): the next sign-in sets one up."""
    tracker = command_tracker()
    account = tracker.account(name)
    tracker.reset_second_factor(account.account_id, actor=command_actor())
    click.echo(
        f"The second factor of {account.username} was reset; its sessions ended.",
        err=True,
    )
