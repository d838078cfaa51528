"""The session store: rows by digest, ended at once, shared by every process.

The same tests run on SQLite and, when there is a server, on PostgreSQL.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from uuid import UUID, uuid4

import psycopg
import pytest

from tests.postgres import URL, needs_postgres
from tracker.config import Settings
from tracker.session_store import (
    PostgresSessionStore,
    SessionStore,
    SQLiteSessionStore,
    StoredSession,
    open_session_store,
)

ANA = UUID("0c8a3f2e-1111-4a4a-9b9b-000000000001")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=needs_postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SessionStore]:
    """An empty store on SQLite, or on PostgreSQL's test database."""
    if request.param == "sqlite":
        made: SessionStore = SQLiteSessionStore(tmp_path / "sessions.sqlite3")
    else:
        with psycopg.connect(URL, autocommit=True) as connection:
            for table in ("tracker_sessions", "tracker_second_factor_steps"):
                connection.execute(f"DROP TABLE IF EXISTS {table}")
        made = PostgresSessionStore(URL)
    yield made
    made.close()


def _session(account: UUID | None = ANA, at: float = 1000.0) -> StoredSession:
    return StoredSession(account, at, at, '{"csrf_token": "t"}')


def test_a_session_is_found_by_its_digest_and_ended_at_once(
    store: SessionStore,
) -> None:
    store.create("d1", _session())
    assert store.find("d1") == _session()
    assert store.find("d2") is None
    store.end("d1")
    assert store.find("d1") is None
    assert not store.write("d1", account_id=ANA, last_seen_at=1.0, data="{}")


def test_writing_and_touching_keep_the_data_and_the_last_seen_time(
    store: SessionStore,
) -> None:
    store.create("d1", _session(account=None))
    assert store.write("d1", account_id=ANA, last_seen_at=1060.0, data='{"a": 1}')
    store.touch("d1", 1200.0)
    assert store.find("d1") == StoredSession(ANA, 1000.0, 1200.0, '{"a": 1}')


def test_every_session_of_an_account_ends_but_the_one_kept(
    store: SessionStore,
) -> None:
    other = uuid4()
    for digest in ("a", "b", "c"):
        store.create(digest, _session())
    store.create("o", _session(account=other))
    assert store.count_account(ANA, seen_after=0, created_after=0) == 3
    assert store.end_account(ANA, keep="b") == 2
    assert [store.find(d) is not None for d in "abco"] == [False, True, False, True]
    assert store.end_account(ANA) == 1
    assert store.count_account(other, seen_after=999, created_after=999) == 1
    assert store.count_account(other, seen_after=1001, created_after=0) == 0


def test_purging_removes_sessions_idle_or_old_beyond_their_limits(
    store: SessionStore,
) -> None:
    store.create("idle", StoredSession(ANA, 500.0, 500.0, "{}"))
    store.create("old", StoredSession(ANA, 100.0, 900.0, "{}"))
    store.create("alive", StoredSession(ANA, 800.0, 900.0, "{}"))
    assert store.purge(seen_before=600.0, created_before=200.0) == 2
    assert store.find("alive") is not None


def test_a_time_step_is_claimed_once_and_only_forward(store: SessionStore) -> None:
    assert store.claim_step(ANA, 100)
    assert not store.claim_step(ANA, 100)
    assert not store.claim_step(ANA, 99)
    assert store.claim_step(ANA, 101)
    assert store.claim_step(uuid4(), 100)


def test_two_threads_cannot_both_claim_one_step(store: SessionStore) -> None:
    won: list[bool] = []
    start = threading.Barrier(8)

    def claim() -> None:
        start.wait()
        won.append(store.claim_step(ANA, 7))

    threads = [threading.Thread(target=claim) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(won) == [False] * 7 + [True]


def test_two_stores_on_one_file_see_each_others_sessions(tmp_path: Path) -> None:
    settings = Settings.from_environment({"TRACKER_HOME": str(tmp_path / "home")})
    first, second = open_session_store(settings), open_session_store(settings)
    first.create("d1", _session())
    assert second.find("d1") is not None
    second.end_account(ANA)
    assert first.find("d1") is None
    first.close()
    second.close()
    assert (tmp_path / "home" / "sessions.sqlite3").exists()


@needs_postgres
def test_a_postgresql_url_keeps_sessions_in_postgresql(tmp_path: Path) -> None:
    settings = Settings.from_environment(
        {"TRACKER_HOME": str(tmp_path / "home"), "TRACKER_DB": URL}
    )
    store = open_session_store(settings)
    try:
        assert isinstance(store, PostgresSessionStore)
    finally:
        store.close()
    assert not (tmp_path / "home" / "sessions.sqlite3").exists()
