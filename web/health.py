"""/healthz: can this worker reach the store, and how far behind are the views.

Load balancers and orchestrators poll it every few seconds, without signing
in, so it is cheap: it reads the head of the event log and each view's
position, and never catches the views up (catching up is what a query or
``tracker projections run`` does). It answers JSON:

- 200 ``{"status": "ok", "store": "reachable", "head": …, "max_lag": …,
  "views": {name: {"position": …, "lag": …}}}``;
- 503 ``{"status": "unavailable", "reason": …}`` when the event store or the
  views database does not answer. The reason says which, never the
  database's own message (host names, file paths): that goes to the log.

A large lag does not, by default, make the answer 503. Every query catches
the views up before it reads (read-your-writes), so a lag never serves stale
figures: it only makes the next queries slower, and says the projection
worker is stopped or behind. And the lag belongs to the store, not to this
worker: a balancer that took workers out for it would take every worker out
at once, turning a slow page into no page. Lag is for alerting (see
``tracker_view_lag_events`` in /metrics). Where a deployment wants it
anyway (a readiness probe of the projection worker, say), setting
``TRACKER_HEALTH_MAX_LAG`` to a number of events makes a lag above it 503
``{"status": "lagging", …}``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Flask, Response, current_app, jsonify

from domain.errors import InvalidValue
from projections.views import Views, ViewStatus
from tracker.errors import StoreUnavailable
from web.services import services

MAX_LAG = "TRACKER_HEALTH_MAX_LAG"
STORE_UNREACHABLE = "the event store is unreachable"
VIEWS_UNREACHABLE = "the views database is unreachable"

health = Blueprint("health", __name__)


class Unreachable(Exception):
    """The event store or the views database did not answer."""


@dataclass(frozen=True)
class Standing:
    """Where the event log and each view stand, read without catching up."""

    head: int
    views: tuple[ViewStatus, ...]

    @property
    def max_lag(self) -> int:
        """The lag of the view furthest behind."""
        return max((view.lag for view in self.views), default=0)


def standing(views: Views) -> Standing:
    """Read the head and the views' positions; `Unreachable` says which failed."""
    try:
        head = views.head()
    except StoreUnavailable as error:
        raise Unreachable(STORE_UNREACHABLE) from error
    try:
        status = tuple(views.status())
    except StoreUnavailable as error:
        # The event store answered just now: the views database did not.
        raise Unreachable(VIEWS_UNREACHABLE) from error
    return Standing(max((view.head for view in status), default=head), status)


@health.get("/healthz")
def healthz() -> Response:
    """Whether the store answers, and each view's lag (503 when it does not)."""
    try:
        found = standing(services().views)
    except Unreachable as error:
        current_app.logger.warning("/healthz: %s (%s)", error, error.__cause__)
        return _answer({"status": "unavailable", "reason": str(error)}, 503)
    body: dict[str, Any] = {
        "status": "ok",
        "store": "reachable",
        "head": found.head,
        "max_lag": found.max_lag,
        "views": {v.name: {"position": v.position, "lag": v.lag} for v in found.views},
    }
    limit: int | None = current_app.config[MAX_LAG]
    if limit is not None and found.max_lag > limit:
        reason = f"a view is {found.max_lag} events behind (more than {limit})"
        return _answer(body | {"status": "lagging", "reason": reason}, 503)
    return _answer(body, 200)


def _answer(body: dict[str, Any], status: int) -> Response:
    answer = jsonify(body)
    answer.status_code = status
    answer.headers["Cache-Control"] = "no-store"
    return answer


def max_lag(value: object) -> int | None:
    """The lag allowed before /healthz answers 503: unset means any lag."""
    if value is None or value == "":
        return None
    text = str(value).strip()
    if not text.isdigit():
        raise InvalidValue(f"{MAX_LAG} must be a whole number of events", field=MAX_LAG)
    return int(text)


def init_app(app: Flask) -> None:
    """Serve /healthz; the lag limit from the config, else the environment."""
    app.config[MAX_LAG] = max_lag(app.config.get(MAX_LAG, os.environ.get(MAX_LAG)))
    app.register_blueprint(health)
