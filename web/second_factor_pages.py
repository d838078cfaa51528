"""The second step of signing in: a code from an authenticator app, or setting one up.

Reached only from a pending sign-in (`web.sign_in`): the password was right
and the server-side session names the account, but nobody is signed in
yet. A wrong code counts, like a wrong password, toward the address's limit
and the account's lockout (`web.limits`), and is on the audit log.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import DataRequired, Regexp

from domain.errors import DomainError
from tracker.accounts import AccountView
from tracker.second_factor import provisioning_uri
from web import sign_in
from web.audit import client_address, record
from web.form_base import Form
from web.refusals import put_error
from web.services import services

second_factor = Blueprint("second_factor", __name__, url_prefix="/login")

WRONG_CODE = _l("The code is not right, or was used already. Wait for the next one.")


class CodeForm(Form):
    """The six digits an authenticator app shows."""

    code = StringField(
        _l("Code from your authenticator app"),
        validators=[
            DataRequired(),
            Regexp(
                r"^\s*[0-9]{6}\s*$", message=_l("Enter the 6 digits the app shows.")
            ),
        ],
        render_kw={
            "inputmode": "numeric",
            "autocomplete": "one-time-code",
            "maxlength": 8,
        },
    )

    @property
    def typed(self) -> str:
        """The code without the spaces a person may type around it."""
        return (self.code.data or "").strip()


def _start_again() -> ResponseReturnValue:
    flash(_l("Sign in again: the sign-in was not finished in time."))
    return redirect(url_for("auth.login"))


@second_factor.route("/code", methods=["GET", "POST"])
def code() -> ResponseReturnValue:
    """The code of an account that has a second factor."""
    account = sign_in.pending_account()
    if account is None:
        return _start_again()
    if not account.second_factor:
        return redirect(url_for("second_factor.enrol"))
    form = CodeForm()
    if form.validate_on_submit():
        try:
            right = services().second_factors.check(account, form.typed)
        except DomainError as error:
            put_error(form, error)
            return render_template("auth/code.html", form=form), 409
        if right:
            return _signed_in(account)
    return _refused(form, account, "auth/code.html")


@second_factor.route("/second-factor", methods=["GET", "POST"])
def enrol() -> ResponseReturnValue:
    """Setting up a second factor: the secret for the app, then its first code."""
    account = sign_in.pending_account()
    if account is None:
        return _start_again()
    if account.second_factor:
        return redirect(url_for("second_factor.code"))
    factors = services().second_factors
    waiting = sign_in.pending() or {}
    sealed = waiting.get("enrolment")
    if not sealed:
        sealed = factors.start_enrolment(account.account_id)
        sign_in.keep_pending(enrolment=sealed)
    form = CodeForm()
    if form.validate_on_submit() and factors.enrol(
        account, sealed, form.typed, address=client_address()
    ):
        return _signed_in(services().tracker.account(account.account_id))
    secret = factors.secret(sealed, account.account_id)
    return _refused(
        form,
        account,
        "auth/enrol.html",
        secret=" ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        uri=provisioning_uri(secret, account.username),
    )


def _signed_in(account: AccountView) -> ResponseReturnValue:
    waiting = sign_in.pending() or {}
    next_path = str(waiting.get("next") or url_for("dashboard.home"))
    return sign_in.complete(account, next_path, second_factor=True)


def _refused(
    form: CodeForm, account: AccountView, template: str, **shown: str
) -> ResponseReturnValue:
    """The page again; after a code was sent, with why it was refused (401)."""
    if not form.is_submitted():
        return render_template(template, form=form, **shown)
    if not form.errors:
        form.code.errors = [WRONG_CODE]
    record("sign_in_failed", actor=account.username, reason="code", through="web")
    return render_template(template, form=form, **shown), 401
