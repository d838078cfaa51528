"""A receipt that a program's request was carried out, saved with its changes.

A program that lost the answer to a request (its connection dropped, the
server's process was killed before it answered) sends the request again
with the same Idempotency-Key. The receipt's id comes from that key and the
request, and the receipt is saved in the same transaction as the records the
request changed: the retry's save is refused, so nothing is done twice.
"""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate


class RequestReceipt(Aggregate):
    """Proof that one keyed request changed the records; it never changes."""

    class Issued(Aggregate.Created):
        """Who sent the request that was carried out."""

        account: str

    @classmethod
    def issue(cls, receipt_id: UUID, account: str) -> RequestReceipt:
        """The receipt of the request with that id, sent by `account`."""
        return cls._create(cls.Issued, id=receipt_id, account=account)
