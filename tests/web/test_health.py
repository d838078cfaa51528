"""/healthz: the store reachable, each view's lag, 503 when the store is gone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from domain.errors import InvalidValue
from tests.application.builders import submit
from tests.postgres import needs_postgres
from tests.web.conftest import services_of
from tests.web.store_outage import app_through_relay
from web.health import MAX_LAG, STORE_UNREACHABLE, max_lag

# A moment after every session's start (year 33658): purging before it takes all.
EVER = 1e12


def healthz(app: Flask) -> tuple[int, dict[str, Any]]:
    """Ask /healthz as a load balancer does: no cookie, no sign-in."""
    answer = app.test_client().get("/healthz")
    body = answer.get_json()
    assert isinstance(body, dict)
    return answer.status_code, body


def test_healthz_says_the_store_is_reachable_without_signing_in(
    empty_app: Flask,
) -> None:
    status, body = healthz(empty_app)
    assert status == 200
    assert body["status"] == "ok"
    assert body["store"] == "reachable"
    assert body["head"] == services_of(empty_app).tracker.recorder.max_notification_id()
    assert set(body["views"]) == set(services_of(empty_app).views.live)


def test_lag_counts_the_events_views_have_not_applied_and_healthz_leaves_it(
    empty_app: Flask,
) -> None:
    views = services_of(empty_app).views
    views.catch_up()
    caught_up_to = views.head()
    submit(services_of(empty_app).tracker)
    recorded = views.head() - caught_up_to
    assert recorded > 0

    for _ in range(2):  # asking does not catch the views up
        status, body = healthz(empty_app)
        assert status == 200
        assert {v["lag"] for v in body["views"].values()} == {recorded}
        assert body["max_lag"] == recorded

    views.catch_up()
    _, body = healthz(empty_app)
    assert {v["lag"] for v in body["views"].values()} == {0}
    assert body["max_lag"] == 0


def test_a_lag_makes_it_unhealthy_only_beyond_a_limit_that_was_set(
    empty_app: Flask,
) -> None:
    services_of(empty_app).views.catch_up()
    submit(services_of(empty_app).tracker)
    _, body = healthz(empty_app)
    lag = body["max_lag"]

    assert empty_app.config[MAX_LAG] is None
    assert healthz(empty_app)[0] == 200
    empty_app.config[MAX_LAG] = lag
    assert healthz(empty_app)[0] == 200
    empty_app.config[MAX_LAG] = lag - 1
    status, body = healthz(empty_app)
    assert status == 503
    assert body["status"] == "lagging"
    assert f"{lag} events behind" in body["reason"]
    services_of(empty_app).views.catch_up()
    assert healthz(empty_app)[0] == 200


def test_the_lag_limit_is_a_whole_number_of_events() -> None:
    assert max_lag(None) is None
    assert max_lag("") is None
    assert max_lag("0") == 0
    assert max_lag(" 500 ") == 500
    with pytest.raises(InvalidValue):
        max_lag("many")
    with pytest.raises(InvalidValue):
        max_lag("-1")


@pytest.mark.parametrize("path", ["/healthz", "/metrics"])
def test_polling_keeps_no_session_and_sets_no_cookie(
    empty_app: Flask, path: str
) -> None:
    kept = services_of(empty_app).sessions.store
    kept.purge(seen_before=EVER, created_before=EVER)
    client = empty_app.test_client()
    for _ in range(3):
        answer = client.get(path)
        assert answer.status_code == 200
        assert "Set-Cookie" not in answer.headers
    assert client.get_cookie("session") is None
    assert kept.purge(seen_before=EVER, created_before=EVER) == 0  # none was made
    client.get("/login")  # a form keeps its token in a session: one is made
    assert kept.purge(seen_before=EVER, created_before=EVER) == 1


@pytest.mark.slow
@needs_postgres
def test_healthz_is_503_with_a_reason_when_the_store_is_unreachable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with app_through_relay(tmp_path / "home", monkeypatch) as (app, relay):
        assert healthz(app)[0] == 200
        relay.cut()
        status, body = healthz(app)
    assert status == 503
    assert body == {"status": "unavailable", "reason": STORE_UNREACHABLE}
