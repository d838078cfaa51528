"""Which server process holds a request, and whether it still runs.

A process killed in the middle of a request (kill -9, out of memory) leaves
that request's Idempotency-Key reserved. The reservation names the process
(host, pid and the moment it started, so a reused pid is not mistaken for
it); a retry reaching the same host can see that it is gone and take over
at once, instead of waiting for the reservation to time out.
"""

from __future__ import annotations

import os
import socket
from functools import cache
from pathlib import Path

_PROC = Path("/proc")


def this_process() -> str:
    """This process, named so that another process on the host can find it."""
    return _name(os.getpid())


@cache
def _host() -> str:
    return socket.gethostname()


def _name(pid: int) -> str:
    return f"{_host()}/{pid}/{_started(pid)}"


def _started(pid: int) -> str:
    """When the process started, in clock ticks since boot ('' if unknown)."""
    try:
        stat = (_PROC / str(pid) / "stat").read_text()
    except OSError:
        return ""
    # The command name, in parentheses, may itself hold spaces.
    return stat.rpartition(")")[2].split()[19]


def has_ended(owner: str) -> bool:
    """Whether the process named `owner` is known to have ended.

    Only a process on this host can be looked for; elsewhere (or without
    /proc) it is taken to be running.
    """
    host, _, rest = owner.partition("/")
    pid, _, started = rest.partition("/")
    if host != _host() or not pid.isdigit() or not started:
        return False
    return _name(int(pid)) != owner
