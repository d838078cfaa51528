"""How hard the fault tests push: a quick subset in `make test`, all of it in
`make faults`.

`make faults` sets ``TRACKER_FAULTS=full``; every fault test reads its
rounds, kills or examples from `rounds(quick, full)`, so the same test is
the quick check in CI and the long one on demand.
"""

from __future__ import annotations

import os

FULL = os.environ.get("TRACKER_FAULTS", "quick") == "full"


def rounds(quick: int, full: int) -> int:
    """How often to do the damage: `quick` in `make test`, `full` in `make faults`."""
    return full if FULL else quick
