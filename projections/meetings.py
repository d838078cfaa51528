"""Meetings: when and where each forum met, who came, which cases it took up.

One row per meeting, its attendance grid (gender × community, one row per
counted cell; a new count replaces the whole grid) and its agenda: the cases
discussed and the cases raised there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from domain.meeting import Meeting
from projections.datastore import Cursor
from projections.paging import PER_PAGE, Page, Where, fetch_page
from projections.view import Handler, View


class MeetingsView(View):
    """One row per meeting, with its attendance grid and its agenda."""

    name = "meetings"
    tables: ClassVar[dict[str, str]] = {
        "meetings": """
            CREATE TABLE IF NOT EXISTS meetings{s} (
                meeting_id TEXT PRIMARY KEY,
                municipality TEXT NOT NULL,
                held_on TEXT NOT NULL,
                place TEXT NOT NULL,
                attendance_total INTEGER NOT NULL DEFAULT 0,
                has_minutes INTEGER NOT NULL DEFAULT 0
            )""",
        "meeting_attendance": """
            CREATE TABLE IF NOT EXISTS meeting_attendance{s} (
                meeting_id TEXT NOT NULL,
                gender TEXT NOT NULL,
                community TEXT NOT NULL,
                count INTEGER NOT NULL,
                PRIMARY KEY (meeting_id, gender, community)
            ) WITHOUT ROWID""",
        "meeting_cases": """
            CREATE TABLE IF NOT EXISTS meeting_cases{s} (
                meeting_id TEXT NOT NULL,
                case_id TEXT NOT NULL,
                reference TEXT NOT NULL,
                raised INTEGER NOT NULL,
                -- The meeting's version when the case was put on its agenda.
                agenda_order INTEGER NOT NULL,
                PRIMARY KEY (meeting_id, case_id)
            )""",
    }
    indexes: ClassVar[dict[str, str]] = {
        "meetings_by_held": "CREATE INDEX IF NOT EXISTS meetings_by_held{s} "
        "ON meetings{s} (held_on, municipality)",
        "meetings_by_municipality": "CREATE INDEX IF NOT EXISTS "
        "meetings_by_municipality{s} ON meetings{s} (municipality, held_on)",
        "meeting_cases_by_case": "CREATE INDEX IF NOT EXISTS "
        "meeting_cases_by_case{s} ON meeting_cases{s} (case_id)",
    }
    statements: ClassVar[dict[str, str]] = {
        "held": "INSERT INTO meetings{s} (meeting_id, municipality, held_on, place) "
        "VALUES (?, ?, ?, ?)",
        "forget_attendance": "DELETE FROM meeting_attendance{s} WHERE meeting_id = ?",
        "attendance": "INSERT INTO meeting_attendance{s} VALUES (?, ?, ?, ?)",
        "attendance_total": "UPDATE meetings{s} SET attendance_total = ? "
        "WHERE meeting_id = ?",
        "on_agenda": "INSERT INTO meeting_cases{s} VALUES (?, ?, ?, ?, ?)",
        "minutes": "UPDATE meetings{s} SET has_minutes = 1 WHERE meeting_id = ?",
    }

    def handlers(self) -> dict[type[Any], Handler]:
        """The meeting events and what each writes."""
        return {
            Meeting.Held: self.held,
            Meeting.AttendanceCounted: self.attendance_counted,
            Meeting.CaseDiscussed: self.case_on_agenda,
            Meeting.CaseRaised: self.case_on_agenda,
            Meeting.MinutesRecorded: self.minutes_recorded,
        }

    def held(self, c: Cursor, e: Meeting.Held) -> None:
        """A new meeting, nobody counted yet."""
        c.execute(
            self.sql["held"],
            (e.originator_id.hex, e.municipality, e.held_on.isoformat(), e.place),
        )

    def attendance_counted(self, c: Cursor, e: Meeting.AttendanceCounted) -> None:
        """The whole grid replaced by the new count, and its total."""
        meeting_id = e.originator_id.hex
        cells = [
            (meeting_id, row["gender"], row["community"], int(str(row["count"])))
            for row in e.attendance
        ]
        c.execute(self.sql["forget_attendance"], (meeting_id,))
        c.executemany(self.sql["attendance"], cells)
        total = sum(count for *_, count in cells)
        c.execute(self.sql["attendance_total"], (total, meeting_id))

    def case_on_agenda(
        self, c: Cursor, e: Meeting.CaseDiscussed | Meeting.CaseRaised
    ) -> None:
        """A case discussed at the meeting, or raised there for the first time."""
        raised = isinstance(e, Meeting.CaseRaised)
        c.execute(
            self.sql["on_agenda"],
            (
                e.originator_id.hex,
                e.case_id.hex,
                e.reference,
                int(raised),
                e.originator_version,
            ),
        )

    def minutes_recorded(self, c: Cursor, e: Meeting.MinutesRecorded) -> None:
        """The meeting has minutes (their text stays in the event)."""
        c.execute(self.sql["minutes"], (e.originator_id.hex,))


@dataclass(frozen=True)
class MeetingRow:
    """One meeting as the list shows it."""

    meeting_id: str
    municipality: str
    held_on: date
    place: str
    attendance_total: int
    has_minutes: bool
    cases_discussed: int
    cases_raised: int


@dataclass(frozen=True)
class AttendanceCell:
    """How many of one gender and one community came."""

    gender: str
    community: str
    count: int


@dataclass(frozen=True)
class AgendaCase:
    """A case on a meeting's agenda: discussed, or raised there."""

    case_id: str
    reference: str
    raised: bool


@dataclass(frozen=True)
class MeetingDetail:
    """A meeting with its attendance grid and its agenda."""

    meeting: MeetingRow
    attendance: tuple[AttendanceCell, ...]
    cases: tuple[AgendaCase, ...]


_COLUMNS = (
    "meeting_id, municipality, held_on, place, attendance_total, has_minutes, "
    "(SELECT COUNT(*) FROM meeting_cases AS a "
    "WHERE a.meeting_id = m.meeting_id AND a.raised = 0) AS cases_discussed, "
    "(SELECT COUNT(*) FROM meeting_cases AS a "
    "WHERE a.meeting_id = m.meeting_id AND a.raised = 1) AS cases_raised"
)


def find_meetings(
    c: Cursor,
    *,
    municipalities: tuple[str, ...] = (),
    year: int | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> Page[MeetingRow]:
    """The meetings matching the filters, latest held first, one page of them."""
    where = Where()
    where.any_of("municipality", municipalities)
    if year is not None:
        where.add(
            "held_on BETWEEN ? AND ?",
            date(year, 1, 1).isoformat(),
            date(year, 12, 31).isoformat(),
        )
    rows, total, page, per_page = fetch_page(
        c, columns=_COLUMNS, source="meetings AS m", where=where,
        order="held_on DESC, municipality, meeting_id", page=page, per_page=per_page,
    )  # fmt: skip
    return Page(tuple(_meeting(r) for r in rows), total, page, per_page)


def meeting_detail(c: Cursor, meeting_id: str) -> MeetingDetail | None:
    """One meeting (id in hex) with its attendance grid and agenda, if it exists."""
    c.execute(
        f"SELECT {_COLUMNS} FROM meetings AS m WHERE meeting_id = ?",  # nosec B608
        (meeting_id,),
    )
    found = c.fetchone()
    if found is None:
        return None
    c.execute(
        "SELECT gender, community, count FROM meeting_attendance "
        "WHERE meeting_id = ? ORDER BY gender, community",
        (meeting_id,),
    )
    attendance = tuple(AttendanceCell(*r) for r in c.fetchall())
    c.execute(
        "SELECT case_id, reference, raised FROM meeting_cases "
        "WHERE meeting_id = ? ORDER BY agenda_order",
        (meeting_id,),
    )
    cases = tuple(AgendaCase(r[0], r[1], bool(r[2])) for r in c.fetchall())
    return MeetingDetail(_meeting(found), attendance, cases)


def _meeting(r: Any) -> MeetingRow:
    return MeetingRow(
        meeting_id=r["meeting_id"],
        municipality=r["municipality"],
        held_on=date.fromisoformat(r["held_on"]),
        place=r["place"],
        attendance_total=r["attendance_total"],
        has_minutes=bool(r["has_minutes"]),
        cases_discussed=r["cases_discussed"],
        cases_raised=r["cases_raised"],
    )
