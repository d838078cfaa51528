"""``tracker report accountability``: the yearly report, in any format and language."""

from __future__ import annotations

from datetime import datetime

import click

from domain.reference import municipality
from tracker.cli_support import command_views, deliver, reported

# As `web.reports.rendering` has them (a test checks), without loading the web
# when the command line starts.
FORMATS = ("json", "csv", "xlsx", "pdf", "html")
LANGUAGES = ("sq", "sr_Latn", "sr_Cyrl", "en")


@click.group("report")
def report() -> None:
    """Reports counted from the records."""


@report.command("accountability")
@click.option(
    "--year", type=int, help="A calendar year [default: last year until March]."
)
@click.option("--from", "start", type=click.DateTime(["%Y-%m-%d"]), help="First day.")
@click.option("--to", "end", type=click.DateTime(["%Y-%m-%d"]), help="Last day.")
@click.option("--municipality", help="A municipality's code, e.g. STR [default: all].")
@click.option(
    "--format",
    "file_format",
    type=click.Choice(FORMATS, case_sensitive=False),
    default="json",
    show_default=True,
    help="csv: a ZIP of CSV files.",
)
@click.option(
    "--language",
    type=click.Choice(LANGUAGES),
    default="sq",
    show_default=True,
    help="The report's language.",
)
@click.option(
    "-o", "--output", help="The file to write, or - for standard output "
    "[default: cfpi-accountability-YEAR-...]."
)  # fmt: skip
@reported
def accountability(
    year: int | None,
    start: datetime | None,
    end: datetime | None,
    municipality: str | None,
    file_format: str,
    language: str,
    output: str | None,
) -> None:
    """The accountability report (DESIGN.md §6) of a year or a period."""
    from projections.accountability import Period, read_report
    from web.reports.rendering import report_file

    views = command_views()
    period = Period.asked(
        today=views.tracker.clock(),
        year=year,
        start=start.date() if start else None,
        end=end.date() if end else None,
    )
    code = _code(municipality)
    made = read_report(views, period, municipality=code)
    written = report_file(made, file_format=file_format.lower(), language=language)
    deliver(
        written.content,
        filename=written.filename,
        output=output,
        text=file_format.lower() in ("json", "html"),
        done="Report written to",
    )


def _code(name: str | None) -> str | None:
    """A municipality's code, checked (a domain error names the field)."""
    return None if name is None else municipality(name.upper()).code
