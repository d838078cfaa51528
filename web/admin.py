"""For admins: accounts (create, grant roles, disable) and the reference data."""

from __future__ import annotations

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
from wtforms import PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from domain.account import ROLES
from domain.errors import DomainError
from domain.reference import (
    CATEGORIES,
    COMMUNITIES,
    INSTITUTION_KINDS,
    MUNICIPALITIES,
)
from tracker.accounts import AccountNotFound, AccountView
from web import access
from web.form_base import Form, MultiCheckboxField
from web.i18n import municipality_name
from web.labels import choices
from web.refusals import put_error
from web.services import services

admin = Blueprint("admin", __name__, url_prefix="/admin")


class AccessForm(Form):
    """A role and the municipalities it is limited to."""

    role = SelectField(_l("Role"))
    municipalities = MultiCheckboxField(
        _l("Municipalities (none: all; a secretary needs at least one)")
    )

    def offer(self) -> None:
        self.role.choices = choices("roles", ROLES)
        self.municipalities.choices = [
            (m.code, municipality_name(m.code)) for m in MUNICIPALITIES
        ]


class NewAccountForm(AccessForm):
    """A new account."""

    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=40)])
    password = PasswordField(
        _l("Password (at least 12 characters)"),
        validators=[DataRequired(), Length(max=1024)],
    )


class DisableForm(Form):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=2000)])


@admin.route("/accounts", methods=["GET", "POST"])
@access.requires(access.ACCOUNTS)
def accounts() -> ResponseReturnValue:
    """Every account, and a form to create one."""
    form = NewAccountForm()
    form.offer()
    if form.validate_on_submit():
        try:
            services().tracker.create_account(
                actor=current_user.username,
                username=form.username.data or "",
                password=form.password.data or "",
                role=form.role.data,
                municipalities=list(form.municipalities.data or ()),
            )
        except DomainError as error:
            put_error(form, error)
        else:
            flash(_l("The account was created."))
            return redirect(url_for("admin.accounts"))
    return (
        render_template(
            "admin/accounts.html", form=form, accounts=services().tracker.accounts()
        ),
        422 if form.is_submitted() else 200,
    )


def _account(account_id: str) -> AccountView:
    try:
        return services().tracker.account(UUID(hex=account_id))
    except (ValueError, AccountNotFound):
        abort(404)


@admin.route("/accounts/<account_id>", methods=["GET", "POST"])
@access.requires(access.ACCOUNTS)
def account(account_id: str) -> ResponseReturnValue:
    """One account: change its role and municipalities, or disable it."""
    found = _account(account_id)
    form = _access_form(found, sent=request.method == "POST")
    if form.validate_on_submit():
        try:
            services().tracker.change_access(
                found.account_id, actor=current_user.username, role=form.role.data,
                municipalities=list(form.municipalities.data or ()),
            )  # fmt: skip
        except DomainError as error:
            put_error(form, error)
        else:
            flash(_l("The role was changed; it is on the record."))
            return redirect(url_for("admin.accounts"))
    return _account_page(found, form, DisableForm(formdata=None))


def _access_form(found: AccountView, *, sent: bool) -> AccessForm:
    """The role form: as sent, else showing the account's current access."""
    current = {"role": found.role, "municipalities": list(found.municipalities)}
    form = AccessForm(data=current) if sent else AccessForm(formdata=None, data=current)
    form.offer()
    return form


def _account_page(
    found: AccountView, form: AccessForm, disable: DisableForm
) -> ResponseReturnValue:
    history = services().tracker.account_history(found.account_id)
    status = 422 if form.errors or disable.errors else 200
    return (
        render_template(
            "admin/account.html", account=found, form=form, disable=disable,
            history=history,
        ),
        status,
    )  # fmt: skip


@admin.route("/accounts/<account_id>/disable", methods=["POST"])
@access.requires(access.ACCOUNTS)
def disable(account_id: str) -> ResponseReturnValue:
    """Disable an account (its sessions end) or enable it again."""
    found = _account(account_id)
    tracker = services().tracker
    if found.disabled:
        tracker.enable_account(found.account_id, actor=current_user.username)
        flash(_l("The account can sign in again."))
        return redirect(url_for("admin.account", account_id=account_id))
    form = DisableForm()
    if form.validate():
        tracker.disable_account(
            found.account_id, actor=current_user.username, reason=form.reason.data or ""
        )
        flash(_l("The account was disabled."))
        return redirect(url_for("admin.account", account_id=account_id))
    return _account_page(found, _access_form(found, sent=False), form)


@admin.route("/reference")
@access.requires(access.REFERENCE)
def reference() -> ResponseReturnValue:
    """Municipalities in every language, communities, categories, deadlines."""
    return render_template(
        "admin/reference.html",
        municipalities=MUNICIPALITIES,
        communities=COMMUNITIES,
        categories=CATEGORIES,
        institution_kinds=INSTITUTION_KINDS,
        rules=services().tracker.deadline_rules,
    )
