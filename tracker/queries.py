"""Queries: plain data about cases and meetings, never live aggregates.

Until the projections exist these read aggregates from the store; lists are
found through the notification log, filtered by the topic of the events that
open a register or a meeting.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from uuid import UUID

from eventsourcing.utils import get_topic

from domain.case import Case
from domain.case_register import CaseRegister, parse_reference
from domain.meeting import Meeting
from tracker.errors import CaseNotFound, MeetingNotFound
from tracker.store import Store, unavailable_store_reported
from tracker.views import (
    CaseView,
    MeetingView,
    TimelineEntry,
    case_view,
    meeting_view,
    timeline_entry,
)


class CaseQueries(Store):
    """Read cases and meetings as plain data."""

    def case_id(self, case: UUID | str) -> UUID:
        """The id of a case given by id or by reference (STR-2024-007)."""
        if isinstance(case, UUID):
            return case
        try:
            return UUID(case)
        except ValueError:
            pass
        code, year, number = parse_reference(case)
        register_id = CaseRegister.create_id(code, year)
        version = CaseRegister.version_numbering(number)
        with unavailable_store_reported():
            numbering = list(self.events.get(register_id, gt=version - 1, lte=version))
        if not numbering or not isinstance(numbering[0], CaseRegister.Numbered):
            raise CaseNotFound(f"no case {case}", field="reference")
        return numbering[0].case_id

    def case(self, case: UUID | str, *, on: date | None = None) -> CaseView:
        """A case's current state; deadlines judged as of ``on`` (today)."""
        aggregate = self.load(self.case_id(case), Case, CaseNotFound)
        return case_view(aggregate, on=on or self.clock())

    def case_history(self, case: UUID | str) -> list[TimelineEntry]:
        """Every event of a case in order: what, who, when."""
        case_id = self.case_id(case)
        with unavailable_store_reported():
            events = list(self.events.get(case_id))
        if not events or not isinstance(events[0], Case.Submitted):
            raise CaseNotFound(f"no case {case}")
        return [timeline_entry(e) for e in events if isinstance(e, Case.Event)]

    def meeting(self, meeting_id: UUID) -> MeetingView:
        """A meeting's attendance, agenda and minutes."""
        return meeting_view(self.load(meeting_id, Meeting, MeetingNotFound))

    def case_ids(self) -> list[UUID]:
        """Every case, by municipality and year, in reference order."""
        registers: list[tuple[str, int, UUID]] = []
        for register_id in self.originators(get_topic(CaseRegister.Opened)):
            with unavailable_store_reported():
                opened = next(iter(self.events.get(register_id, lte=1)))
            if isinstance(opened, CaseRegister.Opened):
                registers.append((opened.municipality, opened.year, register_id))
        return [
            numbering.case_id
            for _, _, register_id in sorted(registers)
            for numbering in self._numberings(register_id)
        ]

    def _numberings(self, register_id: UUID) -> Iterator[CaseRegister.Numbered]:
        with unavailable_store_reported():
            events = list(self.events.get(register_id, gt=1))
        return (e for e in events if isinstance(e, CaseRegister.Numbered))

    def meeting_ids(self) -> list[UUID]:
        """Every meeting, in the order they were recorded."""
        return list(self.originators(get_topic(Meeting.Held)))

    def cases(self, *, on: date | None = None) -> list[CaseView]:
        """Every case's current state (replaces nothing the projections will do)."""
        return [self.case(case_id, on=on) for case_id in self.case_ids()]
