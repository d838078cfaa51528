"""Bearer tokens: issued from the command line or for a password, revoked, expired."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from flask import Flask

from tests.conftest import TODAY
from tests.stores import Store
from tests.web.api.conftest import ApiClient, token_for
from tests.web.conftest import PASSWORD, make_app, services_of, sign_in


def test_the_command_line_prints_only_the_token_and_it_works(
    store: Store, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    env = {**os.environ, **store.environ(home)}
    create = subprocess.run(
        [sys.executable, "-m", "tracker", "users", "create", "ana",
         "--role", "advocate", "--password-stdin"],
        input="a long enough password\n", capture_output=True, text=True, env=env,
        check=False,
    )  # fmt: skip
    assert create.returncode == 0, create.stderr
    printed = subprocess.run(
        [sys.executable, "-m", "tracker", "users", "token", "ana", "--label", "ci"],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    assert printed.returncode == 0, printed.stderr
    token = printed.stdout.strip()
    assert printed.stdout == token + "\n"
    assert token.startswith("cfpi_")
    app = make_app(store, home)
    answer = app.test_client().get(
        "/api/v1/cases", headers={"Authorization": f"Bearer {token}"}
    )
    assert answer.status_code == 200
    listed = subprocess.run(
        [sys.executable, "-m", "tracker", "users", "tokens", "ana"],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    assert "active" in listed.stdout
    assert "ci" in listed.stdout


def test_a_username_and_password_are_exchanged_for_a_token(empty_app: Flask) -> None:
    client = empty_app.test_client()
    answer = client.post(
        "/api/v1/tokens",
        json={"username": "advocate", "password": PASSWORD, "label": "dashboard"},
    )
    assert answer.status_code == 201
    body = answer.json
    assert body is not None
    assert body["username"] == "advocate"
    assert body["role"] == "advocate"
    assert body["expires_on"] == (TODAY + timedelta(days=90)).isoformat()
    assert "password" not in body
    mine = ApiClient(client, body["token"]).get("/api/v1/tokens")
    assert [t["label"] for t in mine.json or []] == ["dashboard"]


def test_a_wrong_password_gets_no_token(empty_app: Flask) -> None:
    answer = empty_app.test_client().post(
        "/api/v1/tokens", json={"username": "advocate", "password": "not it at all"}
    )
    assert answer.status_code == 401
    assert answer.json is not None
    assert "token" not in answer.json
    assert answer.json["errors"][0]["field"] == "password"


def test_guessing_passwords_is_slowed_to_429(store: Store, tmp_path: Path) -> None:
    app = make_app(store, tmp_path / "home")
    app.config["TRACKER_TOKEN_RATE_LIMIT"] = "3 per minute"
    client = app.test_client()
    wrong = {"username": "advocate", "password": "a wrong guess of it"}
    statuses = [client.post("/api/v1/tokens", json=wrong).status_code for _ in range(5)]
    assert statuses == [401, 401, 401, 429, 429]
    refused = client.post("/api/v1/tokens", json=wrong)
    assert refused.json is not None
    assert refused.json["status"] == 429
    assert refused.json["error"] == "too_many_requests"


def test_a_request_without_a_valid_token_is_refused(empty_app: Flask) -> None:
    client = empty_app.test_client()
    for headers in (
        {},
        {"Authorization": "Basic YWRtaW46cGFzcw=="},
        {"Authorization": "Bearer"},
        {"Authorization": "Bearer cfpi_00000000000000000000000000000000_" + "x" * 43},
        {"Authorization": "Bearer something-else"},
    ):
        answer = client.get("/api/v1/cases", headers=headers)
        assert answer.status_code == 401, headers
        assert answer.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_forged_secret_for_a_real_token_id_is_refused(empty_app: Flask) -> None:
    token = token_for(empty_app, "admin")
    forged = token[:-5] + ("AAAAA" if not token.endswith("AAAAA") else "BBBBB")
    answer = ApiClient(empty_app.test_client(), forged).get("/api/v1/cases")
    assert answer.status_code == 401


def test_a_revoked_token_stops_working_at_once(empty_app: Flask) -> None:
    client = ApiClient(empty_app.test_client(), token_for(empty_app, "advocate"))
    token_id = (client.get("/api/v1/tokens").json or [])[0]["token_id"]
    revoked = client.client.delete(
        f"/api/v1/tokens/{token_id}", headers=client.headers()
    )
    assert revoked.status_code == 204
    assert client.get("/api/v1/cases").status_code == 401


def test_only_an_admin_revokes_another_persons_token(empty_app: Flask) -> None:
    victim = ApiClient(empty_app.test_client(), token_for(empty_app, "advocate"))
    token_id = (victim.get("/api/v1/tokens").json or [])[0]["token_id"]
    path = f"/api/v1/tokens/{token_id}"
    other = ApiClient(empty_app.test_client(), token_for(empty_app, "viewer"))
    assert other.client.delete(path, headers=other.headers()).status_code == 404
    assert victim.get("/api/v1/cases").status_code == 200
    admin = ApiClient(empty_app.test_client(), token_for(empty_app, "admin"))
    assert admin.client.delete(path, headers=admin.headers()).status_code == 204
    assert victim.get("/api/v1/cases").status_code == 401


def test_a_token_stops_working_when_it_expires(store: Store, tmp_path: Path) -> None:
    app = make_app(store, tmp_path / "home")
    tracker = services_of(app).tracker
    token = tracker.issue_token("advocate", actor="test", days=2).token
    client = ApiClient(app.test_client(), token)
    assert client.get("/api/v1/cases").status_code == 200
    tracker.clock = lambda: TODAY + timedelta(days=2)
    assert client.get("/api/v1/cases").status_code == 401


def test_a_disabled_accounts_tokens_stop_working(empty_app: Flask) -> None:
    client = ApiClient(empty_app.test_client(), token_for(empty_app, "advocate"))
    tracker = services_of(empty_app).tracker
    tracker.disable_account(
        tracker.account("advocate").account_id, actor="admin", reason="left"
    )
    assert client.get("/api/v1/cases").status_code == 401


def test_issuing_a_token_does_not_sign_the_person_out_of_the_web(
    empty_app: Flask,
) -> None:
    browser = sign_in(empty_app.test_client(), "advocate")
    token_for(empty_app, "advocate")
    assert browser.get("/").status_code == 200


def test_the_web_session_cookie_does_not_open_the_api(empty_app: Flask) -> None:
    # The API takes no CSRF token: a signed-in browser must not be enough.
    browser = sign_in(empty_app.test_client(), "admin")
    assert browser.get("/api/v1/cases").status_code == 401
