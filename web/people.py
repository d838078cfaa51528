"""For admins: erasing a person's data (DESIGN §7), confirmed and with a reason.

The page names the case that holds the person's data and asks for its
reference to be typed again: the erasure cannot be undone.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from domain.errors import DomainError
from tracker.erasure import PersonNotFound
from tracker.views import CaseView
from web import access
from web.form_base import Form
from web.refusals import put_error
from web.services import services

people = Blueprint("people", __name__, url_prefix="/admin/people")


class EraseForm(Form):
    """Why, and the case reference typed again to confirm."""

    reason = TextAreaField(
        _l("Reason (kept in the case's history: write no personal data here)"),
        validators=[DataRequired(), Length(max=500)],
    )
    confirmation = StringField(
        _l("Type the case reference to confirm"),
        validators=[DataRequired(), Length(max=40)],
    )


@people.route("/<person_id>", methods=["GET", "POST"])
@access.requires(access.ERASE)
def erase(person_id: str) -> ResponseReturnValue:
    """Erase a person's data for good, after confirmation."""
    person, case = _person(person_id)
    form = EraseForm()
    if form.validate_on_submit() and _confirmed(form, case):
        try:
            services().tracker.erase_person(
                person,
                actor=current_user.username,
                reason=form.reason.data or "",
                address=request.remote_addr,
            )
        except DomainError as error:
            put_error(form, error)
        else:
            flash(_l("The person's data was erased. The case and its history stay."))
            return redirect(url_for("cases.case", reference=case.reference))
    return (
        render_template("people/erase.html", case=case, form=form),
        422 if form.is_submitted() else 200,
    )


def _person(person_id: str) -> tuple[UUID, CaseView]:
    """The person and the case holding their data; 404 if there is none."""
    tracker = services().tracker
    try:
        person = UUID(hex=person_id)
        case = tracker.case(tracker.person_holder(person))
    except (ValueError, PersonNotFound):
        abort(404)
    access.require_municipality(case.municipality)
    return person, case


def _confirmed(form: Any, case: CaseView) -> bool:
    typed = (form.confirmation.data or "").strip().upper()
    if typed == case.reference:
        return True
    form.confirmation.errors = [
        _l("Type %(reference)s to confirm.", reference=case.reference)
    ]
    return False
