"""The meetings view: who came to each forum meeting, and which cases it took up."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from uuid import UUID

from projections.meetings import (
    AgendaCase,
    AttendanceCell,
    MeetingDetail,
    MeetingRow,
    MeetingsView,
    find_meetings,
    meeting_detail,
)
from projections.views import Views
from tests.application.builders import RAISED_ON, submit
from tests.projections.tables import dump
from tests.stores import Store
from tracker.application import CaseTracker
from tracker.views import MeetingView

SECRETARY = "secretary"


def hold(
    tracker: CaseTracker,
    held_on: date = RAISED_ON,
    municipality: str = "STR",
    attendance: list[dict[str, object]] | None = None,
) -> UUID:
    """Record a forum meeting in the community hall."""
    return tracker.record_meeting(
        actor=SECRETARY,
        municipality=municipality,
        held_on=held_on,
        place="Community hall",
        attendance=attendance,
    )


def cells(*counts: tuple[str, str, int]) -> list[dict[str, object]]:
    """An attendance grid, one (gender, community, count) per cell."""
    return [{"gender": g, "community": c, "count": n} for g, c, n in counts]


def detail(views: Views, meeting_id: UUID) -> MeetingDetail:
    """The view's detail of a meeting that exists."""
    with views.reading() as c:
        found = meeting_detail(c, meeting_id.hex)
    assert found is not None
    return found


def meetings(
    views: Views, *, municipalities: tuple[str, ...] = (), year: int | None = None
) -> list[MeetingRow]:
    """Every meeting the view lists with these filters, all pages."""
    rows: list[MeetingRow] = []
    with views.reading() as c:
        page = 1
        while True:
            found = find_meetings(
                c, municipalities=municipalities, year=year, page=page, per_page=200
            )
            rows.extend(found.rows)
            if page >= found.pages:
                return rows
            page += 1


def test_a_meeting_held_is_listed_with_its_place_and_nobody_counted_yet(
    tracker: CaseTracker, views: Views
) -> None:
    meeting_id = hold(tracker)
    assert meetings(views) == [
        MeetingRow(meeting_id.hex, "STR", RAISED_ON, "Community hall", 0, False, 0, 0)
    ]
    assert detail(views, meeting_id).attendance == ()


def test_attendance_is_counted_by_gender_and_community(
    tracker: CaseTracker, views: Views
) -> None:
    grid = cells(("female", "serb", 7), ("male", "albanian", 5), ("male", "serb", 2))
    meeting_id = hold(tracker, attendance=grid)
    shown = detail(views, meeting_id)
    assert shown.attendance == (
        AttendanceCell("female", "serb", 7),
        AttendanceCell("male", "albanian", 5),
        AttendanceCell("male", "serb", 2),
    )
    assert shown.meeting.attendance_total == 14


def test_counting_attendance_again_replaces_the_whole_grid(
    tracker: CaseTracker, views: Views
) -> None:
    grid = cells(("female", "serb", 7), ("male", "albanian", 5))
    meeting_id = hold(tracker, attendance=grid)
    views.catch_up()
    tracker.count_attendance(
        meeting_id,
        actor=SECRETARY,
        attendance=cells(("female", "roma", 3), ("male", "albanian", 4)),
    )
    shown = detail(views, meeting_id)
    assert shown.attendance == (
        AttendanceCell("female", "roma", 3),
        AttendanceCell("male", "albanian", 4),
    )
    assert shown.meeting.attendance_total == 7


def test_cases_discussed_and_raised_are_on_the_agenda_in_order(
    tracker: CaseTracker, views: Views
) -> None:
    earlier = submit(tracker, raised_on=date(2025, 1, 20))
    meeting_id = hold(tracker)
    raised = submit(tracker, meeting_id=meeting_id)
    tracker.discuss_case(meeting_id, earlier.case_id, actor=SECRETARY)
    shown = detail(views, meeting_id)
    assert shown.cases == (
        AgendaCase(raised.case_id.hex, raised.reference, raised=True),
        AgendaCase(earlier.case_id.hex, earlier.reference, raised=False),
    )
    assert (shown.meeting.cases_discussed, shown.meeting.cases_raised) == (1, 1)


def test_recorded_minutes_are_noted_but_their_text_stays_in_the_events(
    tracker: CaseTracker, views: Views
) -> None:
    meeting_id = hold(tracker)
    tracker.record_minutes(meeting_id, actor=SECRETARY, minutes="Road lights agreed.")
    assert detail(views, meeting_id).meeting.has_minutes


def test_meetings_are_filtered_by_municipality_and_year_latest_first(
    tracker: CaseTracker, views: Views
) -> None:
    hold(tracker, date(2024, 12, 31))
    hold(tracker, date(2025, 1, 1))
    hold(tracker, date(2025, 3, 3), municipality="GRA")

    def held(rows: list[MeetingRow]) -> list[tuple[str, date]]:
        return [(r.municipality, r.held_on) for r in rows]

    assert held(meetings(views, year=2025)) == [
        ("GRA", date(2025, 3, 3)),
        ("STR", date(2025, 1, 1)),
    ]
    assert held(meetings(views, municipalities=("STR",))) == [
        ("STR", date(2025, 1, 1)),
        ("STR", date(2024, 12, 31)),
    ]
    assert meetings(views, municipalities=("GRA",), year=2024) == []


def test_meetings_come_one_page_at_a_time(tracker: CaseTracker, views: Views) -> None:
    for day in (1, 2, 3):
        hold(tracker, date(2025, 2, day))
    with views.reading() as c:
        second = find_meetings(c, page=2, per_page=2)
    assert (second.total, second.pages) == (3, 2)
    assert [r.held_on.day for r in second.rows] == [1]


def test_an_unknown_meeting_has_no_detail(views: Views) -> None:
    with views.reading() as c:
        assert meeting_detail(c, "0" * 32) is None


def test_a_rebuilt_view_equals_the_one_built_event_by_event(
    tracker: CaseTracker, views: Views
) -> None:
    earlier = submit(tracker, raised_on=date(2025, 1, 20)).case_id
    meeting_id = hold(tracker, attendance=cells(("female", "serb", 4)))
    views.catch_up()
    submit(tracker, meeting_id=meeting_id)
    views.catch_up()
    tracker.discuss_case(meeting_id, earlier, actor=SECRETARY)
    views.catch_up()
    tracker.count_attendance(
        meeting_id, actor=SECRETARY, attendance=cells(("male", "serb", 6))
    )
    views.catch_up()
    tracker.record_minutes(meeting_id, actor=SECRETARY, minutes="Agreed to write.")
    hold(tracker, date(2025, 5, 5), municipality="GRA")
    views.catch_up()
    built, shown = dump(views), detail(views, meeting_id)

    assert views.rebuild("meetings") > 0
    assert dump(views) == built
    assert detail(views, meeting_id) == shown
    assert all(built[table] for table in MeetingsView.tables)


def as_recorded(meeting: MeetingView) -> tuple[object, ...]:
    """A meeting as its aggregate holds it, in the view's terms."""
    return (
        meeting.municipality, meeting.held_on, meeting.place,
        meeting.attendance, meeting.attendance_total, meeting.minutes is not None,
        [case_id.hex for case_id in meeting.cases_discussed],
        [case_id.hex for case_id in meeting.cases_raised],
    )  # fmt: skip


def as_shown(shown: MeetingDetail) -> tuple[object, ...]:
    """A meeting as the view shows it, comparable with `as_recorded`."""
    row = shown.meeting
    return (
        row.municipality, row.held_on, row.place,
        {f"{a.gender}/{a.community}": a.count for a in shown.attendance},
        row.attendance_total, row.has_minutes,
        [case.case_id for case in shown.cases if not case.raised],
        [case.case_id for case in shown.cases if case.raised],
    )  # fmt: skip


def test_every_demo_meeting_matches_the_meeting_own_record(
    store: Store, demo_tracker: CaseTracker, tmp_path: Path
) -> None:
    tracker, views = demo_tracker, store.views(demo_tracker, tmp_path / "views.sqlite3")
    meeting_ids = tracker.meeting_ids()
    with views.reading() as c:
        shown = {m: meeting_detail(c, m.hex) for m in meeting_ids}
        listed = find_meetings(c).total
    assert listed == len(meeting_ids)
    for meeting_id, found in shown.items():
        assert found is not None
        assert as_shown(found) == as_recorded(tracker.meeting(meeting_id))
