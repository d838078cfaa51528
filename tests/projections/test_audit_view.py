"""The audit view: every entry once, newest first, by kind, person and UTC day."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from projections.audit import AuditFilter, AuditView, find_audit_entries
from projections.views import Views
from tests.stores import Store
from tracker.application import CaseTracker


@pytest.fixture
def audit_views(store: Store, tracker: CaseTracker, tmp_path: Path) -> Iterator[Views]:
    """The audit view alone, over the tracker's events."""
    views = store.views(tracker, tmp_path / "views.sqlite3", kinds=[AuditView])
    yield views
    views.close()


def _record_a_day(tracker: CaseTracker) -> None:
    tracker.record_audit("signed_in", actor="arben", details={"through": "web"})
    tracker.record_audit(
        "sign_in_failed", actor="drita", details={"reason": "password"},
        address="192.0.2.4",
    )  # fmt: skip
    tracker.record_audit(
        "access_changed", actor="arben",
        details={"account": "drita", "role": "coordinator", "municipalities": ""},
    )  # fmt: skip
    tracker.record_audit(
        "exported", actor="cli:root", details={"format": "csv", "through": "cli"}
    )


def test_entries_are_listed_newest_first_with_what_each_holds(
    tracker: CaseTracker, audit_views: Views
) -> None:
    _record_a_day(tracker)
    with audit_views.reading() as c:
        found = find_audit_entries(c, AuditFilter())
    assert found.total == 4
    assert [r.kind for r in found.rows] == [
        "exported", "access_changed", "sign_in_failed", "signed_in",
    ]  # fmt: skip
    failed = found.rows[2]
    assert (failed.actor, failed.account, failed.address) == (
        "drita",
        "drita",
        "192.0.2.4",
    )
    assert failed.details == {"reason": "password"}
    assert found.rows[1].account == "drita"  # the account changed, not the admin
    now = datetime.now(UTC)
    assert all(now - timedelta(minutes=5) < r.recorded_at <= now for r in found.rows)


def test_entries_are_found_by_kind_person_and_day(
    tracker: CaseTracker, audit_views: Views
) -> None:
    _record_a_day(tracker)
    today = datetime.now(UTC).date()

    def kinds(**wanted: object) -> list[str]:
        with audit_views.reading() as c:
            page = find_audit_entries(c, AuditFilter(**wanted))  # type: ignore[arg-type]
        return [r.kind for r in page.rows]

    assert kinds(kind="exported") == ["exported"]
    assert kinds(username=" Drita ") == ["access_changed", "sign_in_failed"]
    assert kinds(username="arben") == ["access_changed", "signed_in"]
    assert kinds(username="arben", kind="signed_in") == ["signed_in"]
    assert len(kinds(since=today, until=today)) == 4
    assert kinds(since=today + timedelta(days=1)) == []
    assert kinds(until=today - timedelta(days=1)) == []


def test_a_long_log_is_read_a_page_at_a_time(
    tracker: CaseTracker, audit_views: Views
) -> None:
    for number in range(7):
        tracker.record_audit("signed_in", actor=f"user{number}", details={})
    with audit_views.reading() as c:
        second = find_audit_entries(c, AuditFilter(), page=2, per_page=3)
    assert (second.total, second.pages) == (7, 3)
    assert [r.actor for r in second.rows] == ["user3", "user2", "user1"]


def test_a_rebuilt_view_holds_every_entry_once(
    tracker: CaseTracker, audit_views: Views
) -> None:
    _record_a_day(tracker)
    audit_views.catch_up()
    audit_views.rebuild("audit")
    tracker.record_audit("signed_out", actor="arben", details={})
    with audit_views.reading() as c:
        found = find_audit_entries(c, AuditFilter())
    assert found.total == 5
    assert found.rows[0].kind == "signed_out"
