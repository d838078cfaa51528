"""``tracker import``: cases from a spreadsheet, and the template to fill in."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from tracker.cli_support import command_actor, command_tracker, reported
from tracker.import_columns import COLUMNS, ImportRefused
from tracker.import_sheet import read_sheet
from tracker.import_templates import template_csv, template_xlsx
from tracker.importing import ImportedCase, ImportReport

TEMPLATE_FORMATS = ("csv", "xlsx")


@click.group("import")
def import_group() -> None:
    """Import cases from a spreadsheet (CSV or XLSX)."""


def layout_help() -> str:
    """The column layout, for `tracker import cases --help`."""
    lines = [
        f"  {c.name:<18} {'required' if c.required else 'optional'}  {c.meaning}"
        for c in COLUMNS
    ]
    return (
        "\b\nColumns (named in the first row, in any order; others are ignored):\n"
        + "\n".join(lines)
    )


@import_group.command("cases", epilog=layout_help())
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check every row; write nothing.")
@click.option(
    "--encoding",
    help="The CSV file's encoding, e.g. cp1250 or cp1251 "
    "(UTF-8 and UTF-16 with a byte order mark are recognised).",
)
@click.option("--actor", help="Who imports (kept on each case); default: you.")
@reported
def import_cases(
    file: Path, dry_run: bool, encoding: str | None, actor: str | None
) -> None:
    """Import the cases in FILE: all of them, or none if any row is wrong."""
    try:
        sheet = read_sheet(file.read_bytes(), filename=file.name, encoding=encoding)
        report = command_tracker().import_cases(
            sheet, actor=actor or command_actor(), dry_run=dry_run
        )
    except ImportRefused as refusal:
        for problem in refusal.problems:
            click.echo(str(problem), err=True)
        click.echo(refusal.message, err=True)
        sys.exit(1)
    if report.ignored_columns:
        ignored = ", ".join(report.ignored_columns)
        click.echo(f"columns not in the layout, ignored: {ignored}", err=True)
    click.echo(outcome(report))
    for case in report.imported:
        click.echo(f"  line {case.line}: {case.reference}")


def outcome(report: ImportReport) -> str:
    """One sentence on what the import did (or, on a dry run, would do)."""
    before = len(report.already_imported)
    earlier = (
        f"; {before} row{'s were' if before != 1 else ' was'} imported before "
        f"({references(report.already_imported)})"
        if before
        else ""
    )
    if report.dry_run:
        valid = report.valid_rows
        return f"{valid} row{'s' if valid != 1 else ''} valid{earlier}; nothing written"
    count = len(report.imported)
    added = f"{count} case{'s' if count != 1 else ''} imported"
    if count:
        added += f" (references {references(report.imported)})"
    return added + earlier


def references(cases: tuple[ImportedCase, ...]) -> str:
    """The references of some cases: all of a few, the first and last of many."""
    names = [case.reference for case in cases]
    return ", ".join(names) if len(names) <= 3 else f"{names[0]} … {names[-1]}"


@import_group.command("template")
@click.option(
    "--format",
    "file_format",
    type=click.Choice(TEMPLATE_FORMATS),
    help="csv or xlsx (default: from the output file's name, else xlsx).",
)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Where to write the template.",
)
@reported
def import_template(file_format: str | None, output: Path) -> None:
    """Write a template to fill in: the columns and one example row."""
    file_format = file_format or ("csv" if output.suffix.lower() == ".csv" else "xlsx")
    output.write_bytes(template_csv() if file_format == "csv" else template_xlsx())
    click.echo(f"{file_format.upper()} template written to {output}", err=True)
