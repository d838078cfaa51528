"""A forum meeting: who came, what was on the agenda, and what it refuses."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any
from uuid import UUID, uuid4

import pytest

from domain.errors import DomainError, InvalidValue, NegativeCount, UnknownMunicipality
from domain.meeting import CaseAlreadyOnAgenda, CaseFromOtherMunicipality, Meeting
from tests.domain.scenario import ACTOR, given, refused, then

HELD_ON = date(2024, 3, 4)
MeetingStep = Callable[[Meeting], object]


def hold(**overrides: Any) -> Callable[[], Meeting]:
    """Hold a forum meeting in Shtërpcë."""
    args: dict[str, Any] = {
        "meeting_id": uuid4(),
        "municipality_code": "STR",
        "held_on": HELD_ON,
        "place": "Cultural centre",
    } | overrides
    return lambda: Meeting.hold(actor=ACTOR, **args)


def count(*cells: tuple[str, str, object]) -> MeetingStep:
    """Count attendance, one (gender, community, count) per cell."""
    rows = [{"gender": g, "community": c, "count": n} for g, c, n in cells]
    return lambda meeting: meeting.count_attendance(actor=ACTOR, attendance=rows)


def discuss(case_id: UUID, municipality: str = "STR") -> MeetingStep:
    """Put an existing case on the agenda."""
    return lambda meeting: meeting.discuss_case(
        actor=ACTOR,
        case_id=case_id,
        reference="STR-2024-001",
        case_municipality=municipality,
    )


def raise_case(case_id: UUID, municipality: str = "STR") -> MeetingStep:
    """Note a new case raised at the meeting."""
    return lambda meeting: meeting.raise_case(
        actor=ACTOR,
        case_id=case_id,
        reference="STR-2024-002",
        case_municipality=municipality,
    )


# --- events -----------------------------------------------------------------


def test_held_records_where_and_when() -> None:
    meeting_id = uuid4()

    meeting = Meeting.hold(
        meeting_id=meeting_id,
        actor=ACTOR,
        municipality_code="STR",
        held_on=HELD_ON,
        place="  Cultural centre ",
    )

    [held] = then(meeting, [Meeting.Held])
    assert held.originator_id == meeting.id == meeting_id
    assert (held.municipality, held.held_on, held.place) == (
        "STR",
        HELD_ON,
        "Cultural centre",
    )
    assert meeting.attendance == {}
    assert meeting.minutes is None


def test_meeting_in_an_unknown_municipality_is_rejected() -> None:
    with pytest.raises(UnknownMunicipality) as raised:
        hold(municipality_code="XYZ")()
    assert raised.value.field == "municipality"


def test_attendance_counted_by_gender_and_community() -> None:
    meeting = given(hold())

    meeting.count_attendance(
        actor=ACTOR,
        attendance=[
            {"gender": "male", "community": "serb", "count": 7},
            {"gender": "female", "community": "serb", "count": 9},
            {"gender": "female", "community": "albanian", "count": 4},
            {"gender": "other", "community": "roma", "count": 0},
        ],
    )

    [counted] = then(meeting, [Meeting.AttendanceCounted])
    assert counted.attendance == (
        {"gender": "female", "community": "albanian", "count": 4},
        {"gender": "female", "community": "serb", "count": 9},
        {"gender": "male", "community": "serb", "count": 7},
    )
    assert meeting.attendance_total == 20
    assert meeting.attendance_by("gender") == {"female": 13, "male": 7}
    assert meeting.attendance_by("community") == {"albanian": 4, "serb": 16}


def test_attendance_counted_again_replaces_the_grid() -> None:
    meeting = given(hold(), count(("male", "serb", 7), ("female", "roma", 3)))

    count(("female", "serb", 5))(meeting)

    then(meeting, [Meeting.AttendanceCounted])
    assert meeting.attendance == {"female/serb": 5}
    assert meeting.attendance_total == 5


def test_attendance_of_zero_cells_is_dropped() -> None:
    meeting = given(hold())

    count(("male", "serb", 0), ("female", "turkish", 0))(meeting)

    [counted] = then(meeting, [Meeting.AttendanceCounted])
    assert counted.attendance == ()
    assert meeting.attendance_total == 0


def test_case_discussed_is_on_the_agenda() -> None:
    meeting, case_id = given(hold()), uuid4()

    meeting.discuss_case(
        actor=ACTOR, case_id=case_id, reference="STR-2023-014", case_municipality="STR"
    )

    [discussed] = then(meeting, [Meeting.CaseDiscussed])
    assert (discussed.case_id, discussed.reference) == (case_id, "STR-2023-014")
    assert meeting.cases_discussed == [case_id]
    assert meeting.cases_raised == []


def test_case_raised_is_on_the_agenda() -> None:
    meeting, case_id = given(hold()), uuid4()

    meeting.raise_case(
        actor=ACTOR, case_id=case_id, reference="STR-2024-002", case_municipality="STR"
    )

    [raised] = then(meeting, [Meeting.CaseRaised])
    assert (raised.case_id, raised.reference) == (case_id, "STR-2024-002")
    assert meeting.cases_raised == [case_id]
    assert meeting.cases_discussed == []


def test_minutes_recorded_and_replaced() -> None:
    meeting = given(hold())

    meeting.record_minutes(actor=ACTOR, minutes="Draft")
    meeting.record_minutes(actor=ACTOR, minutes=" Agreed to write to the mayor. ")

    [_, recorded] = then(meeting, [Meeting.MinutesRecorded, Meeting.MinutesRecorded])
    assert recorded.minutes == "Agreed to write to the mayor."
    assert meeting.minutes == "Agreed to write to the mayor."


# --- refusals ---------------------------------------------------------------


def test_negative_attendance_is_rejected() -> None:
    meeting = given(hold(), count(("male", "serb", 7)))

    error = refused(meeting, count(("female", "serb", -1)), NegativeCount)
    assert error.field == "attendance.count"


def test_attendance_past_any_real_forum_is_rejected() -> None:
    meeting = given(hold())

    error = refused(meeting, count(("male", "serb", 2**64)), InvalidValue)
    assert error.field == "attendance.count"


@pytest.mark.parametrize("value", ["3", 2.5, None, True])
def test_attendance_that_is_not_a_whole_number_is_rejected(value: object) -> None:
    meeting = given(hold())

    error = refused(meeting, count(("male", "serb", value)), DomainError)
    assert error.field == "attendance.count"


@pytest.mark.parametrize(
    ("cell", "field"),
    [
        (("man", "serb", 3), "attendance.gender"),
        (("male", "martian", 3), "attendance.community"),
    ],
)
def test_attendance_of_an_unknown_gender_or_community_is_rejected(
    cell: tuple[str, str, int], field: str
) -> None:
    meeting = given(hold())

    error = refused(meeting, count(cell), InvalidValue)
    assert error.field == field


def test_attendance_cell_counted_twice_is_rejected() -> None:
    meeting = given(hold())

    error = refused(
        meeting, count(("male", "serb", 3), ("male", "serb", 4)), DomainError
    )
    assert error.field == "attendance"


@pytest.mark.parametrize("put_on_agenda", [discuss, raise_case])
def test_case_from_another_municipality_is_rejected(
    put_on_agenda: Callable[[UUID, str], MeetingStep],
) -> None:
    meeting = given(hold(municipality_code="STR"))

    error = refused(meeting, put_on_agenda(uuid4(), "PRI"), CaseFromOtherMunicipality)
    assert error.field == "case"


@pytest.mark.parametrize("first", [discuss, raise_case])
@pytest.mark.parametrize("second", [discuss, raise_case])
def test_case_put_on_the_agenda_twice_is_rejected(
    first: Callable[[UUID], MeetingStep], second: Callable[[UUID], MeetingStep]
) -> None:
    case_id = uuid4()
    meeting = given(hold(), first(case_id))

    error = refused(meeting, second(case_id), CaseAlreadyOnAgenda)
    assert error.field == "case"


def test_empty_minutes_are_rejected() -> None:
    meeting = given(hold())

    error = refused(
        meeting, lambda m: m.record_minutes(actor=ACTOR, minutes=" "), InvalidValue
    )
    assert error.field == "minutes"
