"""The register that numbers a municipality's cases for one year.

A case reference is ``<CODE>-<YEAR>-<NNN>``. Numbering and the new case are
saved in one transaction; two secretaries numbering at the same moment both
write version N+1 of the same register, so one of them is refused by the
store and numbers again. References are therefore unique and without gaps.

The register's state is only a count, so loading it costs the same in
December as in January; which case got which number is in its events (the
n-th case is numbered by the event at version n + 1), read when a reference
is looked up.
"""

from __future__ import annotations

import re
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.errors import InvalidValue
from domain.reference import municipality

# At most a million cases a year in one municipality: a longer number is no
# reference (and could not be looked up).
_REFERENCE = re.compile(r"^([A-Z]{3})-(\d{4})-(\d{3,6})$")


def format_reference(code: str, year: int, number: int) -> str:
    """The human reference of the number-th case of a municipality's year."""
    return f"{code}-{year}-{number:03d}"


def parse_reference(reference: str) -> tuple[str, int, int]:
    """Split a reference into municipality code, year and number."""
    match = _REFERENCE.match(reference.strip().upper())
    if not match:
        raise InvalidValue(
            f"{reference!r} is not a case reference like STR-2024-007",
            field="reference",
        )
    code, year, number = match.groups()
    municipality(code)
    return code, int(year), int(number)


class CaseRegister(Aggregate):
    """Numbers the cases of one municipality and year, in order."""

    class Event(Aggregate.Event):
        """Register events carry no actor: numbering is not a user's decision."""

    class Opened(Event, Aggregate.Created):
        municipality: str
        year: int

    class Numbered(Event):
        case_id: UUID

    # Version 1 snapshots held every numbered case id; version 2 only the count.
    class_version = 2

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        """Turn an old snapshot's list of case ids into the count it stood for."""
        state["count"] = len(state.pop("case_ids"))

    @staticmethod
    def create_id(municipality: str, year: int) -> UUID:
        """One register per municipality and year, with a predictable id."""
        return uuid5(NAMESPACE_URL, f"cfpi-tracker:case-register:{municipality}:{year}")

    @event(Opened)
    def __init__(self, *, municipality: str, year: int) -> None:
        self.municipality = municipality
        self.year = year
        self.count = 0

    def number(self, case_id: UUID) -> str:
        """Give the next reference to a new case."""
        self._numbered(case_id=case_id)
        return format_reference(self.municipality, self.year, self.count)

    @event(Numbered)
    def _numbered(self, *, case_id: UUID) -> None:
        self.count += 1

    @staticmethod
    def version_numbering(number: int) -> int:
        """The register version whose event numbered the number-th case."""
        return number + 1
