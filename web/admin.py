"""For admins: accounts (create, grant roles, set where emails go, disable, end
sessions, reset a second factor) and the reference data. Every change is on
the account's record; all but the email address are on the audit log too."""

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

from domain.account import DEFAULT_LANGUAGE, ROLES
from domain.errors import DomainError
from domain.reference import (
    CATEGORIES,
    COMMUNITIES,
    INSTITUTION_KINDS,
    MUNICIPALITIES,
)
from tracker.accounts import AccountNotFound, AccountView
from web import access
from web.audit import client_address
from web.auth import end_sessions
from web.form_base import Form, MultiCheckboxField
from web.i18n import LANGUAGES, municipality_name
from web.labels import choices
from web.messages import message_for
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


def _email_field() -> StringField:
    return StringField(
        _l("Email for deadline reminders (empty: none)"),
        validators=[Length(max=254)],
        render_kw={"type": "email", "autocomplete": "off"},
    )


def _language_field() -> SelectField:
    # Each language named in itself, as the switcher names them.
    return SelectField(
        _l("Language of the emails"),
        choices=dict(LANGUAGES),
        default=DEFAULT_LANGUAGE,
    )


class EmailForm(Form):
    """Where an account's emails go, and the language they are written in."""

    email = _email_field()
    language = _language_field()

    @staticmethod
    def sent() -> bool:
        """Whether this request sends this form (not another of the page)."""
        return request.method == "POST" and "email" in request.form


class NewAccountForm(AccessForm):
    """A new account."""

    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=40)])
    password = PasswordField(
        _l("Password (at least 12 characters)"),
        validators=[DataRequired(), Length(max=1024)],
    )
    email = _email_field()
    language = _language_field()


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
                email=form.email.data or "",
                language=form.language.data or DEFAULT_LANGUAGE,
                address=client_address(),
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
    """One account: change its role and municipalities, its email, or disable it."""
    found = _account(account_id)
    if EmailForm.sent():
        return _change_email(found)
    form = _access_form(found, sent=request.method == "POST")
    if form.validate_on_submit():
        try:
            services().tracker.change_access(
                found.account_id, actor=current_user.username, role=form.role.data,
                municipalities=list(form.municipalities.data or ()),
                address=client_address(),
            )  # fmt: skip
        except DomainError as error:
            put_error(form, error)
        else:
            _forget_sessions(found)
            flash(_l("The role was changed; it is on the record."))
            return redirect(url_for("admin.accounts"))
    return _account_page(found, form, DisableForm(formdata=None))


def _access_form(found: AccountView, *, sent: bool) -> AccessForm:
    """The role form: as sent, else showing the account's current access."""
    current = {"role": found.role, "municipalities": list(found.municipalities)}
    form = AccessForm(data=current) if sent else AccessForm(formdata=None, data=current)
    form.offer()
    return form


def _change_email(found: AccountView) -> ResponseReturnValue:
    """Send the account's emails to the address sent (empty: none)."""
    form = _email_form(found, sent=True)
    if form.validate_on_submit():
        try:
            services().tracker.change_email(
                found.account_id, actor=current_user.username,
                email=form.email.data or "", language=form.language.data or None,
                address=client_address(),
            )  # fmt: skip
        except DomainError as error:
            put_error(form, error)
        else:
            _forget_sessions(found)  # the change ended them, as every change does
            flash(_l("The email for reminders was changed; it is on the record."))
            return redirect(url_for("admin.account", account_id=found.account_id.hex))
    access = _access_form(found, sent=False)
    return _account_page(found, access, DisableForm(formdata=None), form)


def _email_form(found: AccountView, *, sent: bool) -> EmailForm:
    """The email form: as sent, else showing the account's address and language."""
    current = {"email": found.email, "language": found.language}
    return EmailForm(data=current) if sent else EmailForm(formdata=None, data=current)


def _account_page(
    found: AccountView,
    form: AccessForm,
    disable: DisableForm,
    email: EmailForm | None = None,
) -> ResponseReturnValue:
    email = email or _email_form(found, sent=False)
    history = services().tracker.account_history(found.account_id)
    status = 422 if form.errors or disable.errors or email.errors else 200
    return (
        render_template(
            "admin/account.html", account=found, form=form, disable=disable,
            email=email, history=history,
            sessions=services().sessions.count(found.account_id),
        ),
        status,
    )  # fmt: skip


def _forget_sessions(found: AccountView) -> None:
    """Remove an account's sessions from the store (they ended with the change)."""
    services().sessions.store.end_account(found.account_id)


@admin.route("/accounts/<account_id>/disable", methods=["POST"])
@access.requires(access.ACCOUNTS)
def disable(account_id: str) -> ResponseReturnValue:
    """Disable an account (its sessions end) or enable it again."""
    found = _account(account_id)
    tracker = services().tracker
    if found.disabled:
        tracker.enable_account(
            found.account_id, actor=current_user.username, address=client_address()
        )
        flash(_l("The account can sign in again."))
        return redirect(url_for("admin.account", account_id=account_id))
    form = DisableForm()
    if form.validate():
        tracker.disable_account(
            found.account_id, actor=current_user.username,
            reason=form.reason.data or "", address=client_address(),
        )  # fmt: skip
        _forget_sessions(found)
        flash(_l("The account was disabled."))
        return redirect(url_for("admin.account", account_id=account_id))
    return _account_page(found, _access_form(found, sent=False), form)


@admin.route("/accounts/<account_id>/sign-out", methods=["POST"])
@access.requires(access.ACCOUNTS)
def sign_out_everywhere(account_id: str) -> ResponseReturnValue:
    """End every session of an account at once (a lost phone, a shared computer)."""
    found = _account(account_id)
    ended = end_sessions(found)
    flash(_l("Every session of the account was ended (%(count)s).", count=ended))
    return redirect(url_for("admin.account", account_id=account_id))


@admin.route("/accounts/<account_id>/second-factor", methods=["POST"])
@access.requires(access.ACCOUNTS)
def reset_second_factor(account_id: str) -> ResponseReturnValue:
    """Forget an account's second factor: its next sign-in sets up a new one."""
    found = _account(account_id)
    try:
        services().tracker.reset_second_factor(
            found.account_id, actor=current_user.username, address=client_address()
        )
    except DomainError as error:
        flash(message_for(error))
    else:
        _forget_sessions(found)
        flash(_l("The second factor was reset; the account's sessions ended."))
    return redirect(url_for("admin.account", account_id=account_id))


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
