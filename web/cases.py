"""Case pages: the list with filters and search, a case with its timeline, steps."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from domain.errors import DomainError
from tracker.errors import ConcurrentChange
from tracker.views import CaseView
from web import access
from web.case_forms import StepForm
from web.case_lists import list_page
from web.case_pages import CasePage, allowed_steps, case_page, visible_case
from web.refusals import put_error, refused_status
from web.services import services
from web.steps import STEPS
from web.submission import submit_page

cases = Blueprint("cases", __name__, url_prefix="/cases")


@cases.route("")
@login_required
def case_list() -> ResponseReturnValue:
    """The cases the person may see, filtered, searched, one page at a time."""
    return render_template("cases/list.html", **list_page(request.args))


@cases.route("/new", methods=["GET", "POST"])
@access.requires(access.SUBMIT)
def new_case() -> ResponseReturnValue:
    """Log a new community issue."""
    return submit_page()


@cases.route("/<reference>")
@login_required
def case(reference: str) -> ResponseReturnValue:
    """A case: its facts, referrals, full timeline, and the steps it may take."""
    return _render(case_page(visible_case(reference)))


@cases.route("/<reference>/steps/<name>", methods=["POST"])
@login_required
def take_step(reference: str, name: str) -> ResponseReturnValue:
    """Take one step; on refusal, the page again with what was typed kept."""
    case = visible_case(reference)
    step = STEPS.get(name)
    if step is None or step.perform is None:
        abort(404)
    if not access.may(step.permission):
        abort(403)
    form = step.form()
    tracker = services().tracker
    form.offer(case, tracker)
    if step not in allowed_steps(case):
        return not_possible_now(case, name, form)
    if not form.validate():
        return refused_step(case, name, form)
    try:
        step.perform(
            tracker, case, form, current_user.username, opened_version(form, case)
        )
    except DomainError as error:
        return refused_step(case, name, form, error)
    flash(_l("Saved: %(step)s.", step=step.title))
    return redirect(url_for("cases.case", reference=case.reference))


def opened_version(form: StepForm, case: CaseView) -> int:
    """The version the form was opened on (the current one if it says none)."""
    try:
        return int(form.version.data or "")
    except ValueError:
        return case.version


def not_possible_now(case: CaseView, name: str, form: StepForm) -> ResponseReturnValue:
    """The step's form back, saying the case no longer allows the step.

    When someone changed the case since the form was opened, that is what
    the person is shown first: what changed, with their input kept.
    """
    form.form_errors.append(str(_l("This step is not possible at this stage.")))
    opened = opened_version(form, case)
    if opened != case.version:
        return _changed_meanwhile(case.reference, name, form, opened)
    return refused_step(case, name, form)


def refused_step(
    case: CaseView, name: str, form: StepForm, error: DomainError | None = None
) -> ResponseReturnValue:
    """The case page again, with the form as it was sent and why it was refused."""
    if isinstance(error, ConcurrentChange):
        return _changed_meanwhile(
            case.reference, name, form, opened_version(form, case)
        )
    if error is not None:
        put_error(form, error)
    return _render(
        case_page(case, {name: form}), open_step=name, status=refused_status(error)
    )


def _changed_meanwhile(
    reference: str, name: str, form: StepForm, version: int
) -> ResponseReturnValue:
    """Show what others recorded since the form was opened; keep the input.

    The form now carries the current version: sending it again, after
    reading what changed, takes the step on the case as it now is.
    """
    case = visible_case(reference)
    page = case_page(case, {name: form})
    page.changed_since = [e for e in page.history if e.version > version]
    form.version.data = str(case.version)
    return _render(page, open_step=name, status=409)


def _render(
    page: CasePage, open_step: str | None = None, status: int = 200
) -> ResponseReturnValue:
    return (
        render_template("cases/page.html", page=page, open_step=open_step),
        status,
    )
