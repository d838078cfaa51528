"""Personal data inside events: whose it is, and whether it was erased.

A `PersonalData` value travels inside events and snapshots like any other
value, but the store writes it sealed with the key of the person it belongs
to (DESIGN §7; `tracker/personal_keys.py`). Erasing the person destroys the
key: every copy of the value, in events, snapshots and backups, then reads
back as `erased`, while the event that held it stays in the history.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from uuid import UUID, uuid5

# Person ids of a case's submitter are derived from the case id, so the
# domain decides them without a random source (and a replay gives the same).
_SUBMITTER = "submitter"


@dataclass(frozen=True)
class PersonalData:
    """Named fields of one person's data (a name, a contact), or none if erased."""

    person_id: UUID
    fields: Mapping[str, str] = field(default_factory=dict)
    erased: bool = False

    def __post_init__(self) -> None:
        # A copy: the caller's dict can change without changing the value.
        object.__setattr__(self, "fields", dict(self.fields))

    @classmethod
    def erased_of(cls, person_id: UUID) -> PersonalData:
        """What is left of a person's data once their key is destroyed."""
        return cls(person_id, {}, erased=True)

    def erased_for(self, person_id: UUID) -> PersonalData:
        """Erased if this is that person's data, else unchanged."""
        return self.erased_of(person_id) if person_id == self.person_id else self

    def get(self, name: str) -> str | None:
        """One field, or None (never there, or erased)."""
        return self.fields.get(name)

    def as_dict(self) -> dict[str, str]:
        """The fields as a plain dict (empty once erased)."""
        return dict(self.fields)


def submitter_id(case_id: UUID) -> UUID:
    """The person id of the one who submitted a case."""
    return uuid5(case_id, _SUBMITTER)


def personal(person_id: UUID, fields: Mapping[str, str] | None) -> PersonalData | None:
    """A person's data, or None when nothing was given."""
    return PersonalData(person_id, fields) if fields else None
