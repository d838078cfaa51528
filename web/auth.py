"""Signing in and out (Flask-Login over server-side sessions), one's own sessions.

Who is signed in is kept in the server-side session (`web.sessions`), never
in the cookie, and nothing else signs anyone in: there is no remember-me
cookie. Signing out ends the session on the server, so a copy of the old
cookie opens nothing.
"""

from __future__ import annotations

from flask import Blueprint, Flask, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user, login_required, logout_user
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from tracker.accounts import AccountView
from web import sign_in
from web.audit import record, tried
from web.form_base import Form
from web.paths import local_path
from web.services import services
from web.sessions import current_session, fresh_session

blueprint = Blueprint("auth", __name__)


class SignInForm(Form):
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
        username = form.username.data or ""
        account = services().tracker.sign_in(username, form.password.data or "")
        if account is not None:
            next_path = local_path(request.args.get("next"), url_for("dashboard.home"))
            return sign_in.begin(account, next_path)
        record(
            "sign_in_failed", actor=tried(username), reason="password", through="web"
        )
        form.password.errors = [_l("The username or password is not right.")]
    status = 401 if form.is_submitted() else 200
    return render_template("auth/login.html", form=form), status


@blueprint.route("/logout", methods=["POST"])
def logout() -> ResponseReturnValue:
    """Sign out (a POST, so a link elsewhere cannot sign anyone out)."""
    if current_user.is_authenticated:
        record("signed_out", actor=current_user.username)
    logout_user()
    fresh_session()  # the server forgets the session; its cookie opens nothing
    flash(_l("You are signed out."))
    return redirect(url_for("auth.login"))


@blueprint.route("/account/sessions", methods=["GET", "POST"])
@login_required
def own_sessions() -> ResponseReturnValue:
    """How many browsers one is signed in on; signing out the others."""
    account: AccountView = current_user.account
    if request.method == "POST":
        ended = end_sessions(account, keep=current_session().digest)
        flash(_l("Your other sessions were ended (%(count)s).", count=ended))
        return redirect(url_for("auth.own_sessions"))
    settings = services().settings
    return render_template(
        "auth/sessions.html",
        sessions=services().sessions.count(account.account_id),
        idle=settings.session_idle_minutes,
        hours=settings.session_max_hours,
    )


def end_sessions(account: AccountView, *, keep: str | None = None) -> int:
    """End an account's sessions (all but `keep`) at once, on the audit log."""
    ended = services().sessions.store.end_account(account.account_id, keep=keep)
    record(
        "sessions_ended",
        actor=current_user.username,
        account=account.username,
        sessions=str(ended),
        which="others" if keep else "all",
    )
    return ended


def init_app(app: Flask) -> None:
    """Flask-Login, reading only the server-side session."""
    manager = LoginManager(app)
    manager.login_view = "auth.login"
    manager.login_message = _l("Please sign in to see this page.")
    manager.user_loader(sign_in.signed_in_account)
