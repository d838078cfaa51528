"""``tracker export``: the export written to a file from the command line."""

from __future__ import annotations

import json
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from tests.application.builders import submit
from tests.conftest import FAST_HASHER, TODAY
from tests.stores import Store
from tracker.application import open_tracker
from tracker.cli import main


@pytest.fixture
def home(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A store with one case in Shtërpcë and one in Graçanicë; run from tmp_path."""
    home = tmp_path / "home"
    for name, value in store.environ(home).items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)
    tracker = open_tracker(
        store.settings(home),
        clock=lambda: TODAY,
        password_hasher=FAST_HASHER,
    )
    submit(tracker, title="Rruga pa ndriçim në Shtërpcë")
    submit(tracker, municipality="GRA", title="Нема осветљења у Грачаници")
    tracker.close()
    return home


def test_export_writes_a_zip_named_for_today_by_default(
    home: Path, tmp_path: Path
) -> None:
    result = CliRunner().invoke(main, ["export"])
    assert result.exit_code == 0, result.output
    (written,) = tmp_path.glob("cfpi-export-*.zip")
    assert written.name == f"cfpi-export-{date.today().isoformat()}.zip"
    with zipfile.ZipFile(written) as archive:
        assert {"cases.csv", "dictionary.csv", "README.txt"} <= set(archive.namelist())
        assert "Грачаници" in archive.read("cases.csv").decode("utf-8-sig")
    assert f"Exported to {written.name}" in result.output


def test_export_to_a_named_workbook_of_some_municipalities(
    home: Path, tmp_path: Path
) -> None:
    target = tmp_path / "str.xlsx"
    result = CliRunner().invoke(
        main,
        ["export", "--format", "XLSX", "--municipality", "str", "-o", str(target)],
    )
    assert result.exit_code == 0, result.output
    cases = openpyxl.load_workbook(target)["cases"]
    municipalities = [row[2] for row in cases.iter_rows(min_row=2, values_only=True)]
    assert municipalities == ["STR"]


def test_export_as_json_to_standard_output(home: Path) -> None:
    result = CliRunner().invoke(main, ["export", "--format", "json", "-o", "-"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert {case["municipality"] for case in document["cases"]} == {"STR", "GRA"}


def test_an_unknown_format_is_refused_in_one_line(home: Path) -> None:
    result = CliRunner().invoke(main, ["export", "--format", "pdf"])
    assert result.exit_code == 1
    assert "error (format): format must be one of: csv, xlsx, json" in result.output
    assert "Traceback" not in result.output


def test_an_unknown_municipality_is_refused_in_one_line(home: Path) -> None:
    result = CliRunner().invoke(main, ["export", "--municipality", "XYZ"])
    assert result.exit_code == 1
    assert "error (municipality): 'XYZ' is not a municipality code" in result.output
    assert not list(Path.cwd().glob("cfpi-export-*"))


def test_a_file_that_cannot_be_written_is_reported_in_one_line(
    home: Path, tmp_path: Path
) -> None:
    target = tmp_path / "no such folder" / "export.zip"
    result = CliRunner().invoke(main, ["export", "-o", str(target)])
    assert result.exit_code == 1
    assert f"error (output): cannot write {target}" in result.output
