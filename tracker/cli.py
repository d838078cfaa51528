"""The ``tracker`` command: set up the store, load demo data, read cases."""

from __future__ import annotations

import signal
import threading
import time
from datetime import date
from types import FrameType

import click

from domain.reference import MUNICIPALITIES_BY_CODE, STATUSES
from projections.case_queries import CaseFilter, find_cases
from projections.case_summary import cases_by_municipality_and_status
from projections.views import open_views
from tracker.application import open_tracker
from tracker.cli_backup import backup, migrate, restore
from tracker.cli_export import export
from tracker.cli_import import import_group
from tracker.cli_people import erase_person
from tracker.cli_reminders import reminders_group
from tracker.cli_report import report
from tracker.cli_support import command_tracker, command_views, reported
from tracker.cli_users import users
from tracker.config import Settings
from tracker.demo_accounts import DEMO_PASSWORD, load_demo_accounts
from tracker.session_store import open_session_store
from tracker.terminal import case_page, summary_table


@click.group()
def main() -> None:
    """CFPI case tracker: community issues, advocacy and municipal answers."""


@main.command()
@reported
def init() -> None:
    """Create the store in TRACKER_HOME (safe to run again)."""
    settings = Settings.from_environment()
    tracker = open_tracker(settings)
    # The tables of the views and sessions too, before the web and the
    # worker start and would each look for them at once.
    open_views(tracker, settings).close()
    open_session_store(settings).close()
    tracker.close()
    click.echo(f"Store ready: {settings.store_description}")


@main.command()
@click.option("--seed", default=1, show_default=True, help="Same seed, same data.")
@reported
def demo(seed: int) -> None:
    """Load demo forums, meetings and cases (running it twice adds nothing)."""
    from tracker.demo import load_demo

    tracker = command_tracker()
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
    load_demo_accounts(tracker)
    click.echo(
        "Sign in at http://127.0.0.1:5000/ as admin, coordinator, advocate, "
        f"secretary (Graçanicë and Shtërpcë) or viewer, password {DEMO_PASSWORD}"
    )


@main.command()
@reported
def summary() -> None:
    """Cases by municipality and status."""
    click.echo(
        summary_table(cases_by_municipality_and_status(command_views()), STATUSES)
    )


@main.group()
def case() -> None:
    """Read cases."""


@case.command("show")
@click.argument("reference")
@reported
def case_show(reference: str) -> None:
    """A case's current state and its full timeline (by reference or id)."""
    tracker = command_tracker()
    click.echo(case_page(tracker.case(reference), tracker.case_history(reference)))


@case.command("list")
@click.option("--municipality", help="Only this municipality (code, e.g. STR).")
@click.option("--status", help="Only cases in this status.")
@click.option("--overdue", is_flag=True, help="Only cases with an overdue referral.")
@click.option("--page", default=1, show_default=True)
@reported
def case_list(
    municipality: str | None, status: str | None, overdue: bool, page: int
) -> None:
    """One line per case: reference, status, title (newest raised first)."""
    wanted = CaseFilter(
        municipalities=(municipality.upper(),) if municipality else (),
        status=status,
        overdue=True if overdue else None,
    )
    with command_views().reading() as c:
        found = find_cases(c, wanted, today=date.today(), page=page, per_page=50)
    for row in found.rows:
        click.echo(f"{row.reference:<14} {row.status:<19} {row.title}")
    click.echo(f"page {found.page} of {found.pages}, {found.total} cases", err=True)


@main.group()
def projections() -> None:
    """The read models: their position, the worker, rebuilds."""


@projections.command("status")
@reported
def projections_status() -> None:
    """Each view's position in the event log and how far behind it is."""
    views = command_views()
    click.echo(f"{'view':<12}{'position':>10}{'head':>10}{'lag':>8}")
    for view in views.status():
        click.echo(f"{view.name:<12}{view.position:>10}{view.head:>10}{view.lag:>8}")


@projections.command("run")
@click.option("--poll", default=0.5, show_default=True, help="Seconds between polls.")
@reported
def projections_run(poll: float) -> None:
    """Keep every view caught up with the events until stopped (Ctrl-C, TERM)."""
    views = command_views()

    def stop(signum: int, frame: FrameType | None) -> None:
        # From a thread of its own: the handler interrupts the main thread,
        # which may hold the lock of the subscription's queue that stopping
        # takes (not re-entrant), and would wait on itself for ever.
        threading.Thread(target=views.stop_running, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    click.echo(f"Projection worker on {views.description} (poll {poll} s)", err=True)
    views.run(poll_seconds=poll)
    click.echo("Projection worker stopped.", err=True)


@projections.command("rebuild")
@click.argument("view", required=False)
@reported
def projections_rebuild(view: str | None) -> None:
    """Build VIEW (or every view) again from the first event, then swap it in."""
    views = command_views()
    names = [view] if view else list(views.live)
    unknown = [name for name in names if name not in views.live]
    if unknown:
        known = ", ".join(views.live)
        raise click.BadParameter(f"no view {unknown[0]!r}; the views are {known}")
    for name in names:
        with click.progressbar(length=views.head(), label=f"{name:<10}") as bar:
            views.rebuild(name, progress=bar.update)
        click.echo(f"{name}: rebuilt and swapped in", err=True)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int)
@reported
def serve(host: str, port: int, workers: int) -> None:
    """Serve the web interface (gunicorn) on HOST:PORT."""
    from web.serve import serve as run_server

    click.echo(f"Serving on http://{host}:{port}/ — stop with Ctrl-C", err=True)
    run_server(host, port, workers)


main.add_command(users)
main.add_command(import_group)
main.add_command(export)
main.add_command(report)
main.add_command(erase_person)
main.add_command(backup)
main.add_command(restore)
main.add_command(migrate)
main.add_command(reminders_group)
