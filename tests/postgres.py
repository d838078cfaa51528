"""The PostgreSQL server tests use, and how they skip when there is none."""

from __future__ import annotations

import os
import socket

import pytest

URL = os.environ.get("TRACKER_TEST_DB", "postgresql://postgres@127.0.0.1:5432/test")


def _reachable() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 5432), timeout=1).close()
    except OSError:
        return False
    return True


needs_postgres = pytest.mark.skipif(
    not _reachable(), reason="no PostgreSQL server on 127.0.0.1:5432"
)
