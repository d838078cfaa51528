"""What every ``tracker`` command shares: the tracker, its views, error output."""

from __future__ import annotations

import getpass
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from domain.errors import DomainError
from projections.views import Views, open_views
from tracker.application import CaseTracker, open_tracker
from tracker.config import Settings

F = TypeVar("F", bound=Callable[..., Any])


def reported(command: F) -> F:
    """Print a domain error as a one-line message and exit 1, not a traceback."""

    @wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except DomainError as error:
            where = f" ({error.field})" if error.field else ""
            click.echo(f"error{where}: {error.message}", err=True)
            sys.exit(1)

    return run  # type: ignore[return-value]


def command_tracker() -> CaseTracker:
    """The tracker the environment describes."""
    return open_tracker(Settings.from_environment())


def command_views() -> Views:
    """The views of the tracker the environment describes."""
    settings = Settings.from_environment()
    return open_views(open_tracker(settings), settings)


def command_actor() -> str:
    """Who acts from the command line: the operating-system user."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


# ``-o -``: the file goes to standard output.
STDOUT = "-"


def deliver(
    content: bytes, *, filename: str, output: str | None, text: bool, done: str
) -> None:
    """Write a made file to ``output`` (default ``filename``; ``-``: stdout).

    A binary file is not written to a terminal; ``done`` says what was made.
    """
    if output == STDOUT:
        if not text and sys.stdout.isatty():
            click.echo(
                "error (output): this file is not for a terminal; "
                "redirect it, or give -o FILE",
                err=True,
            )
            sys.exit(1)
        sys.stdout.buffer.write(content)
        sys.stdout.flush()
        return
    path = Path(output or filename)
    try:
        path.write_bytes(content)
    except OSError as error:
        click.echo(f"error (output): cannot write {path}: {error.strerror}", err=True)
        sys.exit(1)
    click.echo(f"{done} {path} ({len(content):,} bytes).", err=True)
