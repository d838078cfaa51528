"""``tracker export``: cases, referrals, responses and meetings in one file."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from projections.export import EXPORT_FORMATS, MEDIA_TYPES, ExportFile, export_file
from tracker.cli_support import command_views, reported

STDOUT = "-"


@click.command("export")
@click.option(
    "--format",
    "file_format",
    default="csv",
    show_default=True,
    help=f"One of {', '.join(EXPORT_FORMATS)} (csv: a ZIP of CSV files).",
)
@click.option(
    "--municipality",
    "municipalities",
    multiple=True,
    help="Only this municipality (code, e.g. STR; repeat for more).",
)
@click.option(
    "-o",
    "--output",
    help="The file to write, or - for standard output "
    "[default: cfpi-export-DATE.zip, .xlsx or .json].",
)
@reported
def export(
    file_format: str, municipalities: tuple[str, ...], output: str | None
) -> None:
    """Export cases, referrals, responses and meetings, with a data dictionary."""
    views = command_views()
    exported = export_file(
        views,
        file_format=file_format.lower(),
        municipalities=tuple(code.upper() for code in municipalities),
        today=views.tracker.clock(),
    )
    if output == STDOUT:
        _to_stdout(exported)
        return
    path = Path(output or exported.filename)
    try:
        path.write_bytes(exported.content)
    except OSError as error:
        click.echo(f"error (output): cannot write {path}: {error.strerror}", err=True)
        sys.exit(1)
    click.echo(f"Exported to {path} ({len(exported.content):,} bytes).", err=True)


def _to_stdout(exported: ExportFile) -> None:
    """Write the export to standard output, unless it is binary for a terminal."""
    binary = exported.media_type != MEDIA_TYPES["json"]
    if binary and sys.stdout.isatty():
        click.echo(
            "error (output): a ZIP or XLSX file is not for a terminal; "
            "redirect it, or give -o FILE",
            err=True,
        )
        sys.exit(1)
    click.echo(exported.content, nl=False)
