"""The audit log through the application: each change of access with its entry."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from domain.audit import AuditEntry, UnknownAuditKind
from tests.application.builders import event_count
from tests.conftest import FAST_HASHER, TODAY
from tests.stores import Store
from tracker.application import CaseTracker, open_tracker
from tracker.cli import main
from tracker.errors import ConcurrentChange

PASSWORD = "correct horse battery"


def entries(tracker: CaseTracker) -> list[AuditEntry.Recorded]:
    """Every audit entry recorded, oldest first."""
    return list(tracker.recorded(AuditEntry.Recorded))


def test_another_part_records_an_erasure_with_its_details(
    tracker: CaseTracker,
) -> None:
    entry_id = tracker.record_audit(
        "personal_data_erased",
        actor="coordinator",
        details={"person": "8c1d…", "reason": "asked in writing"},
    )
    (entry,) = entries(tracker)
    assert entry.originator_id == entry_id
    assert (entry.kind, entry.actor, entry.address) == (
        "personal_data_erased",
        "coordinator",
        None,
    )
    assert entry.details == {"person": "8c1d…", "reason": "asked in writing"}


def test_an_unknown_kind_records_nothing(tracker: CaseTracker) -> None:
    with pytest.raises(UnknownAuditKind):
        tracker.record_audit("lunch", actor="admin", details={})
    assert event_count(tracker) == 0


def test_every_change_of_an_account_is_on_the_audit_log(tracker: CaseTracker) -> None:
    account_id = tracker.create_account(
        actor="admin", username="drita", password=PASSWORD, role="secretary",
        municipalities=["STR"], address="192.0.2.1",
    )  # fmt: skip
    tracker.change_access(
        account_id, actor="admin", role="coordinator", municipalities=[],
        address="192.0.2.1",
    )  # fmt: skip
    tracker.change_password(account_id, actor="admin", password=PASSWORD + "!")
    tracker.enrol_second_factor(account_id, actor="drita", sealed_secret="sealed")
    tracker.reset_second_factor(account_id, actor="admin")
    tracker.disable_account(account_id, actor="admin", reason=" left ")
    tracker.enable_account(account_id, actor="admin")
    found = entries(tracker)
    assert [e.kind for e in found] == [
        "account_created", "access_changed", "password_changed",
        "second_factor_enrolled", "second_factor_reset", "account_disabled",
        "account_enabled",
    ]  # fmt: skip
    assert found[0].details == {
        "account": "drita", "role": "secretary", "municipalities": "STR",
    }  # fmt: skip
    assert found[1].details["role"] == "coordinator"
    assert found[1].address == "192.0.2.1"
    assert found[5].details["reason"] == "left"
    assert {e.actor for e in found} == {"admin", "drita"}
    for entry in found:
        assert "sealed" not in entry.details.values()
        assert not any("hash" in name for name in entry.details)


def test_a_refused_change_leaves_no_entry(tracker: CaseTracker) -> None:
    account_id = tracker.create_account(
        actor="admin", username="arben", password=PASSWORD, role="viewer"
    )
    before = len(entries(tracker))
    with pytest.raises(ConcurrentChange):
        tracker.change_access(
            account_id, actor="admin", role="advocate", municipalities=[],
            expected_version=7,
        )  # fmt: skip
    assert len(entries(tracker)) == before


def test_tokens_issued_and_revoked_are_on_the_audit_log(tracker: CaseTracker) -> None:
    tracker.create_account(
        actor="admin", username="arben", password=PASSWORD, role="advocate"
    )
    issued = tracker.issue_token("arben", actor="arben", label="ci", address="::1")
    tracker.revoke_token(issued.token_id, actor="admin", reason="lost")
    issued_entry, revoked_entry = entries(tracker)[-2:]
    assert (issued_entry.kind, issued_entry.address) == ("token_issued", "::1")
    assert issued_entry.details["token"] == issued.token_id.hex
    assert issued_entry.details["label"] == "ci"
    secret = issued.token.removeprefix(f"cfpi_{issued.token_id.hex}_")
    assert secret not in str(issued_entry.details)
    assert (revoked_entry.kind, revoked_entry.actor) == ("token_revoked", "admin")


@pytest.fixture
def home(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """TRACKER_HOME for the command line, with an admin who has a second factor."""
    home = tmp_path / "home"
    for name, value in store.environ(home).items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)
    tracker = _open(store, home)
    account_id = tracker.create_account(
        actor="test", username="arben", password=PASSWORD, role="admin"
    )
    tracker.enrol_second_factor(account_id, actor="arben", sealed_secret="sealed")
    tracker.close()
    return home


def _open(store: Store, home: Path) -> CaseTracker:
    settings = store.settings(home)
    return open_tracker(settings, clock=lambda: TODAY, password_hasher=FAST_HASHER)


def test_an_export_from_the_command_line_is_on_the_audit_log(
    store: Store, home: Path
) -> None:
    done = CliRunner().invoke(
        main, ["export", "--format", "json", "--municipality", "str", "-o", "x.json"]
    )
    assert done.exit_code == 0, done.output
    tracker = _open(store, home)
    exported = entries(tracker)[-1]
    tracker.close()
    assert exported.kind == "exported"
    assert exported.actor.startswith("cli")
    assert exported.details == {
        "format": "json", "municipalities": "STR", "through": "cli",
    }  # fmt: skip


def test_the_command_line_resets_a_second_factor_and_ends_sessions(
    store: Store,
    home: Path,
) -> None:
    runner = CliRunner()
    reset = runner.invoke(main, ["users", "reset-second-factor", "arben"])
    assert reset.exit_code == 0, reset.output
    again = runner.invoke(main, ["users", "reset-second-factor", "arben"])
    assert again.exit_code == 1
    assert "error (status): the account has no second factor" in again.output
    ended = runner.invoke(main, ["users", "sign-out", "arben"])
    assert ended.exit_code == 0, ended.output
    assert "0 sessions of arben ended." in ended.output
    tracker = _open(store, home)
    kinds = [e.kind for e in entries(tracker)]
    assert tracker.sealed_second_factor(tracker.account("arben").account_id) is None
    tracker.close()
    assert kinds[-2:] == ["second_factor_reset", "sessions_ended"]
