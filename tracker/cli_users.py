"""``tracker users``: accounts for the people who sign in."""

from __future__ import annotations

import getpass
import sys

import click

from domain.account import ROLES
from tracker.cli_support import command_tracker, reported


def _actor() -> str:
    """Who acts from the command line: the operating-system user."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


@click.group()
def users() -> None:
    """Accounts: create them and list them."""


@users.command("create")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option(
    "--municipality",
    "municipalities",
    multiple=True,
    help="A municipality code the account works in (repeat for more).",
)
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from the first line of standard input.",
)
@reported
def users_create(
    name: str, role: str, municipalities: tuple[str, ...], password_stdin: bool
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
        actor=_actor(),
        username=name,
        password=password,
        role=role,
        municipalities=[code.upper() for code in municipalities],
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
        click.echo(f"{account.username:<24} {account.role:<12} {where}{state}")
