"""``tracker backup``, ``tracker restore`` and ``tracker migrate``."""

from __future__ import annotations

from pathlib import Path

import click

from projections.views import open_views
from tracker.application import open_tracker
from tracker.backup import back_up
from tracker.cli_support import reported
from tracker.config import Settings
from tracker.migrate import migrate as migrate_store
from tracker.restore import restore as restore_backup

FOLDER = click.Path(file_okay=True, dir_okay=True, path_type=Path)
KEYS_HELP = (
    "The folder of the keys copy (personal-data keys, second-factor key): "
    "keep it apart from the backups, with a retention of its own."
)


@click.command("backup")
@click.argument("path", type=FOLDER)
@click.option("--keys", type=FOLDER, help=f"Also copy the keys. {KEYS_HELP}")
@reported
def backup(path: Path, keys: Path | None) -> None:
    """Copy the event store and the uploaded documents into PATH (a new
    folder), consistent while the tracker serves and writes.

    Views are left out (a restore rebuilds them), and so are sessions and
    keys: erasing a person destroys their key, and that must reach every
    backup. Give --keys to copy the keys to a folder of their own.
    """
    settings = Settings.from_environment()
    made = back_up(settings, path, keys=keys)
    click.echo(
        f"Backed up {settings.store_description} into {path}: events: "
        f"{made.events:,} (up to #{made.last_notification_id}), snapshots: "
        f"{made.snapshots:,}, documents: {len(made.documents):,}."
    )
    if keys is not None:
        click.echo(f"Keys copied into {keys}: keep them apart from the backups.")
    else:
        click.echo(
            "The keys are not in the backup: a restore reads personal data with "
            "the keys of the store it restores into, or a copy made with --keys.",
            err=True,
        )


@click.command("restore")
@click.argument("path", type=FOLDER)
@click.option("--keys", type=FOLDER, help=f"Put back a keys copy too. {KEYS_HELP}")
@click.option(
    "--replace",
    is_flag=True,
    help="Overwrite a store that holds events (stop the tracker first).",
)
@reported
def restore(path: Path, keys: Path | None, replace: bool) -> None:
    """Bring back a backup made by `tracker backup` into the store TRACKER_HOME
    and TRACKER_DB name, then rebuild the views from its events.

    Everything is checked first (hashes, integrity, event count, the keys
    open the personal data) and a failed check changes nothing; only a
    PostgreSQL dump's events are read with the keys once restored.
    """
    settings = Settings.from_environment()
    restored = restore_backup(settings, path, keys=keys, replace=replace)
    made = restored.manifest
    click.echo(
        f"Restored the backup of {made.created_at} into "
        f"{settings.store_description}: events: {made.events:,} (up to "
        f"#{made.last_notification_id}), documents put back: "
        f"{restored.documents:,}{'; the keys copy put back' if restored.keys else ''}."
    )
    build_views(settings)


@click.command("migrate")
@click.option(
    "--to",
    "url",
    required=True,
    envvar="TRACKER_MIGRATE_TO",
    help="postgresql://user:password@host:5432/dbname, a store with no events "
    "(or set TRACKER_MIGRATE_TO, to keep the password off the command line).",
)
@reported
def migrate(url: str) -> None:
    """Copy the SQLite store of TRACKER_HOME to PostgreSQL, event for event in
    the same order, check the copy, and build the views there.

    Stop the tracker first: what it writes during the copy stays in SQLite.
    """
    settings = Settings.from_environment()
    migrated = migrate_store(settings, url)
    click.echo(
        f"Copied {migrated.events:,} events and {migrated.snapshots:,} snapshots "
        f"to {migrated.target.store_description}, in the same order; the copy "
        "equals the source event for event."
    )
    build_views(migrated.target)
    click.echo(
        "To use it, set TRACKER_DB to that URL (keep TRACKER_HOME: the uploads "
        "and keys stay there) and restart the tracker."
    )


def build_views(settings: Settings) -> None:
    """Build every view from the store's events: afresh, or rebuilt and swapped in."""
    tracker = open_tracker(settings)
    views = open_views(tracker, settings)
    try:
        if any(view.position for view in views.status()):
            for name in views.live:
                with click.progressbar(length=views.head(), label=f"{name:<10}") as bar:
                    views.rebuild(name, progress=bar.update)
        else:
            with click.progressbar(length=views.head(), label="views") as bar:
                views.catch_up(progress=bar.update)
    finally:
        views.close()
        tracker.close()
    click.echo("Views built from the events.", err=True)
