"""``tracker migrate --to postgresql://…``: the SQLite store copied to PostgreSQL.

Every event is copied as it is stored, its bytes untouched (personal data
stays sealed with its person's key, and with TRACKER_STORE_KEY the whole
event stays encrypted), in the order it was recorded, a page per
transaction; PostgreSQL numbers the events again in that order. Snapshots
are copied too (those of versions already copied), so long cases load as
fast as before; they are only a cache, but rebuilding them would mean
loading every long case. Then the copy is compared with the source, event
by event. Only the events move: the uploads and keys stay in TRACKER_HOME
(or TRACKER_KEYS). The caller builds the views on the new store.

Stop the tracker first: what is written to SQLite after the copy is not on
PostgreSQL. A target that holds events already is refused, so that nothing
is ever copied twice.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from itertools import zip_longest
from uuid import UUID

from eventsourcing.persistence import AggregateRecorder, StoredEvent

from domain.errors import DomainError
from tracker.application import CaseTracker
from tracker.config import Settings, postgres_env
from tracker.store import unavailable_store_reported
from tracker.store_files import as_stored, bare_store, every_event, every_page


class MigrationRefused(DomainError):
    """The store cannot be copied to that database; nothing more was written."""


@dataclass(frozen=True)
class Migrated:
    """What a migration copied, and the settings of the store it copied to."""

    events: int
    snapshots: int
    target: Settings


def migrate(settings: Settings, url: str) -> Migrated:
    """Copy the SQLite store of TRACKER_HOME to the empty PostgreSQL store at `url`."""
    if settings.database_url:
        raise MigrationRefused(
            "TRACKER_DB is set: migrate copies the SQLite store of TRACKER_HOME; "
            "unset TRACKER_DB to run it",
            field="TRACKER_DB",
        )
    postgres_env(url)  # refuses what is not a postgresql:// URL
    if not settings.sqlite_path.is_file():
        raise MigrationRefused(
            f"there is no store at {settings.sqlite_path}: is TRACKER_HOME right?",
            field="TRACKER_HOME",
        )
    target_settings = replace(settings, database_url=url)
    source = bare_store(settings)
    try:
        target = bare_store(target_settings)
        try:
            return _copied(source, target, target_settings)
        finally:
            target.close()
    finally:
        source.close()


def _copied(source: CaseTracker, target: CaseTracker, settings: Settings) -> Migrated:
    with unavailable_store_reported():
        held = target.recorder.max_notification_id()
    if held:
        raise MigrationRefused(
            f"{settings.store_description} holds events already (up to #{held}): "
            "migrate only into a store with no events",
            field="to",
        )
    versions = _copy_events(source, target)
    snapshots = _copy_snapshots(_snapshots(source), _snapshots(target), versions)
    events = _require_same(source, target)
    return Migrated(events, snapshots, settings)


def _copy_events(source: CaseTracker, target: CaseTracker) -> dict[UUID, int]:
    """Copy every event in order; each record's last version copied."""
    versions: dict[UUID, int] = {}
    for page in every_page(source.recorder):
        with unavailable_store_reported():
            target.recorder.insert_events([_stored(event) for event in page])
        versions |= {UUID(str(e.originator_id)): e.originator_version for e in page}
    return versions


def _copy_snapshots(
    source: AggregateRecorder, target: AggregateRecorder, versions: dict[UUID, int]
) -> int:
    copied = 0
    for record, version in versions.items():
        with unavailable_store_reported():
            snapshots = source.select_events(record, lte=version)
            if snapshots:
                target.insert_events([_stored(snapshot) for snapshot in snapshots])
        copied += len(snapshots)
    return copied


def _require_same(source: CaseTracker, target: CaseTracker) -> int:
    """Compare the stores event by event, in order; how many there are."""
    compared = 0
    pairs = zip_longest(every_event(source.recorder), every_event(target.recorder))
    for compared, (mine, theirs) in enumerate(pairs, start=1):
        if mine is None or theirs is None or as_stored(mine) != as_stored(theirs):
            raise MigrationRefused(
                f"the copy differs from the SQLite store at its event {compared}: "
                "was the tracker still writing? Stop it, empty the target and "
                "migrate again",
                field="to",
            )
    return compared


def _snapshots(tracker: CaseTracker) -> AggregateRecorder:
    snapshots = tracker.snapshots
    assert snapshots is not None  # nosec B101  # the tracker snapshots long records
    return snapshots.recorder


def _stored(event: StoredEvent) -> StoredEvent:
    return StoredEvent(
        originator_id=event.originator_id,
        originator_version=event.originator_version,
        topic=event.topic,
        state=event.state,
    )
