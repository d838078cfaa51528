"""Requests carried out at most once, whatever happens to their answers.

While a keyed request runs (`receipt_for`), the first save it makes also
saves its `RequestReceipt`, in the same transaction. When that save is
refused because the receipt is stored already, an earlier attempt of the
same request was carried out: `AlreadyCarriedOut`, and nothing is written.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from uuid import UUID

from domain.request_receipt import RequestReceipt


class AlreadyCarriedOut(Exception):
    """An earlier attempt of this request changed the records; nothing was written."""


@dataclass
class _Pending:
    receipt_id: UUID
    account: str
    saved: bool = False


_PENDING: ContextVar[_Pending | None] = ContextVar("request_receipt", default=None)


@contextmanager
def receipt_for(receipt_id: UUID, account: str) -> Iterator[None]:
    """Run a request whose first save also records its receipt."""
    token = _PENDING.set(_Pending(receipt_id, account))
    try:
        yield
    finally:
        _PENDING.reset(token)


def receipt_to_save() -> RequestReceipt | None:
    """The running request's receipt, if it has one and it is not saved yet."""
    pending = _PENDING.get()
    if pending is None or pending.saved:
        return None
    return RequestReceipt.issue(pending.receipt_id, pending.account)


def receipt_saved() -> None:
    """Note that the running request's receipt is stored (its first save landed)."""
    pending = _PENDING.get()
    if pending is not None:
        pending.saved = True
