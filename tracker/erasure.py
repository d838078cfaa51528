"""Erasing a person: the history records it, then their key is destroyed.

Every value of personal data saved goes through `save_all`, which first
makes its person's key and names the case that holds it. Erasure records
``PersonalDataErased`` on that case (who, when, why) and then destroys the
key. Should the process stop between the two, erasing again finishes the
job: the event is not recorded twice and the key still goes.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.audit import AuditEntry
from domain.case import Case
from domain.case_errors import PersonalDataAlreadyErased
from domain.errors import DomainError, require_text
from domain.personal import PersonalData
from tracker.audit import AuditCommands
from tracker.errors import CaseNotFound
from tracker.personal_keys import PersonalKeys


class PersonNotFound(DomainError):
    """No personal data of a person with that id was ever recorded."""


@dataclass(frozen=True)
class Erasure:
    """What an erasure did: whose data, on which case, and whether just now."""

    person_id: UUID
    case_id: UUID
    reference: str
    version: int
    key_destroyed: bool


class ErasureCommands(AuditCommands):
    """Keys for the personal data being saved, and erasing a person."""

    personal_keys: PersonalKeys

    def save_all(self, *aggregates: Aggregate | None) -> int:
        """Save, having first made a key for each person whose data is new."""
        for aggregate in aggregates:
            if aggregate is None:
                continue
            for held in _personal_data(aggregate):
                if not self.personal_keys.hold(held.person_id, holder=aggregate.id):
                    # Decided on a copy older than the erasure: refused, so
                    # `change` decides again on the stored record.
                    self.saved.forget(aggregate.id)
                    raise PersonalDataAlreadyErased(
                        "this person's data was erased already", field="sensitive"
                    )
        return super().save_all(*aggregates)

    def erase_person(
        self, person_id: UUID, *, actor: str, reason: str, address: str | None = None
    ) -> Erasure:
        """Make a person's data unreadable everywhere, saying who and why.

        The erasure is also in the audit log (from `address`, for a request).
        """
        require_text(reason, "reason", max_length=500)
        holder = self.person_holder(person_id)
        case = self.load(holder, Case, CaseNotFound)
        version = case.version
        if not case.personal_data_erased:

            def erase(c: Case) -> AuditEntry:
                c.erase_personal_data(actor=actor, person_id=person_id, reason=reason)
                # On the audit log in the same transaction as on the case.
                return self.audit_entry(
                    "personal_data_erased",
                    actor=actor,
                    address=address,
                    details={
                        "person_id": person_id.hex,
                        "case": c.reference,
                        "reason": reason.strip(),
                    },
                )

            version = self.change_case(holder, erase)
        return Erasure(
            person_id=person_id,
            case_id=holder,
            reference=case.reference,
            version=version,
            key_destroyed=self.personal_keys.destroy(person_id),
        )

    def person_holder(self, person_id: UUID) -> UUID:
        """The case holding a person's data (also once erased)."""
        holder = self.personal_keys.holder_of(person_id)
        if holder is None:
            raise PersonNotFound(f"no personal data of {person_id}", field="person_id")
        return holder


def _personal_data(aggregate: Aggregate) -> list[PersonalData]:
    return [
        value
        for pending in aggregate.pending_events
        for value in vars(pending).values()
        if isinstance(value, PersonalData) and not value.erased
    ]
