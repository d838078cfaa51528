"""``tracker export``: cases, referrals, responses and meetings in one file."""

from __future__ import annotations

import click

from projections.export import EXPORT_FORMATS, MEDIA_TYPES, export_file
from tracker.cli_support import command_actor, command_views, deliver, reported


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
    codes = tuple(code.upper() for code in municipalities)
    exported = export_file(
        views,
        file_format=file_format.lower(),
        municipalities=codes,
        today=views.tracker.clock(),
    )
    views.tracker.record_audit(
        "exported",
        actor=command_actor(),
        details={
            "format": file_format.lower(),
            "municipalities": ",".join(codes) or "all",
            "through": "cli",
        },
    )
    deliver(
        exported.content,
        filename=exported.filename,
        output=output,
        text=exported.media_type == MEDIA_TYPES["json"],
        done="Exported to",
    )
