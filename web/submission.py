"""Logging a new case, alone or at a meeting."""

from __future__ import annotations

from uuid import UUID

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from domain.errors import DomainError
from tracker.errors import MeetingNotFound
from tracker.views import MeetingView
from web import access
from web.case_forms import NewCaseForm
from web.form_base import required_day
from web.i18n import municipality_name
from web.refusals import put_error, refused_status
from web.services import services


def _meeting(text: str | None) -> MeetingView | None:
    """The meeting a case is raised at, if one is named and may be seen."""
    if not text:
        return None
    try:
        meeting = services().tracker.meeting(UUID(hex=text))
    except (ValueError, MeetingNotFound):
        return None
    return meeting if access.sees(meeting.municipality) else None


def submit_page() -> ResponseReturnValue:
    """The new-case form; on success, the new case's page."""
    form = NewCaseForm()
    form.offer(
        [(code, municipality_name(code)) for code in access.visible_municipalities()]
    )
    meeting = _meeting(form.meeting.data or request.args.get("meeting"))
    if not form.is_submitted():
        form.raised_on.data = meeting.held_on if meeting else services().today()
        if meeting:
            form.municipality.data = meeting.municipality
            form.meeting.data = meeting.meeting_id.hex
        elif len(form.municipality.choices or ()) == 1:
            form.municipality.data = form.municipality.choices[0][0]  # type: ignore[index]
    refused: DomainError | None = None
    if form.validate_on_submit():
        try:
            submitted = services().tracker.submit_case(
                actor=current_user.username,
                municipality=form.municipality.data,
                title=form.title.data or "",
                description=form.description.data or "",
                category=form.category.data,
                communities=list(form.communities.data or ()),
                raised_on=required_day(form.raised_on),
                language=form.language.data,
                meeting_id=meeting.meeting_id if meeting else None,
                location=form.location.data or None,
                submitter=_submitter(form),
            )
        except DomainError as error:
            put_error(form, error)
            refused = error
        else:
            flash(_l("Case %(reference)s was logged.", reference=submitted.reference))
            if meeting:
                return redirect(
                    url_for("meetings.meeting", meeting_id=meeting.meeting_id.hex)
                )
            return redirect(url_for("cases.case", reference=submitted.reference))
    status = refused_status(refused) if form.is_submitted() else 200
    return render_template("cases/new.html", form=form, meeting=meeting), status


def _submitter(form: NewCaseForm) -> dict[str, str] | None:
    found = {
        key: value.strip()
        for key, value in (
            ("name", form.submitter_name.data or ""),
            ("contact", form.submitter_contact.data or ""),
        )
        if value.strip()
    }
    return found or None
