"""Every API route, from the app's URL map: none is open without a token but these."""

from __future__ import annotations

import re

from flask import Flask

from tests.web.api.conftest import ApiClient, token_for

# Readable by anyone: the description of the API, and the door to a token.
PUBLIC = {
    "api-docs.openapi_json",
    "api_docs.page",
    "api_docs.asset",
    "api_docs.start",
    "Tokens.exchange",
}
NIL = "00000000-0000-4000-8000-000000000000"
VALUES = {"case": "GRA-2026-001", "referral": NIL, "response": NIL,
          "meeting": NIL, "token_id": NIL, "name": "swagger-ui.css"}  # fmt: skip


def _api_routes(app: Flask) -> list[tuple[str, str, str]]:
    """(endpoint, method, concrete path) for every API route and method."""
    found = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/"):
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: VALUES[m[1]], rule.rule)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            found.append((rule.endpoint, method, path))
    return found


def test_every_api_route_needs_a_token_but_the_public_ones(empty_app: Flask) -> None:
    anonymous = empty_app.test_client()
    routes = _api_routes(empty_app)
    for endpoint, method, path in routes:
        answer = anonymous.open(path, method=method, json={})
        if endpoint in PUBLIC:
            assert answer.status_code != 401, (endpoint, method)
        else:
            assert answer.status_code == 401, (endpoint, method, answer.status_code)
            assert (answer.json or {})["error"] == "unauthorized"
    assert len(routes) >= 25


def test_a_viewer_only_reads(empty_app: Flask) -> None:
    viewer = ApiClient(empty_app.test_client(), token_for(empty_app, "viewer"))
    writes = [
        (endpoint, path)
        for endpoint, method, path in _api_routes(empty_app)
        if method == "POST" and endpoint not in PUBLIC
    ]
    for endpoint, path in writes:
        answer = viewer.client.post(path, json={}, headers=viewer.headers())
        # The role is checked first: before the body, before the case is found.
        assert answer.status_code == 403, (endpoint, answer.status_code)
    assert len(writes) >= 13  # cases, meetings and the eleven steps
