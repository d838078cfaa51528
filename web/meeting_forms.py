"""Meeting forms: the meeting itself, its attendance grid, agenda and minutes."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
)

from domain.meeting import AttendanceRow
from domain.reference import COMMUNITIES, GENDERS
from web.form_base import Count, Form
from web.labels import label

MAX_ATTENDANCE = 10_000


def cell_name(gender: str, community: str) -> str:
    """The grid input for one gender and one community."""
    return f"attendance_{gender}_{community}"


class AttendanceForm(Form):
    """How many came, by gender × community; an empty cell is none."""

    def rows(self) -> list[AttendanceRow]:
        """The grid as the domain takes it."""
        return [
            {"gender": g, "community": c, "count": self[cell_name(g, c)].data or 0}
            for g in GENDERS
            for c in COMMUNITIES
        ]

    def fill(self, counted: dict[tuple[str, str], int]) -> None:
        """Show the counts recorded so far."""
        for (gender, community), count in counted.items():
            self[cell_name(gender, community)].data = count

    def cell_label(self, gender: str, community: str) -> str:
        """What a screen reader says for one cell."""
        return f"{label('genders', gender)}, {label('communities', community)}"


for _gender in GENDERS:
    for _community in COMMUNITIES:
        setattr(
            AttendanceForm,
            cell_name(_gender, _community),
            Count(validators=[Optional(), NumberRange(0, MAX_ATTENDANCE)]),
        )


class MeetingForm(AttendanceForm):
    """A forum meeting: where, when, and who came."""

    municipality = SelectField(_l("Municipality"), validators=[DataRequired()])
    held_on = DateField(_l("Held on"), validators=[InputRequired()])
    place = StringField(_l("Place"), validators=[DataRequired(), Length(max=200)])


class AgendaForm(Form):
    """An existing case put on the meeting's agenda."""

    reference = StringField(
        _l("Case reference (e.g. GRA-2026-004)"),
        validators=[DataRequired(), Length(max=40)],
    )


class MinutesForm(Form):
    """The meeting's minutes."""

    minutes = TextAreaField(
        _l("Minutes"), validators=[DataRequired(), Length(max=20_000)]
    )
