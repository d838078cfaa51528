"""``tracker users create``: accounts made from the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.stores import Store
from tracker.cli import main


@pytest.fixture
def home(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name, value in store.environ(tmp_path / "home").items():
        monkeypatch.setenv(name, value)
    return tmp_path / "home"


def test_an_account_is_created_with_the_password_from_stdin(home: Path) -> None:
    runner = CliRunner()
    made = runner.invoke(
        main,
        ["users", "create", "Drita", "--role", "secretary", "--municipality", "gra",
         "--municipality", "STR", "--password-stdin"],
        input="a long enough password\n",
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    assert "drita created: secretary, GRA, STR" in made.output
    listed = runner.invoke(main, ["users", "list"])
    assert "drita" in listed.output
    assert "GRA,STR" in listed.output


def test_the_password_is_asked_for_twice(home: Path) -> None:
    made = CliRunner().invoke(
        main,
        ["users", "create", "arben", "--role", "admin"],
        input="a long enough password\na long enough password\n",
    )
    assert made.exit_code == 0, made.output
    assert "arben created: admin, all municipalities" in made.output


def test_a_refused_account_says_why_in_one_line(home: Path) -> None:
    refused = CliRunner().invoke(
        main,
        ["users", "create", "sec", "--role", "secretary", "--password-stdin"],
        input="a long enough password\n",
    )
    assert refused.exit_code == 1
    assert "error (municipalities): a secretary works in at least one" in (
        refused.output
    )
