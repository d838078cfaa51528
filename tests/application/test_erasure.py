"""Erasing a person: no copy of their data stays readable, the history stays whole.

These tests read the raw bytes of every file the tracker wrote — the event
store with its write-ahead log and snapshots, the views, the keys — and of a
backup taken before the erasure.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from datetime import date
from pathlib import Path
from uuid import UUID

import pytest
from eventsourcing.persistence import MapperDeserialisationError

from domain.audit import AuditEntry
from domain.case_errors import PersonalDataAlreadyErased
from domain.personal import submitter_id
from projections.accountability import read_report
from projections.periods import Period
from projections.views import Views
from tests.conftest import FAST_HASHER, TODAY
from tests.projections.tables import dump
from tests.stores import Store
from tracker.application import CaseTracker, open_tracker
from tracker.config import Settings
from tracker.erasure import PersonNotFound
from tracker.views import CaseView

# ASCII, so JSON cannot hide them behind \u escapes from a byte search.
NAME = "Qendresa Sekreti-Unike 4417"
CONTACT = "+383 49 771 331 qendresa@example.org"
TITLE = "Sewage in the Sitnica near Plemetina 5521"
SENSITIVE = "Threatened by her neighbour on 9 November 3306"
REASON = "She asked on 2 January, in writing (letter 14/2026)"


def submit_named(tracker: CaseTracker, **overrides: object) -> UUID:
    """A Lipjan case raised by a named person, with a snapshot after 25 events."""
    values: dict[str, object] = {
        "actor": "secretary",
        "municipality": "LIP",
        "title": TITLE,
        "description": "Raw sewage runs into the river behind the school.",
        "category": "environment",
        "communities": ["albanian", "serb"],
        "raised_on": date(2025, 11, 3),
        "submitter": {"name": NAME, "contact": CONTACT},
    } | overrides
    case_id = tracker.submit_case(**values).case_id  # type: ignore[arg-type]
    tracker.add_note(case_id, actor="secretary", text=SENSITIVE, sensitive=True)
    for number in range(30):
        tracker.add_note(case_id, actor="secretary", text=f"Visit {number}")
    return case_id


def every_file(*folders: Path) -> Iterator[Path]:
    """Every file under the folders: databases, journals, logs, keys."""
    for folder in folders:
        yield from (p for p in folder.rglob("*") if p.is_file())


def files_holding(needle: bytes, *folders: Path) -> list[str]:
    """The files whose raw bytes contain `needle`."""
    return [str(p) for p in every_file(*folders) if needle in p.read_bytes()]


def backup(home: Path, target: Path) -> None:
    """The home folder as a backup job copies it: every file but the keys,
    each SQLite file by its online backup (WAL included)."""
    for path in every_file(home):
        relative = path.relative_to(home)
        if relative.parts[0] == "keys" or path.name.endswith(("-wal", "-shm")):
            continue
        copy = target / relative
        copy.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix == ".sqlite3":
            with (
                closing(sqlite3.connect(path)) as s,
                closing(sqlite3.connect(copy)) as t,
            ):
                s.backup(t)
        else:
            copy.write_bytes(path.read_bytes())


def stored_in_postgresql(tracker: CaseTracker, views: Views) -> bytes:
    """Every event's state as the server stores it, and every view row."""
    stored = tracker.recorder.select_notifications(start=1, limit=100_000)
    return b"".join(n.state for n in stored) + repr(dump(views)).encode()


@pytest.fixture
def home(settings: Settings) -> Path:
    """The tracker's home folder."""
    return settings.home


@pytest.fixture
def views(store: Store, tracker: CaseTracker, home: Path) -> Iterator[Views]:
    """The views, in the home folder beside the store."""
    views = store.views(tracker, home / "views.sqlite3")
    yield views
    views.close()


def test_personal_data_is_never_written_in_the_clear(
    store: Store, tracker: CaseTracker, views: Views, home: Path
) -> None:
    case_id = submit_named(tracker)
    views.catch_up()
    assert tracker.case(case_id).submitter.name == NAME  # type: ignore[union-attr]
    # The scan does see what is stored in the clear: the title.
    assert files_holding(TITLE.encode(), home) or store.kind == "postgresql"
    assert files_holding(NAME.encode(), home) == []
    assert files_holding(CONTACT.encode(), home) == []
    assert files_holding(SENSITIVE.encode(), home) == []
    if store.kind == "postgresql":
        # The events and views are the server's: read every stored byte back.
        stored = stored_in_postgresql(tracker, views)
        assert TITLE.encode() in stored
        for secret in (NAME, CONTACT, SENSITIVE):
            assert secret.encode() not in stored
    assert tracker.case(case_id).notes[0].text == SENSITIVE


@pytest.mark.sqlite_only(
    "scans every file a backup copies, byte for byte; PostgreSQL's are the "
    "server's, shared with other databases (the sealing is the same code)"
)
def test_after_erasure_no_copy_can_be_read_and_the_history_is_whole(
    tracker: CaseTracker,
    make_tracker: Callable[[], CaseTracker],
    views: Views,
    settings: Settings,
    home: Path,
    tmp_path: Path,
) -> None:
    case_id = submit_named(tracker)
    # Others' keys made after the person's, so a key deleted without its
    # bytes being overwritten would still lie in the file's pages.
    for number in range(60):
        tracker.submit_case(
            actor="secretary", municipality="LIP", title=f"Other {number}",
            description="Another issue.", category="other", communities=["roma"],
            raised_on=date(2025, 11, 4), submitter={"name": f"Person {number}"},
        )  # fmt: skip
    other_case = submit_named(tracker, submitter={"name": "Someone Else 9902"})
    views.catch_up()
    person = submitter_id(case_id)
    key = tracker.personal_keys.key_of(person)
    assert key is not None
    with tracker.recorder.datastore.transaction(commit=False) as c:  # type: ignore[attr-defined]
        c.execute("SELECT COUNT(*) FROM stored_snapshots")
        assert c.fetchone()[0] >= 2  # the name is in snapshots too
    backed_up = tmp_path / "backup"
    backup(home, backed_up)
    assert {"tracker.sqlite3", "views.sqlite3"} <= {
        p.name for p in every_file(backed_up)
    }
    before = views_of_case(views, case_id)
    figures_before = figures(views)
    # The backup holds the person's data, readable with the key as it stands.
    readable = read_from_backup(backed_up, settings, case_id)
    assert readable.submitter.name == NAME  # type: ignore[union-attr]
    assert readable.notes[0].text == SENSITIVE

    erasure = tracker.erase_person(person, actor="admin", reason=REASON)
    views.catch_up()

    assert erasure.key_destroyed
    assert (erasure.case_id, erasure.reference) == (
        case_id,
        tracker.case(case_id).reference,
    )
    for needle in (key, NAME.encode(), CONTACT.encode(), SENSITIVE.encode()):
        assert files_holding(needle, home, backed_up) == []
    # Every reader now sees "erased": this process, another, and the backup.
    for reader in (tracker, make_tracker()):
        submitter = reader.case(case_id).submitter
        assert submitter is not None
        assert (submitter.erased, submitter.name, submitter.contact) == (
            True,
            None,
            None,
        )
    restored = read_from_backup(backed_up, settings, case_id)
    assert restored.submitter.erased  # type: ignore[union-attr]
    assert (restored.notes[0].text, restored.notes[0].erased) == (None, True)
    assert restored.notes[1].text == "Visit 0"
    # The history is whole: the submission is there, and the erasure, with why.
    history = tracker.case_history(case_id)
    assert [e.event for e in history][:3] == ["Submitted", "NoteAdded", "NoteAdded"]
    assert history[0].details["title"] == TITLE
    assert history[0].details["submitter"] == {"person_id": person, "erased": True}
    assert history[0].personal == ("submitter",)
    assert history[-1].event == "PersonalDataErased"
    assert history[-1].details["reason"] == REASON
    # Views and figures stay whole; another person's data is untouched.
    assert views_of_case(views, case_id) == before
    assert figures(views) == figures_before
    assert tracker.case(other_case).submitter.name == "Someone Else 9902"  # type: ignore[union-attr]


def test_erasing_again_records_nothing_more(tracker: CaseTracker) -> None:
    case_id = submit_named(tracker)
    person = submitter_id(case_id)
    first = tracker.erase_person(person, actor="admin", reason=REASON)
    again = tracker.erase_person(person, actor="admin", reason=REASON)
    assert (again.version, again.key_destroyed) == (first.version, False)
    events = [e.event for e in tracker.case_history(case_id)]
    assert events.count("PersonalDataErased") == 1


def test_an_erasure_is_in_the_audit_log(tracker: CaseTracker) -> None:
    case_id = submit_named(tracker)
    person = submitter_id(case_id)
    tracker.erase_person(person, actor="admin", reason=REASON, address="10.0.0.7")
    tracker.erase_person(person, actor="admin", reason=REASON)  # nothing more
    [entry] = [
        e for e in tracker.recorded(AuditEntry.Recorded)
        if e.kind == "personal_data_erased"
    ]  # fmt: skip
    assert (entry.actor, entry.address) == ("admin", "10.0.0.7")
    assert entry.details == {
        "person_id": person.hex, "case": tracker.case(case_id).reference,
        "reason": REASON,
    }  # fmt: skip


def test_an_erasure_cut_short_before_the_key_went_is_finished_by_the_next(
    tracker: CaseTracker,
) -> None:
    case_id = submit_named(tracker)
    person = submitter_id(case_id)
    tracker.change_case(
        case_id,
        lambda c: c.erase_personal_data(actor="admin", person_id=person, reason=REASON),
    )
    assert tracker.personal_keys.key_of(person) is not None  # the process stopped
    finished = tracker.erase_person(person, actor="admin", reason=REASON)
    assert finished.key_destroyed
    assert tracker.personal_keys.key_of(person) is None
    events = [e.event for e in tracker.case_history(case_id)]
    assert events.count("PersonalDataErased") == 1


def test_an_unknown_person_cannot_be_erased(tracker: CaseTracker) -> None:
    case_id = submit_named(tracker)
    with pytest.raises(PersonNotFound):
        tracker.erase_person(case_id, actor="admin", reason=REASON)


def test_the_keys_are_the_owners_alone(
    tracker: CaseTracker, settings: Settings
) -> None:
    submit_named(tracker)
    keys = settings.personal_keys_path
    assert keys.parent != settings.sqlite_path.parent
    assert keys.stat().st_mode & 0o077 == 0
    assert keys.parent.stat().st_mode & 0o077 == 0


def figures(views: Views) -> object:
    """The accountability report of 2025, for every municipality."""
    return read_report(views, Period.year(2025, today=TODAY))


def views_of_case(views: Views, case_id: UUID) -> tuple[object, ...]:
    """The case's row in the case list, and the figures it feeds."""
    with views.reading() as c:
        c.execute(
            "SELECT reference, status, title, municipality, category FROM cases "
            "WHERE case_id = ?",
            (case_id.hex,),
        )
        row = c.fetchone()
    return tuple(row)


def read_from_backup(backed_up: Path, settings: Settings, case_id: UUID) -> CaseView:
    """The case as a tracker restored from the backup reads it, with today's keys."""
    restored = Settings.from_environment(
        {
            "TRACKER_HOME": str(backed_up),
            "TRACKER_KEYS": str(settings.personal_keys_path),
        }
    )
    tracker = open_tracker(restored, clock=lambda: TODAY, password_hasher=FAST_HASHER)
    try:
        return tracker.case(case_id)
    finally:
        tracker.close()


def test_keys_that_do_not_belong_to_the_store_stop_the_reader(
    store: Store, tracker: CaseTracker, settings: Settings, tmp_path: Path
) -> None:
    case_id = submit_named(tracker)
    elsewhere = store.settings(settings.home, TRACKER_KEYS=str(tmp_path / "k.db"))
    wrong = open_tracker(elsewhere, clock=lambda: TODAY, password_hasher=FAST_HASHER)
    try:
        # The library wraps it, with the message kept.
        with pytest.raises(MapperDeserialisationError, match="does not belong"):
            wrong.case(case_id)
    finally:
        wrong.close()
    # Nothing was read as erased, nor written so: the right keys still open it.
    assert tracker.case(case_id).submitter.name == NAME  # type: ignore[union-attr]


def test_a_sensitive_note_decided_on_a_copy_older_than_the_erasure_is_refused(
    tracker: CaseTracker, make_tracker: Callable[[], CaseTracker]
) -> None:
    case_id = submit_named(tracker)
    tracker.add_note(case_id, actor="secretary", text="Seen again.", sensitive=True)
    # Another process erases; this one still remembers the case as it saved it.
    make_tracker().erase_person(submitter_id(case_id), actor="admin", reason=REASON)
    with pytest.raises(PersonalDataAlreadyErased):
        tracker.add_note(case_id, actor="secretary", text="More.", sensitive=True)
    tracker.add_note(case_id, actor="secretary", text="A plain note.")
    assert tracker.case(case_id).notes[-1].text == "A plain note."
