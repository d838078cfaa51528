"""Signing in and out (Flask-Login), and who the signed-in person is."""

from __future__ import annotations

from uuid import UUID

from flask import Blueprint, Flask, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, UserMixin, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from tracker.accounts import AccountNotFound, AccountView
from web.paths import local_path
from web.services import services

blueprint = Blueprint("auth", __name__)


class SignedIn(UserMixin):
    """The person behind a request: their account, as plain values."""

    def __init__(self, account: AccountView) -> None:
        self.account = account
        self.username = account.username
        self.role = account.role
        self.municipalities = account.municipalities

    def get_id(self) -> str:
        """Flask-Login keeps the account id (and its version) in the session."""
        return f"{self.account.account_id}:{self.account.version}"

    def sees(self, municipality: str) -> bool:
        """Whether this person may see a municipality's cases and meetings."""
        return self.account.sees(municipality)


def _load(session_id: str) -> SignedIn | None:
    """The account behind a session; none once it changed or was disabled.

    The session holds the account's version: when an admin changes the role
    or disables the account, older sessions end at their next request.
    """
    account_id, _, version = session_id.partition(":")
    try:
        account = services().tracker.account(UUID(account_id))
    except (AccountNotFound, ValueError):
        return None
    if account.disabled or str(account.version) != version:
        return None
    return SignedIn(account)


class SignInForm(FlaskForm):
    """Username and password."""

    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=40)])
    password = PasswordField(
        _l("Password"), validators=[DataRequired(), Length(max=1024)]
    )


@blueprint.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    """The sign-in page."""
    form = SignInForm()
    if form.validate_on_submit():
        # Narrows a type.
        assert form.username.data is not None  # nosec B101
        # Narrows a type.
        assert form.password.data is not None  # nosec B101
        account = services().tracker.sign_in(form.username.data, form.password.data)
        if account is not None:
            login_user(SignedIn(account))
            return redirect(
                local_path(request.args.get("next"), url_for("dashboard.home"))
            )
        form.password.errors = [_l("The username or password is not right.")]
    status = 401 if form.is_submitted() else 200
    return render_template("auth/login.html", form=form), status


@blueprint.route("/logout", methods=["POST"])
def logout() -> ResponseReturnValue:
    """Sign out (a POST, so a link elsewhere cannot sign anyone out)."""
    logout_user()
    flash(_l("You are signed out."))
    return redirect(url_for("auth.login"))


def init_app(app: Flask) -> None:
    """Sessions through Flask-Login."""
    manager = LoginManager(app)
    manager.login_view = "auth.login"
    manager.login_message = _l("Please sign in to see this page.")
    manager.user_loader(_load)
