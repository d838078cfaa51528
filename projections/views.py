"""All read models together: catching up with the events, status, rebuilds.

The views live in one database, so a query may join a case list with a
search: a SQLite file beside the event store (``TRACKER_HOME/views.sqlite3``),
or the events' own PostgreSQL database (projections.datastore). They catch
up by reading the application's notification log (the same code on SQLite
and on PostgreSQL), in batches: every view at the same position is brought
forward in one transaction per batch. The worker (`run`) waits for new
events by polling on SQLite, and by a subscription on PostgreSQL (the
library's LISTEN/NOTIFY), which wakes it as soon as one is recorded.

Queries call `catch_up` first. It reads only what was recorded since the
views' position, usually nothing or the one command just made, so a query
after a command sees it (read-your-writes) without replaying the log, and a
background worker (`tracker projections run`) only keeps the views warm.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eventsourcing.persistence import InterfaceError, OperationalError, Subscription

from projections.catalogue import VIEW_KINDS
from projections.datastore import Cursor, SQLiteViews, ViewsDatabase
from projections.postgres import PostgresViews
from projections.view import NEXT, Positioned, PositionMoved, View
from tracker.application import CaseTracker
from tracker.config import PROJECTION_BATCH, Settings
from tracker.errors import StoreUnavailable, store_failure

VIEWS_FILENAME = "views.sqlite3"
# Events read and applied per transaction, unless configured otherwise.
BATCH = PROJECTION_BATCH
# Seconds a view writer waits for another's lock before giving up.
LOCK_TIMEOUT_SECONDS = 30
# Seconds the worker waits before trying a store that failed again.
RETRY_SECONDS = 2.0
# How often a waiting worker looks whether it was asked to stop.
_STOP_CHECK_SECONDS = 0.1

_log = logging.getLogger(__name__)

# A rebuild applies this many batches in each transaction: the new tables
# serve nobody until the swap, and a row that several events change is
# written once per transaction, not once per batch.
REBUILD_BATCHES = 20

Progress = Callable[[int], None]


@dataclass(frozen=True)
class ViewStatus:
    """Where one view stands against the event log."""

    name: str
    position: int
    head: int

    @property
    def lag(self) -> int:
        """Events recorded that the view has not applied yet."""
        return self.head - self.position


class Views:
    """The read models of one tracker, and the work of keeping them current."""

    def __init__(
        self,
        tracker: CaseTracker,
        database: ViewsDatabase | Path,
        kinds: Sequence[type[View]] | None = None,
        *,
        batch: int = BATCH,
    ) -> None:
        self.tracker = tracker
        self.batch = batch
        self.kinds = {kind.name: kind for kind in (kinds or VIEW_KINDS)}
        if isinstance(database, Path):
            database = sqlite_views(database)
        self.datastore = database
        self.live = {name: kind(self.datastore) for name, kind in self.kinds.items()}
        # What `run` listens to, and whether it was asked to stop.
        self._subscription: Subscription[Any] | None = None
        self._stopping = False
        for view in self.live.values():
            view.create_table()

    @property
    def description(self) -> str:
        """Where the views are, for people to read."""
        return self.datastore.description

    def close(self) -> None:
        """Close the views database."""
        self.datastore.close()

    # -- position -------------------------------------------------------------

    def head(self) -> int:
        """The newest event in the log."""
        with reported():
            return self.tracker.recorder.max_notification_id() or 0

    def status(self) -> list[ViewStatus]:
        """Each view's position and lag."""
        head = self.head()
        positions = self._positions(list(self.live.values()))
        return [
            ViewStatus(name, positions[view.tracking_name], head)
            for name, view in self.live.items()
        ]

    def _positions(self, views: list[View]) -> dict[str, int]:
        # One read for all views: every query asks this before it runs.
        names = [view.tracking_name for view in views]
        marks = ", ".join("?" for _ in names)
        with reported(), self.datastore.transaction(commit=False) as c:
            c.execute(
                "SELECT application_name, notification_id FROM tracking "  # nosec B608
                f"WHERE application_name IN ({marks})",
                names,
            )
            found = {row[0]: row[1] for row in c.fetchall()}
        return {name: int(found.get(name) or 0) for name in names}

    # -- catching up ----------------------------------------------------------

    def catch_up(
        self, until: int | None = None, progress: Progress | None = None
    ) -> int:
        """Apply every event up to `until` (the head); return how many were read."""
        return self._catch_up(list(self.live.values()), until, progress)

    def _catch_up(
        self,
        views: list[View],
        until: int | None,
        progress: Progress | None,
        batches: int = 1,
    ) -> int:
        target = self.head() if until is None else until
        read = 0
        while True:
            positions = self._positions(views)
            start = min(positions.values())
            if start >= target:
                return read
            behind = [v for v in views if positions[v.tracking_name] == start]
            try:
                count = self._apply(behind, start, target, batches)
            except PositionMoved:
                continue
            read += count
            if progress is not None:
                progress(count)

    def _apply(self, views: list[View], start: int, stop: int, batches: int) -> int:
        """Up to `batches` batches after `start`, in one transaction; how many read."""
        topics = frozenset[str]().union(*(view.topics for view in views))
        read = 0
        try:
            with reported(), self.datastore.transaction(commit=True) as c:
                for _ in range(batches):
                    events, end, count = self._events_after(start, stop, topics)
                    for view in views:
                        view.advance(c, start, end)
                    for view in views:
                        view.apply(c, events)
                    start, read = end, read + count
                    if start >= stop:
                        break
                for view in views:
                    view.finish(c)
        except BaseException:
            # Not left to `advance`: another worker may bring the view to this
            # batch's end, and what this batch changed in memory was not written.
            for view in views:
                view.forget()
            raise
        return read

    def _events_after(
        self, start: int, stop: int, topics: frozenset[str]
    ) -> tuple[list[Positioned], int, int]:
        """The next events of these topics, the position after them, how many read.

        Events of other topics are read (their position counts) but not
        decoded: none of the views catching up would look at them.
        """
        with reported():
            notifications = self.tracker.recorder.select_notifications(
                start + 1, self.batch, stop=stop
            )
        to_event = self.tracker.mapper.to_domain_event
        events = [(n.id, to_event(n)) for n in notifications if n.topic in topics]
        return events, notifications[-1].id, len(notifications)

    # -- rebuilding -----------------------------------------------------------

    def rebuild(
        self, name: str, progress: Progress | None = None, *, until: int | None = None
    ) -> int:
        """Build a view again from the first event beside the live one, then swap.

        The live view keeps answering queries (and keeps catching up) until
        the new one has caught up; the swap is one transaction.
        """
        live = self.live[name]
        fresh = self.kinds[name](self.datastore, suffix=NEXT)
        with self.writing() as c:
            fresh.clear(c)
        read = self._catch_up([fresh], until, progress, REBUILD_BATCHES)
        # Events recorded after this are applied by the next catch-up, from
        # the position the new tables were swapped in with.
        with self.writing() as c:
            fresh.swap(c, live)
        return read

    @contextmanager
    def writing(self) -> Iterator[Cursor]:
        """A write transaction on the views database."""
        with reported(), self.datastore.transaction(commit=True) as c:
            yield c

    @contextmanager
    def reading(self) -> Iterator[Cursor]:
        """A read transaction on the views database, after catching up."""
        self.catch_up()
        with reported(), self.datastore.transaction(commit=False) as c:
            yield c

    # -- the worker -----------------------------------------------------------

    def run(
        self, *, poll_seconds: float = 0.5, retry_seconds: float = RETRY_SECONDS
    ) -> None:
        """Keep every view caught up until `stop_running` is called.

        On PostgreSQL a subscription to the event log (LISTEN/NOTIFY) wakes
        the worker when an event is recorded; on SQLite, which has none, it
        looks again every `poll_seconds`. While the store is locked,
        unreachable or full, the worker says so on its log and tries again
        every `retry_seconds`, then catches up with what was recorded meanwhile.
        """
        # Not reset here: a stop asked before `run` began (a TERM at start) holds.
        while not self._stopping:
            try:
                self._follow(poll_seconds)
            except (StoreUnavailable, OperationalError, InterfaceError) as error:
                _log.warning("%s; trying again in %s s", error, retry_seconds)
                self._pause(retry_seconds)

    def _follow(self, poll_seconds: float) -> None:
        """Catch up, then with each new event, until stopped or the store fails."""
        try:
            subscription = self.tracker.recorder.subscribe(gt=self.head())
        except NotImplementedError:
            while not self._stopping:
                if self.catch_up() == 0:
                    self._pause(poll_seconds)
            return
        with subscription:
            self._subscription = subscription
            try:
                if self._stopping:  # asked before there was a subscription to stop
                    return
                caught_up_to = self.head()
                self.catch_up(until=caught_up_to)
                for notification in subscription:
                    if self._stopping:
                        break
                    if notification.id > caught_up_to:
                        caught_up_to = self.head()
                        self.catch_up(until=caught_up_to)
            finally:
                self._subscription = None

    def _pause(self, seconds: float) -> None:
        """Wait, but no longer than until `stop_running` is called."""
        until = time.monotonic() + seconds
        while not self._stopping and (left := until - time.monotonic()) > 0:
            time.sleep(min(_STOP_CHECK_SECONDS, left))

    def stop_running(self) -> None:
        """Make `run` return (from a signal handler, say)."""
        self._stopping = True
        if self._subscription is not None:
            self._subscription.stop()


@contextmanager
def reported() -> Iterator[None]:
    """Turn a locked, unreachable or full database into `StoreUnavailable`."""
    try:
        yield
    except (OperationalError, InterfaceError) as error:
        raise store_failure(error, unavailable="the views are unavailable") from error


def sqlite_views(path: Path) -> SQLiteViews:
    """A views database in a SQLite file."""
    return SQLiteViews(str(path), lock_timeout=LOCK_TIMEOUT_SECONDS)


def views_database(settings: Settings) -> ViewsDatabase:
    """Where the views of these settings live: beside the events."""
    if settings.database_url:
        return PostgresViews(settings.database_url)
    return sqlite_views(settings.home / VIEWS_FILENAME)


def open_views(tracker: CaseTracker, settings: Settings) -> Views:
    """The views of a tracker, in the database of its events (or beside it)."""
    return Views(tracker, views_database(settings), batch=settings.projection_batch)
