"""An account's email address and language: decided, recorded, set from the CLI."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from domain.account import Account, InvalidEmail
from domain.errors import InvalidValue
from tests.application.builders import event_count
from tracker.application import CaseTracker
from tracker.cli import main
from tracker.cli_users import users

PASSWORD = "a long enough password"


def _advocate() -> Account:
    return Account.open(
        actor="admin", username="drita", role="advocate", municipalities=[],
        password_hash="hash",
    )  # fmt: skip


@pytest.mark.parametrize(
    "address",
    ["drita@cfpi-ks.org", " Drita.Krasniqi+forum@mail.example.COM ", "a@b.co"],
)
def test_a_plausible_address_is_kept_without_its_spaces(address: str) -> None:
    account = _advocate()
    account.change_email(actor="admin", email=address)
    assert account.email == address.strip()


@pytest.mark.parametrize(
    "address",
    ["drita", "drita@", "@cfpi.org", "drita@cfpi", "dri ta@cfpi.org",
     "drita@@cfpi.org", ".drita@cfpi.org", "dri..ta@cfpi.org", "drita@-cfpi.org",
     "drita@cfpi.org\nBcc: all@example.org", "dritë@cfpi.org", "x" * 65 + "@b.org"],
)  # fmt: skip
def test_an_address_that_cannot_be_one_is_refused(address: str) -> None:
    account = _advocate()
    with pytest.raises(InvalidEmail) as refused:
        account.change_email(actor="admin", email=address)
    assert refused.value.field == "email"
    assert account.email == ""


def test_an_account_has_no_address_and_albanian_until_told() -> None:
    account = _advocate()
    assert (account.email, account.language) == ("", "sq")
    account.change_email(actor="admin", email="drita@cfpi.org", language="sr_Cyrl")
    account.change_email(actor="admin", email="drita.k@cfpi.org")
    assert (account.email, account.language) == ("drita.k@cfpi.org", "sr_Cyrl")
    account.change_email(actor="admin", email="")  # removed
    assert account.email == ""
    changes = [
        e for e in account.collect_events() if isinstance(e, Account.EmailChanged)
    ]
    assert [(e.actor, e.email, e.language) for e in changes] == [
        ("admin", "drita@cfpi.org", "sr_Cyrl"),
        ("admin", "drita.k@cfpi.org", "sr_Cyrl"),
        ("admin", "", "sr_Cyrl"),
    ]


def test_an_unknown_language_or_no_change_is_refused() -> None:
    account = _advocate()
    with pytest.raises(InvalidValue) as refused:
        account.change_email(actor="admin", email="drita@cfpi.org", language="de")
    assert refused.value.field == "language"
    account.change_email(actor="admin", email="drita@cfpi.org")
    with pytest.raises(InvalidValue, match="unchanged"):
        account.change_email(actor="admin", email=" drita@cfpi.org ", language="sq")


def test_the_address_is_saved_on_the_account_and_read_back(
    make_tracker: Callable[[], CaseTracker],
) -> None:
    tracker = make_tracker()
    account_id = tracker.create_account(
        actor="admin", username="drita", password=PASSWORD, role="advocate",
        email="drita@cfpi.org", language="en",
    )  # fmt: skip
    arben = tracker.create_account(
        actor="admin", username="arben", password=PASSWORD, role="advocate"
    )
    tracker.change_email(arben, actor="admin", email="arben@cfpi.org")
    again = make_tracker()  # another process, reading the store
    assert (again.account(account_id).email, again.account(account_id).language) == (
        "drita@cfpi.org", "en",
    )  # fmt: skip
    assert (again.account("arben").email, again.account("arben").language) == (
        "arben@cfpi.org", "sq",
    )  # fmt: skip
    (change,) = [e for e in again.account_history(arben) if e.event == "EmailChanged"]
    assert (change.actor, change.details["email"]) == ("admin", "arben@cfpi.org")


def test_a_refused_address_records_nothing(tracker: CaseTracker) -> None:
    with pytest.raises(InvalidEmail):
        tracker.create_account(
            actor="admin", username="drita", password=PASSWORD, role="advocate",
            email="drita at cfpi",
        )  # fmt: skip
    assert event_count(tracker) == 0
    arben = tracker.create_account(
        actor="admin", username="arben", password=PASSWORD, role="advocate"
    )
    before = event_count(tracker)
    with pytest.raises(InvalidEmail):
        tracker.change_email(arben, actor="admin", email="arben@")
    assert event_count(tracker) == before
    assert tracker.account(arben).email == ""


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TRACKER_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("TRACKER_DB", raising=False)
    return tmp_path / "home"


def test_the_command_line_sets_an_address_and_lists_it(home: Path) -> None:
    runner = CliRunner()
    made = runner.invoke(
        main,
        ["users", "create", "drita", "--role", "advocate", "--email",
         "drita@cfpi.org", "--password-stdin"],
        input=f"{PASSWORD}\n",
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    changed = runner.invoke(
        users, ["set-email", "drita", "drita.k@cfpi.org", "--language", "sr_Latn"]
    )
    assert changed.exit_code == 0, changed.output
    assert "Emails of drita: drita.k@cfpi.org, in sr_Latn." in changed.output
    listed = runner.invoke(users, ["list"])
    assert "drita.k@cfpi.org" in listed.output
    removed = runner.invoke(users, ["set-email", "drita", ""])
    assert "Emails of drita: no address, in sr_Latn." in removed.output


def test_the_command_line_refuses_a_bad_address_and_changes_nothing(
    home: Path,
) -> None:
    runner = CliRunner()
    runner.invoke(
        main, ["users", "create", "drita", "--role", "advocate", "--password-stdin"],
        input=f"{PASSWORD}\n",
    )  # fmt: skip
    refused = runner.invoke(users, ["set-email", "drita", "drita@cfpi"])
    assert refused.exit_code == 1
    assert "error (email): an email address is like name@example.org" in (
        refused.output
    )
    assert "@" not in runner.invoke(users, ["list"]).output
