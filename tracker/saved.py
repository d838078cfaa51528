"""The aggregates this process saved last, so the next command on them need
not read the store first.

A command on a case that this process just changed starts from the case as
it was saved, instead of reading its snapshot and events back. The copy may
be behind the store when another process wrote since; that is safe, because
a save is refused unless it follows the stored version exactly, and then the
command is decided again on the stored record (see `Store.change`).

An aggregate is handed out by taking it away: whoever takes it is the only
one holding it, so no copy is needed, and a command that fails simply never
puts it back. Two threads working on one case at once find it once: the
other reads the store, and the store refuses the second save.
"""

from __future__ import annotations

from collections import OrderedDict
from threading import Lock
from typing import TypeVar
from uuid import UUID

from eventsourcing.domain import Aggregate

A = TypeVar("A", bound=Aggregate)

# Enough for the cases a forum works on in a season; a referred and answered
# case takes about 3.6 kB (tracemalloc, 500 cases), so 2000 take some 7 MB.
DEFAULT_SIZE = 2000


class SavedAggregates:
    """A bounded, thread-safe memory of aggregates as this process saved them."""

    def __init__(self, size: int = DEFAULT_SIZE) -> None:
        self.size = size
        self._saved: OrderedDict[UUID, Aggregate] = OrderedDict()
        self._lock = Lock()

    def keep(self, aggregate: Aggregate) -> None:
        """Remember an aggregate just saved (and forget the oldest if full)."""
        if self.size <= 0:
            return
        with self._lock:
            self._saved[aggregate.id] = aggregate
            self._saved.move_to_end(aggregate.id)
            while len(self._saved) > self.size:
                self._saved.popitem(last=False)

    def take(self, aggregate_id: UUID, kind: type[A]) -> A | None:
        """Take away the saved aggregate of that kind, if remembered."""
        with self._lock:
            saved = self._saved.get(aggregate_id)
            if not isinstance(saved, kind):
                return None
            del self._saved[aggregate_id]
        return saved

    def forget(self, aggregate_id: UUID) -> None:
        """Drop an aggregate known to be behind the store."""
        with self._lock:
            self._saved.pop(aggregate_id, None)

    def __len__(self) -> int:
        """How many aggregates are remembered."""
        return len(self._saved)
