"""`tracker import`, run as a forum secretary runs it."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result

from tests.application.builders import event_count
from tests.application.spreadsheets import csv_file, numbered_rows, row, xlsx_file
from tests.application.test_cli import run
from tests.stores import Store
from tracker.application import open_tracker
from tracker.cli import main
from tracker.import_columns import COLUMN_NAMES, COLUMNS


def invoke(store: Store, home: Path, *args: str) -> Result:
    """Run `tracker ARGS` in this process with TRACKER_HOME set."""
    return CliRunner().invoke(main, list(args), env=store.environ(home))


def events_in(store: Store, home: Path) -> int:
    """How many events the store in that home holds."""
    tracker = open_tracker(store.settings(home))
    try:
        return event_count(tracker)
    finally:
        tracker.close()


def test_a_good_file_lands_and_its_references_are_printed(
    store: Store, tmp_path: Path
) -> None:
    spreadsheet = tmp_path / "gracanica.xlsx"
    spreadsheet.write_bytes(xlsx_file(numbered_rows(4)))

    result = run(store, tmp_path / "home", "import", "cases", str(spreadsheet))

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "4 cases imported (references GRA-2025-001 … GRA-2025-004)",
        "  line 2: GRA-2025-001",
        "  line 3: GRA-2025-002",
        "  line 4: GRA-2025-003",
        "  line 5: GRA-2025-004",
    ]


def test_a_bad_file_exits_1_with_one_line_a_problem_and_no_traceback(
    store: Store,
    tmp_path: Path,
) -> None:
    spreadsheet = tmp_path / "cases.csv"
    rows = [row(), row(title="B", raised_on="31.02.2026"), row(municipality="Oz")]
    spreadsheet.write_bytes(csv_file(rows))

    result = run(store, tmp_path / "home", "import", "cases", str(spreadsheet))

    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        'line 3, raised_on: "31.02.2026" is not a date (write it 21.11.2025 or '
        "2025-11-21)",
        'line 4, municipality: "Oz" is not a municipality: give its code (GRA) or '
        "its name in Albanian, Serbian or English",
        "2 problems in the file; nothing was imported",
    ]
    assert events_in(store, tmp_path / "home") == 0


def test_a_windows_1250_file_needs_its_encoding_named(
    store: Store, tmp_path: Path
) -> None:
    spreadsheet = tmp_path / "cases.csv"
    spreadsheet.write_bytes(csv_file([row(location="Čaglavica")], encoding="cp1250"))

    guessed = invoke(store, tmp_path, "import", "cases", str(spreadsheet))
    named = invoke(
        store, tmp_path, "import", "cases", str(spreadsheet), "--encoding", "cp1250"
    )

    assert guessed.exit_code == 1
    assert "line 2: byte 0xC8 is not UTF-8 text" in guessed.output
    assert "--encoding cp1250" in guessed.output
    assert named.exit_code == 0, named.output
    assert "1 case imported (references GRA-2025-001)" in named.output


def test_a_dry_run_says_nothing_was_written(store: Store, tmp_path: Path) -> None:
    spreadsheet = tmp_path / "cases.csv"
    spreadsheet.write_bytes(csv_file(numbered_rows(3)))

    result = invoke(store, tmp_path, "import", "cases", "--dry-run", str(spreadsheet))

    assert result.exit_code == 0, result.output
    assert result.output == "3 rows valid; nothing written\n"
    assert events_in(store, tmp_path) == 0


def test_a_second_import_says_the_rows_were_imported_before(
    store: Store, tmp_path: Path
) -> None:
    spreadsheet = tmp_path / "cases.csv"
    spreadsheet.write_bytes(csv_file(numbered_rows(2)))
    invoke(store, tmp_path, "import", "cases", str(spreadsheet), "--actor", "arta")

    again = invoke(store, tmp_path, "import", "cases", str(spreadsheet))

    assert again.exit_code == 0, again.output
    assert again.output == (
        "0 cases imported; 2 rows were imported before (GRA-2025-001, GRA-2025-002)\n"
    )


def test_ignored_columns_are_named(store: Store, tmp_path: Path) -> None:
    spreadsheet = tmp_path / "cases.csv"
    header = (*row().keys(), "Status")
    spreadsheet.write_bytes(csv_file([row()], header=header))

    result = invoke(store, tmp_path, "import", "cases", str(spreadsheet), "--dry-run")

    assert "columns not in the layout, ignored: Status" in result.output


def test_a_missing_file_is_refused_without_a_traceback(
    store: Store, tmp_path: Path
) -> None:
    result = run(store, tmp_path, "import", "cases", str(tmp_path / "nowhere.csv"))

    assert result.returncode == 2
    assert "does not exist" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_templates_are_written_and_import_as_they_are(
    store: Store, tmp_path: Path
) -> None:
    as_csv, as_xlsx = tmp_path / "cases.csv", tmp_path / "cases.xlsx"

    wrote_csv = invoke(store, tmp_path, "import", "template", "-o", str(as_csv))
    wrote_xlsx = invoke(store, tmp_path, "import", "template", "--format", "xlsx",
                        "-o", str(as_xlsx))  # fmt: skip

    assert wrote_csv.exit_code == wrote_xlsx.exit_code == 0
    header = as_csv.read_text(encoding="utf-8-sig").splitlines()[0]
    assert header == ",".join(COLUMN_NAMES)
    assert as_xlsx.read_bytes().startswith(b"PK")
    for template in (as_csv, as_xlsx):
        checked = invoke(store, tmp_path, "import", "cases", "--dry-run", str(template))
        assert checked.output == "1 row valid; nothing written\n"


def test_the_help_of_import_cases_documents_every_column(
    store: Store, tmp_path: Path
) -> None:
    result = invoke(store, tmp_path, "import", "cases", "--help")

    assert result.exit_code == 0
    for column in COLUMNS:
        assert f"{column.name} " in result.output
        assert column.meaning in result.output
