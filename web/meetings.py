"""Meetings: the list, recording one with its attendance, its agenda and minutes."""

from __future__ import annotations

from uuid import UUID

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from domain.errors import DomainError
from domain.reference import COMMUNITIES, GENDERS
from projections.meetings import find_meetings, meeting_detail
from tracker.errors import MeetingNotFound
from tracker.views import MeetingView
from web import access
from web.form_base import required_day
from web.i18n import municipality_name
from web.meeting_forms import AgendaForm, AttendanceForm, MeetingForm, MinutesForm
from web.refusals import put_error, refused_status
from web.services import services

meetings = Blueprint("meetings", __name__, url_prefix="/meetings")


@meetings.route("")
@login_required
def meeting_list() -> ResponseReturnValue:
    """The meetings the person may see, latest first."""
    page = request.args.get("page", 1, type=int) or 1
    with services().views.reading() as c:
        found = find_meetings(c, municipalities=access.limited_to(), page=page)
    return render_template("meetings/list.html", found=found)


@meetings.route("/new", methods=["GET", "POST"])
@access.requires(access.MEET)
def new_meeting() -> ResponseReturnValue:
    """Record a meeting and its attendance."""
    form = MeetingForm()
    form.municipality.choices = [
        (code, municipality_name(code)) for code in access.visible_municipalities()
    ]
    if not form.is_submitted():
        form.held_on.data = services().today()
    refused: DomainError | None = None
    if form.validate_on_submit():
        try:
            meeting_id = services().tracker.record_meeting(
                actor=current_user.username,
                municipality=form.municipality.data,
                held_on=required_day(form.held_on),
                place=form.place.data or "",
                attendance=form.rows(),
            )
        except DomainError as error:
            put_error(form, error)
            refused = error
        else:
            flash(_l("The meeting was recorded."))
            return redirect(url_for("meetings.meeting", meeting_id=meeting_id.hex))
    return _form_page(form, refused_status(refused) if form.is_submitted() else 200)


def _form_page(form: MeetingForm, status: int) -> ResponseReturnValue:
    return (
        render_template(
            "meetings/new.html", form=form, genders=GENDERS, communities=COMMUNITIES
        ),
        status,
    )


def _visible_meeting(meeting_id: str) -> MeetingView:
    try:
        meeting = services().tracker.meeting(UUID(hex=meeting_id))
    except (ValueError, MeetingNotFound):
        abort(404)
    access.require_municipality(meeting.municipality)
    return meeting


@meetings.route("/<meeting_id>")
@login_required
def meeting(meeting_id: str) -> ResponseReturnValue:
    """A meeting: attendance grid, agenda, minutes, and forms to add to them."""
    return _meeting_page(_visible_meeting(meeting_id))


def _meeting_page(
    meeting: MeetingView,
    attendance: AttendanceForm | None = None,
    agenda: AgendaForm | None = None,
    minutes: MinutesForm | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    counted = _counted(meeting)
    if attendance is None:
        attendance = AttendanceForm(formdata=None)
        attendance.fill(counted)
    if minutes is None:
        minutes = MinutesForm(formdata=None, minutes=meeting.minutes or "")
    with services().views.reading() as c:
        detail = meeting_detail(c, meeting.meeting_id.hex)
    return (
        render_template(
            "meetings/page.html",
            meeting=meeting,
            detail=detail,
            attendance=attendance,
            agenda=agenda or AgendaForm(formdata=None),
            minutes=minutes,
            genders=GENDERS,
            communities=COMMUNITIES,
            counted=counted,
        ),
        status,
    )


def _counted(meeting: MeetingView) -> dict[tuple[str, str], int]:
    counted: dict[tuple[str, str], int] = {}
    for key, count in meeting.attendance.items():
        gender, _, community = key.partition("/")
        counted[(gender, community)] = count
    return counted


@meetings.route("/<meeting_id>/attendance", methods=["POST"])
@access.requires(access.MEET)
def attendance(meeting_id: str) -> ResponseReturnValue:
    """Replace the attendance grid."""
    meeting = _visible_meeting(meeting_id)
    form = AttendanceForm()
    refused: DomainError | None = None
    if form.validate():
        try:
            services().tracker.count_attendance(
                meeting.meeting_id, actor=current_user.username, attendance=form.rows()
            )
        except DomainError as error:
            put_error(form, error)
            refused = error
        else:
            flash(_l("The attendance was saved."))
            return redirect(url_for("meetings.meeting", meeting_id=meeting_id))
    return _meeting_page(meeting, attendance=form, status=refused_status(refused))


@meetings.route("/<meeting_id>/agenda", methods=["POST"])
@access.requires(access.MEET)
def agenda(meeting_id: str) -> ResponseReturnValue:
    """Put an existing case on the agenda, by its reference."""
    meeting = _visible_meeting(meeting_id)
    form = AgendaForm()
    refused: DomainError | None = None
    if form.validate():
        try:
            tracker = services().tracker
            case_id = access.seen_case_id((form.reference.data or "").strip())
            tracker.discuss_case(
                meeting.meeting_id, case_id, actor=current_user.username
            )
        except DomainError as error:
            put_error(form, error)
            refused = error
        else:
            flash(_l("The case is on the agenda."))
            return redirect(url_for("meetings.meeting", meeting_id=meeting_id))
    return _meeting_page(meeting, agenda=form, status=refused_status(refused))


@meetings.route("/<meeting_id>/minutes", methods=["POST"])
@access.requires(access.MEET)
def minutes(meeting_id: str) -> ResponseReturnValue:
    """Record the meeting's minutes."""
    meeting = _visible_meeting(meeting_id)
    form = MinutesForm()
    refused: DomainError | None = None
    if form.validate():
        try:
            services().tracker.record_minutes(
                meeting.meeting_id,
                actor=current_user.username,
                minutes=form.minutes.data or "",
            )
        except DomainError as error:
            put_error(form, error)
            refused = error
        else:
            flash(_l("The minutes were saved."))
            return redirect(url_for("meetings.meeting", meeting_id=meeting_id))
    return _meeting_page(meeting, minutes=form, status=refused_status(refused))
