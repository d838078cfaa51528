"""Optimistic concurrency over HTTP: the ETag is the record's version.

A client reads a case (``ETag: "7"``) and sends ``If-Match: "7"`` with its
change. If someone changed the case meanwhile the answer is 412 with the
current version, and nothing is written: the version is checked again in
the same transaction that would save the change, so two writers racing past
the first check cannot both win. The loser of that race is told the version
now, as a client refused at the first check is.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from flask import request

from tracker.errors import ConcurrentChange
from web.api.errors import refuse

# What a view returns: the body (dumped by its schema), status and headers.
Reply = tuple[Any, int, dict[str, str]]

# The If-Match header, as the OpenAPI document describes it.
DOC = {
    "parameters": [
        {
            "in": "header",
            "name": "If-Match",
            "required": False,
            "schema": {"type": "string"},
            "description": 'The case\'s version as read (its ETag, e.g. "7"): a '
            "stale one is refused with 412 and nothing is written.",
        }
    ]
}

_TAG = re.compile(r'^\s*(?:W/)?"?(\d{1,9})"?\s*$')


def etag(version: int) -> str:
    """The ETag header value of a version."""
    return f'"{version}"'


def expected_version(current: int) -> int | None:
    """The version the client's If-Match names, if any; 412 if it is not `current`.

    No If-Match (or ``*``) means the client does not ask for a check. A tag
    that is not a version of this record can never match.
    """
    header = request.headers.get("If-Match")
    if header is None or header.strip() == "*":
        return None
    versions = {int(m[1]) for part in header.split(",") if (m := _TAG.match(part))}
    if current not in versions:
        refuse(
            412,
            errors=[("If-Match", f"the current version is {current}")],
            current_version=current,
            headers={"ETag": etag(current)},
        )
    return current


@contextmanager
def current_version_told(read_current: Callable[[], int]) -> Iterator[None]:
    """Name the version now in a `ConcurrentChange` that does not name it.

    The store refuses the slower of two writers that passed the version check
    together without reading the record again; the client needs the version
    to read what changed and send its change again.
    """
    try:
        yield
    except ConcurrentChange as conflict:
        if conflict.current_version is None:
            conflict.current_version = read_current()
        raise
