"""The API on a real store: a bearer token per role, and a client that sends it."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.web.conftest import ACCOUNTS, services_of


class ApiClient:
    """A test client acting with one account's token."""

    def __init__(self, client: FlaskClient, token: str) -> None:
        self.client = client
        self.token = token

    def headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        """The token's header, and any others."""
        return {"Authorization": f"Bearer {self.token}", **(extra or {})}

    def get(self, path: str, **query: Any) -> TestResponse:
        """GET a path of the API."""
        return self.client.get(path, query_string=query, headers=self.headers())

    def post(
        self, path: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> TestResponse:
        """POST JSON to a path of the API."""
        return self.client.post(path, json=body, headers=self.headers(headers))


def token_for(app: Flask, username: str) -> str:
    """A fresh token for one of the test accounts."""
    issued = services_of(app).tracker.issue_token(username, actor="test")
    return issued.token


@pytest.fixture
def api(empty_app: Flask) -> dict[str, ApiClient]:
    """An API client per role, on an empty store."""
    return {
        name: ApiClient(empty_app.test_client(), token_for(empty_app, name))
        for name in ACCOUNTS
    }


@pytest.fixture
def demo_api(app: Flask) -> dict[str, ApiClient]:
    """An API client per role, on the demo data."""
    return {
        name: ApiClient(app.test_client(), token_for(app, name)) for name in ACCOUNTS
    }


NEW_CASE: dict[str, Any] = {
    "municipality": "GRA",
    "title": "Polluted river in Llapllasellë",
    "description": "Waste is dumped into the river by the bridge.",
    "category": "environment",
    "communities": ["albanian", "serb"],
    "raised_on": "2026-01-05",
}


def submitted(client: ApiClient, **changes: Any) -> dict[str, Any]:
    """Submit a case through the API; its answer's body."""
    answer = client.post("/api/v1/cases", {**NEW_CASE, **changes})
    assert answer.status_code == 201, answer.json
    body: dict[str, Any] = answer.json  # type: ignore[assignment]
    return body
