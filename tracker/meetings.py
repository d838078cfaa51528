"""Meeting commands: a forum met, who came, what was on the agenda."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from uuid import UUID, uuid4

from domain.case import Case
from domain.meeting import AttendanceRow, Meeting
from tracker.errors import CaseNotFound, MeetingNotFound
from tracker.store import Store, unavailable_store_reported


class MeetingCommands(Store):
    """What a forum secretary records about a meeting."""

    # Finding a case by id or reference is the queries' (`CaseQueries`).
    case_id: Callable[[UUID | str], UUID]

    def record_meeting(
        self,
        *,
        actor: str,
        municipality: str,
        held_on: date,
        place: str,
        attendance: list[AttendanceRow] | None = None,
        meeting_id: UUID | None = None,
        cases_discussed: list[UUID | str] | tuple[UUID | str, ...] = (),
    ) -> UUID:
        """Record a meeting, its attendance and the cases it discussed; return its id.

        All of it is saved at once: a case that cannot be on the agenda
        (unknown, another municipality's) refuses the whole meeting.
        """
        self.require_past(held_on, "held_on")
        meeting = Meeting.hold(
            meeting_id=meeting_id or uuid4(),
            actor=actor,
            municipality_code=municipality,
            held_on=held_on,
            place=place,
        )
        if attendance:
            meeting.count_attendance(actor=actor, attendance=attendance)
        for wanted in cases_discussed:
            self._put_on_agenda(meeting, wanted, actor)
        self.save_all(meeting)
        return meeting.id

    def count_attendance(
        self,
        meeting_id: UUID,
        *,
        actor: str,
        attendance: list[AttendanceRow],
        expected_version: int | None = None,
    ) -> int:
        """Replace a meeting's attendance grid (gender × community)."""
        return self.change(
            meeting_id,
            Meeting,
            MeetingNotFound,
            lambda m: m.count_attendance(actor=actor, attendance=attendance),
            expected_version,
        )

    def discuss_case(self, meeting_id: UUID, case_id: UUID, *, actor: str) -> int:
        """Put an existing case on a meeting's agenda."""
        return self.change(
            meeting_id,
            Meeting,
            MeetingNotFound,
            lambda m: self._put_on_agenda(m, case_id, actor),
        )

    def _put_on_agenda(self, meeting: Meeting, case: UUID | str, actor: str) -> None:
        """Put a case on the agenda, by what its submission recorded.

        A case's reference and municipality never change after submission,
        so only its first event is read, not its whole history.
        """
        case_id = self.case_id(case)
        with unavailable_store_reported():
            first = next(iter(self.events.get(case_id, lte=1)), None)
        if not isinstance(first, Case.Submitted):
            raise CaseNotFound(f"no case {case}", field="reference")
        meeting.discuss_case(
            actor=actor,
            case_id=case_id,
            reference=first.reference,
            case_municipality=first.municipality,
        )

    def record_minutes(self, meeting_id: UUID, *, actor: str, minutes: str) -> int:
        """Record the minutes of a meeting."""
        return self.change(
            meeting_id,
            Meeting,
            MeetingNotFound,
            lambda m: m.record_minutes(actor=actor, minutes=minutes),
        )
