"""A forum meeting: who came (gender × community), what was on the agenda."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import (
    DomainError,
    InvalidValue,
    require_choice,
    require_count,
    require_text,
)
from domain.reference import COMMUNITIES, GENDERS, municipality


class CaseAlreadyOnAgenda(DomainError):
    """A case was put on a meeting's agenda twice."""


class CaseFromOtherMunicipality(DomainError):
    """A meeting's agenda only takes cases of its own municipality."""


AttendanceRow = dict[str, object]


class Meeting(Aggregate):
    """One bi-monthly forum meeting, as an event stream."""

    class Event(Aggregate.Event):
        """Every meeting event says who recorded it; ``timestamp`` says when."""

        actor: str

    class Held(Event, Aggregate.Created):
        municipality: str
        held_on: date
        place: str

    class AttendanceCounted(Event):
        attendance: tuple[AttendanceRow, ...]

    class CaseDiscussed(Event):
        case_id: UUID
        reference: str

    class CaseRaised(Event):
        case_id: UUID
        reference: str

    class MinutesRecorded(Event):
        minutes: str

    @classmethod
    def hold(
        cls,
        *,
        meeting_id: UUID,
        actor: str,
        municipality_code: str,
        held_on: date,
        place: str,
    ) -> Meeting:
        """Record that a forum met, where and when."""
        municipality(municipality_code)
        return cls._create(
            cls.Held,
            id=meeting_id,
            actor=require_text(actor, "actor", max_length=200),
            municipality=municipality_code,
            held_on=held_on,
            place=require_text(place, "place", max_length=300),
        )

    @event(Held)
    def __init__(
        self, *, actor: str, municipality: str, held_on: date, place: str
    ) -> None:
        self.municipality = municipality
        self.held_on = held_on
        self.place = place
        self.attendance: dict[str, int] = {}
        self.cases_discussed: list[UUID] = []
        self.cases_raised: list[UUID] = []
        self.minutes: str | None = None

    def count_attendance(
        self, *, actor: str, attendance: list[AttendanceRow] | tuple[AttendanceRow, ...]
    ) -> None:
        """Replace the attendance grid with counts by gender × community."""
        self._attendance_counted(actor=actor, attendance=valid_attendance(attendance))

    @event(AttendanceCounted)
    def _attendance_counted(
        self, *, actor: str, attendance: tuple[AttendanceRow, ...]
    ) -> None:
        self.attendance = {
            f"{row['gender']}/{row['community']}": int(str(row["count"]))
            for row in attendance
        }

    def discuss_case(
        self, *, actor: str, case_id: UUID, reference: str, case_municipality: str
    ) -> None:
        """Put an existing case on the agenda."""
        self._require_on_agenda_once(case_id, case_municipality)
        self._case_discussed(actor=actor, case_id=case_id, reference=reference)

    @event(CaseDiscussed)
    def _case_discussed(self, *, actor: str, case_id: UUID, reference: str) -> None:
        self.cases_discussed.append(case_id)

    def raise_case(
        self, *, actor: str, case_id: UUID, reference: str, case_municipality: str
    ) -> None:
        """Note that a new case was raised at this meeting."""
        self._require_on_agenda_once(case_id, case_municipality)
        self._case_raised(actor=actor, case_id=case_id, reference=reference)

    @event(CaseRaised)
    def _case_raised(self, *, actor: str, case_id: UUID, reference: str) -> None:
        self.cases_raised.append(case_id)

    def record_minutes(self, *, actor: str, minutes: str) -> None:
        """Record (or replace) the minutes of the meeting."""
        self._minutes_recorded(actor=actor, minutes=require_text(minutes, "minutes"))

    @event(MinutesRecorded)
    def _minutes_recorded(self, *, actor: str, minutes: str) -> None:
        self.minutes = minutes

    @property
    def attendance_total(self) -> int:
        """Everyone counted, whatever their gender or community."""
        return sum(self.attendance.values())

    def attendance_by(self, axis: str) -> dict[str, int]:
        """Counts summed by 'gender' or by 'community'."""
        position = 0 if axis == "gender" else 1
        totals: dict[str, int] = {}
        for key, count in self.attendance.items():
            part = key.split("/")[position]
            totals[part] = totals.get(part, 0) + count
        return totals

    def _require_on_agenda_once(self, case_id: UUID, case_municipality: str) -> None:
        if case_municipality != self.municipality:
            raise CaseFromOtherMunicipality(
                "the case belongs to another municipality", field="case"
            )
        if case_id in self.cases_discussed or case_id in self.cases_raised:
            raise CaseAlreadyOnAgenda("the case is already on the agenda", field="case")


def valid_attendance(
    rows: list[AttendanceRow] | tuple[AttendanceRow, ...],
) -> tuple[AttendanceRow, ...]:
    """Known genders and communities, non-negative counts, each cell once."""
    cells: dict[tuple[str, str], int] = {}
    for row in rows:
        gender = require_choice(str(row.get("gender")), GENDERS, "attendance.gender")
        community = require_choice(
            str(row.get("community")), COMMUNITIES, "attendance.community"
        )
        count = row.get("count")
        if not isinstance(count, int):
            raise InvalidValue(
                "attendance counts must be whole numbers", field="attendance.count"
            )
        require_count(count, "attendance.count")
        if (gender, community) in cells:
            raise InvalidValue(
                f"{gender}/{community} is counted twice", field="attendance"
            )
        cells[(gender, community)] = count
    return tuple(
        {"gender": g, "community": c, "count": n}
        for (g, c), n in sorted(cells.items())
        if n > 0
    )
