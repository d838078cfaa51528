"""/metrics: counts for Prometheus — requests, latency, events, the views' lag.

Requests are counted by method, route and status, and timed by route. The
route is the URL rule (``/cases/<reference>``), never the path, so there is
one series per page and not one per case; a path no rule matches counts as
``<unmatched>``, a method no route takes as ``OTHER``. The head of the event
log (events recorded) and each view's lag are read from the store when
Prometheus scrapes, without catching the views up.

Under gunicorn each worker is a process with counts of its own.
`web.serve` names a folder in ``PROMETHEUS_MULTIPROC_DIR`` before the
workers fork (and before anything imports prometheus_client, which reads it
on import); every worker then keeps its counts in files there, and /metrics
from any worker adds up every worker's (prometheus_client's multiprocess
mode). In one process (tests, ``flask run``) the app's own registry is read.

What it shows is counts, routes and view names: nothing about a case or a
person. Where the server can be reached from beyond the network that
scrapes it, set ``TRACKER_METRICS_TOKEN``: /metrics then answers only
requests with ``Authorization: Bearer <token>`` (Prometheus's
``authorization`` setting sends it).
"""

from __future__ import annotations

import hmac
import os
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from flask import Blueprint, Flask, Response, current_app, request
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.exposition import choose_encoder
from prometheus_client.metrics_core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    Metric,
)
from prometheus_client.multiprocess import MultiProcessCollector

from projections.views import Views
from web.health import Unreachable, standing
from web.serve import MULTIPROCESS_DIR

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

BEARER_SETTING = "TRACKER_METRICS_TOKEN"
UNMATCHED = "<unmatched>"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
# Where the request's route is left for the middleware, which runs outside Flask.
_ROUTE = "cfpi.metrics.route"

metrics = Blueprint("metrics", __name__)


@dataclass(frozen=True)
class RequestMetrics:
    """What each worker counts of the requests it answers."""

    requests: Counter
    latency: Histogram
    workers: Gauge

    @classmethod
    def made(cls, registry: CollectorRegistry) -> RequestMetrics:
        """The metrics, registered with this app's registry."""
        return cls(
            Counter(
                "tracker_http_requests",
                "HTTP requests answered, by method, route and status.",
                ("method", "route", "status"),
                registry=registry,
            ),
            Histogram(
                "tracker_http_request_duration_seconds",
                "Seconds from receiving a request to starting its answer, by route.",
                ("route",),
                registry=registry,
            ),
            Gauge(
                "tracker_web_workers",
                "Web worker processes serving now.",
                registry=registry,
                multiprocess_mode="livesum",
            ),
        )


class Measured:
    """WSGI middleware: counts and times every answer of the app it wraps."""

    def __init__(self, wsgi_app: WSGIApplication, measures: RequestMetrics) -> None:
        self.wsgi_app = wsgi_app
        self.measures = measures

    def __call__(
        self, environ: WSGIEnvironment, start_response: StartResponse
    ) -> Iterable[bytes]:
        """Answer the request, then count it (even when answering failed)."""
        started = time.perf_counter()
        status = "500"

        def starting(line: str, headers: Any, *error: Any) -> Any:
            nonlocal status
            status = line.split(" ", 1)[0]
            return start_response(line, headers, *error)

        try:
            return self.wsgi_app(environ, starting)
        finally:
            method = environ.get("REQUEST_METHOD", "")
            route = environ.get(_ROUTE, UNMATCHED)
            self.measures.requests.labels(
                method if method in METHODS else "OTHER", route, status
            ).inc()
            self.measures.latency.labels(route).observe(time.perf_counter() - started)


class StoreMetrics:
    """The event log's head and each view's lag, read when Prometheus scrapes."""

    def __init__(self, views: Views) -> None:
        self.views = views

    def collect(self) -> Iterator[Metric]:
        """``tracker_store_up``, and while it is 1, events and lag per view."""
        up = GaugeMetricFamily(
            "tracker_store_up", "1 when the event store and views answered, else 0."
        )
        try:
            found = standing(self.views)
        except Unreachable:
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield CounterMetricFamily(
            "tracker_events_recorded",
            "Events recorded: the position of the newest event in the log.",
            value=found.head,
        )
        lag = GaugeMetricFamily(
            "tracker_view_lag_events",
            "Events recorded that a view has not applied yet.",
            labels=["view"],
        )
        for view in found.views:
            lag.add_metric([view.name], view.lag)
        yield lag


@metrics.get("/metrics")
def exposition() -> Response:
    """Every metric, in the format the scraper asks for (Prometheus text)."""
    token: str | None = current_app.config[BEARER_SETTING]
    if token and not _bearer_is(token):
        return Response(
            "a bearer token is needed\n",
            401,
            {"WWW-Authenticate": 'Bearer realm="metrics"', "Cache-Control": "no-store"},
            mimetype="text/plain",
        )
    registry: CollectorRegistry = current_app.extensions["cfpi.metrics"]
    encode, content_type = choose_encoder(request.headers.get("Accept", ""))
    return Response(
        encode(registry),
        headers={"Cache-Control": "no-store"},
        content_type=content_type,
    )


def _bearer_is(token: str) -> bool:
    scheme, _, presented = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(
        presented.strip().encode(), token.encode()
    )


def init_app(app: Flask, views: Views) -> None:
    """Count and time every request; serve /metrics (for every worker's counts)."""
    app.config[BEARER_SETTING] = (
        app.config.get(BEARER_SETTING, os.environ.get(BEARER_SETTING)) or None
    )
    own = CollectorRegistry()
    measures = RequestMetrics.made(own)
    measures.workers.set(1)
    exposed = own
    if os.environ.get(MULTIPROCESS_DIR):
        exposed = CollectorRegistry()
        MultiProcessCollector(exposed)  # type: ignore[no-untyped-call]
    exposed.register(StoreMetrics(views))
    app.extensions["cfpi.metrics"] = exposed
    app.wsgi_app = Measured(app.wsgi_app, measures)  # type: ignore[method-assign]
    app.teardown_request(_remember_route)
    app.register_blueprint(metrics)


def _remember_route(_error: BaseException | None) -> None:
    """Leave the URL rule where the middleware finds it after Flask is done."""
    if request.url_rule is not None:
        request.environ[_ROUTE] = request.url_rule.rule
