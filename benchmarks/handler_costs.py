"""Where a view's rebuild time goes: decoding, its own handlers, its writes.

A diagnostic beside `bench_projections`, not a target: for each view, the
events of a store (made by `bench_projections --store DIR`) are read and
decoded once, untimed; then timed separately, in one transaction of a fresh
views file, the view applying them all in memory (`View.apply`) and writing
what they changed (`View.finish`). Decoding is timed on its own for the
comparison. The garbage collector is off throughout, so no phase pays for
another's garbage, and the rows kept in memory are not limited.

Run from the project root:
  .venv/bin/python -m benchmarks.handler_costs --store DIR [--events N]
"""

from __future__ import annotations

import argparse
import gc
import tempfile
import time
from pathlib import Path

from benchmarks.bench_commands import tracker_in
from projections.catalogue import VIEW_KINDS
from projections.view import NEXT, Positioned
from projections.views import sqlite_views


def main() -> None:
    """Print, per view, microseconds per event to decode, apply and finish."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--events", type=int, default=200_000)
    args = parser.parse_args()
    gc.disable()
    tracker = tracker_in(args.store)
    notifications = tracker.recorder.select_notifications(1, args.events)
    started = time.perf_counter()
    events: list[Positioned] = [
        (n.id, tracker.mapper.to_domain_event(n)) for n in notifications
    ]
    decoding = time.perf_counter() - started
    count = len(events)
    print(f"{count:,} events; decoding all: {decoding / count * 1e6:.1f} us/event")
    print(f"{'view':<10}{'reads':>8}{'apply us/event':>16}{'finish us/event':>17}")
    with tempfile.TemporaryDirectory() as tmp:
        for kind in VIEW_KINDS:
            datastore = sqlite_views(Path(tmp, f"{kind.name}.sqlite3"))
            view = kind(datastore, suffix=NEXT)  # as a rebuild builds it
            view.create_table()
            for rows in view.rows():
                rows.capacity = count
            with datastore.transaction(commit=True) as c:
                view.clear(c)  # no secondary indexes until a swap
                started = time.perf_counter()
                view.apply(c, events)
                applying = time.perf_counter() - started
                started = time.perf_counter()
                view.finish(c)
                writing = time.perf_counter() - started
            datastore.close()
            handled = view.handlers()
            print(
                f"{kind.name:<10}{sum(type(e) in handled for _, e in events):>8}"
                f"{applying / count * 1e6:>16.1f}{writing / count * 1e6:>17.1f}"
            )
    print(
        "per event read (also those a view ignores); apply: the handlers and any "
        "SQL they run; finish: the rows kept in memory, written at the end"
    )


if __name__ == "__main__":
    main()
