"""/metrics: requests, latency, events and lag, in Prometheus's text format."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from tests.application.builders import submit
from tests.postgres import needs_postgres
from tests.web.conftest import services_of
from tests.web.prometheus_text import Scrape
from tests.web.store_outage import app_through_relay
from web.metrics import BEARER_SETTING, UNMATCHED


def requests(scrape: Scrape, method: str, route: str, status: str) -> float:
    """Requests counted for one method, route and status."""
    return scrape.value(
        "tracker_http_requests_total", method=method, route=route, status=status
    )


def test_requests_are_counted_by_method_url_rule_and_status(empty_app: Flask) -> None:
    client = empty_app.test_client()
    before = Scrape.of(client)
    for _ in range(3):
        client.get("/healthz")
    for reference in ("GRA-2026-001", "STR-2026-002"):
        client.get(f"/cases/{reference}")  # anonymous: sent to sign in
    client.get("/no/such/page")
    client.post("/healthz")
    client.open("/healthz", method="BREW")
    after = Scrape.of(client)

    healthy = requests(after, "GET", "/healthz", "200")
    assert healthy - requests(before, "GET", "/healthz", "200") == 3
    # Two cases, one series: the rule, not the path.
    assert requests(after, "GET", "/cases/<reference>", "302") == 2
    assert requests(after, "GET", UNMATCHED, "404") == 1
    assert requests(after, "POST", UNMATCHED, "405") == 1
    assert requests(after, "OTHER", UNMATCHED, "405") == 1
    assert after.labels("tracker_http_requests_total", "route") <= {
        rule.rule for rule in empty_app.url_map.iter_rules()
    } | {UNMATCHED}


def test_latency_is_a_histogram_by_route(empty_app: Flask) -> None:
    client = empty_app.test_client()
    for _ in range(4):
        client.get("/login")
    scrape = Scrape.of(client)
    count = scrape.value("tracker_http_request_duration_seconds_count", route="/login")
    assert count == 4
    assert scrape.value("tracker_http_request_duration_seconds_sum", route="/login") > 0
    everything = scrape.value(
        "tracker_http_request_duration_seconds_bucket", route="/login", le="+Inf"
    )
    assert everything == 4


def test_events_recorded_is_the_head_of_the_event_log(empty_app: Flask) -> None:
    client = empty_app.test_client()
    head = services_of(empty_app).views.head()
    assert Scrape.of(client).value("tracker_events_recorded_total") == head
    submit(services_of(empty_app).tracker)
    grown = Scrape.of(client).value("tracker_events_recorded_total")
    assert grown == services_of(empty_app).views.head() > head


def test_lag_per_view_counts_what_it_has_not_applied(empty_app: Flask) -> None:
    client = empty_app.test_client()
    views = services_of(empty_app).views
    views.catch_up()
    names = set(views.live)
    scrape = Scrape.of(client)
    assert scrape.labels("tracker_view_lag_events", "view") == names
    assert {scrape.value("tracker_view_lag_events", view=n) for n in names} == {0}

    before = views.head()
    submit(services_of(empty_app).tracker)
    recorded = views.head() - before
    for _ in range(2):  # scraping does not catch the views up
        scrape = Scrape.of(client)
        lags = {scrape.value("tracker_view_lag_events", view=n) for n in names}
        assert lags == {recorded}
    assert scrape.value("tracker_store_up") == 1


def test_one_process_counts_itself_as_one_worker(empty_app: Flask) -> None:
    assert Scrape.of(empty_app.test_client()).value("tracker_web_workers") == 1


def test_a_metrics_token_once_set_is_needed_to_read_them(empty_app: Flask) -> None:
    client = empty_app.test_client()
    empty_app.config[BEARER_SETTING] = "a long random token"
    refused = client.get("/metrics")
    assert refused.status_code == 401
    assert refused.headers["WWW-Authenticate"].startswith("Bearer")
    assert "tracker_http" not in refused.get_data(as_text=True)
    wrong = client.get("/metrics", headers={"Authorization": "Bearer a guess"})
    assert wrong.status_code == 401
    right = Scrape.of(client, Authorization="Bearer a long random token")
    assert right.value("tracker_web_workers") == 1


def test_without_a_token_anyone_reads_the_counts(empty_app: Flask) -> None:
    assert empty_app.config[BEARER_SETTING] is None
    assert empty_app.test_client().get("/metrics").status_code == 200


@pytest.mark.slow
@needs_postgres
def test_store_up_is_zero_when_the_store_is_unreachable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with app_through_relay(tmp_path / "home", monkeypatch) as (app, relay):
        client = app.test_client()
        client.get("/healthz")
        assert Scrape.of(client).value("tracker_store_up") == 1
        relay.cut()
        scrape = Scrape.of(client)
    assert scrape.value("tracker_store_up") == 0
    assert scrape.value("tracker_events_recorded_total") == 0
    assert requests(scrape, "GET", "/healthz", "200") == 1  # what was counted stays
