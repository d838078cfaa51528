"""The ``tracker`` command: set up the store, load demo data, read cases."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import click

from domain.errors import DomainError
from domain.reference import MUNICIPALITIES_BY_CODE, STATUSES
from projections.case_summary import cases_by_municipality_and_status
from tracker.application import CaseTracker, open_tracker
from tracker.config import Settings
from tracker.terminal import case_page, summary_table

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


def _tracker() -> CaseTracker:
    return open_tracker(Settings.from_environment())


@click.group()
def main() -> None:
    """CFPI case tracker: community issues, advocacy and municipal answers."""


@main.command()
@reported
def init() -> None:
    """Create the store in TRACKER_HOME (safe to run again)."""
    settings = Settings.from_environment()
    tracker = open_tracker(settings)
    tracker.close()
    click.echo(f"Store ready: {settings.store_description}")


@main.command()
@click.option("--seed", default=1, show_default=True, help="Same seed, same data.")
@reported
def demo(seed: int) -> None:
    """Load demo forums, meetings and cases (running it twice adds nothing)."""
    from tracker.demo import load_demo

    tracker = _tracker()
    started = time.monotonic()
    report = load_demo(
        tracker,
        seed=seed,
        progress=lambda code: click.echo(
            f"  {MUNICIPALITIES_BY_CODE[code].en}", err=True
        ),
    )
    click.echo(
        f"Demo data (seed {seed}): {report.cases_added} cases and "
        f"{report.meetings_added} meetings added, {report.skipped} already there "
        f"({time.monotonic() - started:.1f} s)."
    )


@main.command()
@reported
def summary() -> None:
    """Cases by municipality and status."""
    tracker = _tracker()
    click.echo(summary_table(cases_by_municipality_and_status(tracker), STATUSES))


@main.group()
def case() -> None:
    """Read cases."""


@case.command("show")
@click.argument("reference")
@reported
def case_show(reference: str) -> None:
    """A case's current state and its full timeline (by reference or id)."""
    tracker = _tracker()
    click.echo(case_page(tracker.case(reference), tracker.case_history(reference)))


@case.command("list")
@click.option("--municipality", help="Only this municipality (code, e.g. STR).")
@reported
def case_list(municipality: str | None) -> None:
    """One line per case: reference, status, title."""
    tracker = _tracker()
    for view in tracker.cases():
        if municipality and view.municipality != municipality.upper():
            continue
        click.echo(f"{view.reference:<14} {view.status:<19} {view.title}")
