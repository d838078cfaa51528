"""The plumbing every command shares: loading, version checks, saving.

This is where the store's own exceptions become named errors: a stale write
is a `ConcurrentChange`, a locked or unreachable store is `StoreUnavailable`.
Nothing above this module sees a raw database exception.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from functools import cached_property
from typing import TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application, Repository
from eventsourcing.domain import Aggregate, DomainEvent
from eventsourcing.persistence import (
    IntegrityError,
    InterfaceError,
    Notification,
    OperationalError,
)
from eventsourcing.utils import get_topic

from domain.case import Case
from domain.deadlines import DeadlineRule, HolidayCalendar
from domain.errors import DateInFuture, DomainError, InvalidValue
from tracker.config import TABLES_LOCK
from tracker.errors import (
    CaseNotFound,
    ConcurrentChange,
    StoreUnavailable,
    store_failure,
)
from tracker.receipts import AlreadyCarriedOut, receipt_saved, receipt_to_save
from tracker.saved import SavedAggregates

A = TypeVar("A", bound=Aggregate)
E = TypeVar("E", bound=DomainEvent)
T = TypeVar("T")

# No forum kept records before Kosovo's municipalities of today existed; an
# earlier date is a typing slip (and year 1 would make no readable reference).
EARLIEST_DAY = date(1990, 1, 1)

# Notifications read at a time when listing records by topic.
_PAGE = 500


class Store(Application[UUID]):
    """An eventsourcing Application with loading and saving that name failures."""

    clock: Callable[[], date]
    holidays: HolidayCalendar
    deadline_rules: dict[str, DeadlineRule]
    saved: SavedAggregates
    # How often a submission had to number again because another writer
    # took the number first (observability, and proof in tests).
    numbering_retries: int

    def load(self, aggregate_id: UUID, kind: type[A], missing: type[DomainError]) -> A:
        """The aggregate with that id and kind, or the `missing` error."""
        # A kind that is never snapshotted is read from its events alone,
        # without first asking the snapshot table (one query, not two).
        snapshotted = kind in (self.snapshotting_intervals or {})
        repository = self.repository if snapshotted else self._events_only
        try:
            with unavailable_store_reported():
                aggregate: object = repository.get(aggregate_id)
        except AggregateNotFoundError:
            raise missing(f"no {kind.__name__.lower()} {aggregate_id}") from None
        if not isinstance(aggregate, kind):
            raise missing(f"no {kind.__name__.lower()} {aggregate_id}")
        return aggregate

    @cached_property
    def _events_only(self) -> Repository[UUID]:
        return Repository(event_store=self.repository.event_store)

    def numbered(self, attempt: Callable[[], T], *, attempts: int) -> T:
        """Run `attempt` (it numbers cases and saves) until no other writer
        took its numbers first; after `attempts` tries the store is too busy.
        """
        for tried in range(attempts):
            try:
                return attempt()
            except ConcurrentChange:
                self.numbering_retries += 1
                # A retry's jitter, not a secret.
                time.sleep(random.uniform(0, 0.005 * (tried + 1)))  # noqa: S311  # nosec B311
        raise StoreUnavailable("too many simultaneous submissions; try again")

    def exists(self, aggregate_id: UUID) -> bool:
        """Whether any event was recorded for that id."""
        with unavailable_store_reported():
            return bool(self.recorder.select_events(aggregate_id, limit=1))

    def save_all(self, *aggregates: Aggregate | None) -> int:
        """Save in one transaction; a stale aggregate makes it `ConcurrentChange`."""
        kept = [aggregate for aggregate in aggregates if aggregate is not None]
        receipt = receipt_to_save()
        try:
            with unavailable_store_reported():
                recordings = self.save(*kept, receipt)
        except IntegrityError:
            for aggregate in kept:
                self.saved.forget(aggregate.id)
            if receipt is not None and self.exists(receipt.id):
                raise AlreadyCarriedOut(str(receipt.id)) from None
            raise ConcurrentChange(
                "someone else changed this record at the same moment; "
                "nothing was saved, reload and try again"
            ) from None
        receipt_saved()
        for aggregate in kept:
            self.saved.keep(aggregate)
        return recordings[-1].notification.id if recordings else 0

    def change(
        self,
        aggregate_id: UUID,
        kind: type[A],
        missing: type[DomainError],
        decide: Callable[[A], Aggregate | None],
        expected_version: int | None = None,
    ) -> int:
        """Let a record decide and save it; return its new version.

        What `decide` returns (an audit entry, say) is saved with it, in the
        same transaction.

        The command starts from the record as this process last saved it,
        without reading the store. That copy may be behind (another process
        wrote since): then its save is refused, or it refuses the command on
        old facts, and the command is decided once more on the stored record.
        """
        remembered = self.saved.take(aggregate_id, kind)
        if remembered is not None:
            try:
                return self._decide_and_save(remembered, decide, expected_version)
            except StoreUnavailable:
                raise
            except DomainError:
                pass  # `take` dropped the copy; decide on the stored record
        stored = self.load(aggregate_id, kind, missing)
        return self._decide_and_save(stored, decide, expected_version)

    def current(
        self, aggregate_id: UUID, kind: type[A], missing: type[DomainError]
    ) -> A:
        """The record as this process last saved it, else as the store has it.

        A copy that is behind is refused when saved. Unlike `change`, nothing
        decides again on the stored record: use it only where an older copy
        cannot refuse what the newer allows (a register's count, a meeting's
        place and day, which never change).
        """
        remembered = self.saved.take(aggregate_id, kind)
        if remembered is not None:
            return remembered
        return self.load(aggregate_id, kind, missing)

    def originators(self, topic: str) -> Iterator[UUID]:
        """The ids of the records whose events of that topic were stored, in order."""
        for notification in self._notifications(topic):
            yield UUID(str(notification.originator_id))

    def recorded(self, kind: type[E]) -> Iterator[E]:
        """Every stored event of one kind, in the order it was recorded."""
        for notification in self._notifications(get_topic(kind)):
            event = self.mapper.to_domain_event(notification)
            # Narrows a type.
            assert isinstance(event, kind)  # nosec B101
            yield event

    def _notifications(self, topic: str) -> Iterator[Notification]:
        start = 1
        while True:
            with unavailable_store_reported():
                page = self.recorder.select_notifications(start, _PAGE, topics=(topic,))
            yield from page
            if len(page) < _PAGE:
                return
            start = page[-1].id + 1

    def _decide_and_save(
        self,
        aggregate: A,
        decide: Callable[[A], Aggregate | None],
        expected_version: int | None,
    ) -> int:
        self.check_version(aggregate, expected_version)
        also = decide(aggregate)
        self.save_all(aggregate, also)
        return aggregate.version

    def change_case(
        self,
        case_id: UUID,
        decide: Callable[[Case], Aggregate | None],
        expected_version: int | None = None,
    ) -> int:
        """Load a case, let it decide, save; return the case's new version."""
        return self.change(case_id, Case, CaseNotFound, decide, expected_version)

    def require_past(self, day: date, field: str) -> date:
        """Refuse a date of something that happened after today or before 1990."""
        if not isinstance(day, date):
            raise InvalidValue(f"{field} must be a date", field=field)
        if day > self.clock():
            raise DateInFuture(f"{field} cannot be in the future", field=field)
        if day < EARLIEST_DAY:
            raise InvalidValue(
                f"{field} cannot be before {EARLIEST_DAY.isoformat()}", field=field
            )
        return day

    @staticmethod
    def check_version(aggregate: Aggregate, expected_version: int | None) -> None:
        """Refuse a command prepared against an older version of the record."""
        if expected_version is not None and aggregate.version != expected_version:
            raise ConcurrentChange(
                f"changed since you opened it (now version {aggregate.version}, "
                f"you had version {expected_version})",
                current_version=aggregate.version,
            )


@contextmanager
def unavailable_store_reported() -> Iterator[None]:
    """Turn a locked, unreachable or full store into `StoreUnavailable`
    (`StoreFull` when its disk is full)."""
    try:
        yield
    except (OperationalError, InterfaceError) as error:
        raise store_failure(
            error, unavailable="the case store is unavailable"
        ) from error


@contextmanager
def tables_made_alone(database_url: str | None) -> Iterator[None]:
    """One process at a time makes (or finds) the store's tables.

    On PostgreSQL the library replaces its insert function every time it
    opens; processes starting together (gunicorn's workers) would update that
    one catalog row at once, which PostgreSQL refuses. SQLite needs nothing.
    """
    if not database_url:
        yield
        return
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as connection:
        connection.execute("SELECT pg_advisory_lock(%s)", (TABLES_LOCK,))
        try:
            yield
        finally:
            connection.execute("SELECT pg_advisory_unlock(%s)", (TABLES_LOCK,))
