"""The one composition root: `create_app` builds everything the web needs."""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from flask import Flask
from flask_wtf.csrf import CSRFProtect

from projections.views import open_views
from tracker.application import CaseTracker, open_tracker
from tracker.config import Settings
from tracker.second_factor import SecondFactorKey, SecondFactors
from tracker.session_store import open_session_store
from web import access, auth, health, i18n, metrics, security, sessions
from web.admin import admin
from web.api import TOKEN_EXCHANGE, init_api
from web.audit import audit
from web.cases import cases
from web.dashboard import dashboard
from web.documents import documents
from web.failures import register_failures
from web.imports import imports
from web.labels import label
from web.limits import init_limits
from web.meetings import meetings
from web.open311 import blueprint as open311
from web.paths import page_url
from web.people import people
from web.portal import portal
from web.reports.pages import reports
from web.second_factor_pages import second_factor
from web.services import Services
from web.steps import STEPS

# Uploads above this are refused before they reach a view (HTTP 413).
MAX_UPLOAD_BYTES = 10 * 1024 * 1024


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the web application; `config` overrides settings (tests use it).

    Keys beyond Flask's own: ``TRACKER_SETTINGS`` (a `Settings`, else read
    from the environment), ``TRACKER_CLOCK`` (a function giving today),
    ``TRACKER_NOW`` (a function giving the moment, in UTC: sessions and
    codes), ``TRACKER_PASSWORD_HASHER`` (an argon2 ``PasswordHasher``),
    ``TRACKER_HTTPS`` (served over HTTPS; else read from the environment).
    """
    config = dict(config or {})
    app = Flask(__name__)
    settings: Settings = config.pop("TRACKER_SETTINGS", None) or (
        Settings.from_environment()
    )
    clock = config.pop("TRACKER_CLOCK", date.today)
    now: Callable[[], datetime] = config.pop("TRACKER_NOW", _utc_now)
    tracker = open_tracker(
        settings,
        clock=clock,
        password_hasher=config.pop("TRACKER_PASSWORD_HASHER", None),
    )
    app.config.update(
        SECRET_KEY=_secret_key(settings.home),
        MAX_CONTENT_LENGTH=MAX_UPLOAD_BYTES,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        WTF_CSRF_TIME_LIMIT=None,
    )
    app.config.update(config)
    app.extensions["cfpi"] = _services(settings, tracker, clock, now)
    sessions.init_app(app, app.extensions["cfpi"].sessions)
    security.init_app(
        app, https=config.pop("TRACKER_HTTPS", None) or security.behind_https()
    )
    csrf = CSRFProtect(app)
    i18n.init_app(app)
    auth.init_app(app)
    access.init_app(app)
    for blueprint in (
        auth.blueprint, second_factor, dashboard, cases, imports, meetings,
        documents, admin, audit, open311, reports, portal, people,
    ):  # fmt: skip
        app.register_blueprint(blueprint)
    init_api(app, csrf)
    init_limits(
        app,
        sign_in=("auth.login", "second_factor.code", "second_factor.enrol"),
        token_exchange=TOKEN_EXCHANGE,
    )
    register_failures(app)
    app.jinja_env.globals.update(label=label, STEPS=STEPS, page_url=page_url)
    health.init_app(app)
    # Last: its middleware times everything the app does, the others' included.
    metrics.init_app(app, app.extensions["cfpi"].views)
    return app


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _services(
    settings: Settings,
    tracker: CaseTracker,
    clock: Callable[[], date],
    now: Callable[[], datetime],
) -> Services:
    """The tracker's views, the session store and second factors around it."""
    interface = sessions.ServerSessions(
        open_session_store(settings),
        now=now,
        idle=timedelta(minutes=settings.session_idle_minutes),
        longest=timedelta(hours=settings.session_max_hours),
    )
    factors = SecondFactors(
        tracker,
        SecondFactorKey(settings.second_factor_key_path),
        interface.store,
        now,
    )
    return Services(
        settings, tracker, open_views(tracker, settings), clock, interface, factors, now
    )


def _secret_key(home: Path) -> str:
    """The key that signs sessions: kept in TRACKER_HOME, made on first start.

    Several workers may start at once: the file is created exclusively, so
    one writes it and every other reads the same key.
    """
    path = home / "secret_key"
    home.mkdir(parents=True, exist_ok=True)
    try:
        made = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(made, "w") as kept:
            kept.write(secrets.token_hex(32))
    for _ in range(50):
        key = path.read_text().strip()
        if key:
            return key
        time.sleep(0.01)  # another worker is still writing it
    raise RuntimeError(f"{path} is empty")
