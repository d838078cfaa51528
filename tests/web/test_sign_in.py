"""Signing in and out; a session ends when its account is changed or disabled."""

from __future__ import annotations

from flask import Flask

from tests.web.conftest import PASSWORD, csrf_token, services_of, sign_in


def test_a_wrong_password_is_refused_without_saying_which_part(app: Flask) -> None:
    client = app.test_client()
    client.set_cookie("language", "en")
    token = csrf_token(client, "/login")
    for username, password in (("advocate", "not the password"), ("nobody", PASSWORD)):
        answer = client.post(
            "/login",
            data={"username": username, "password": password, "csrf_token": token},
        )
        assert answer.status_code == 401
        assert "The username or password is not right." in answer.get_data(True)
    assert client.get("/").status_code == 302


def test_sign_in_goes_back_only_to_a_page_of_this_site(app: Flask) -> None:
    client = app.test_client()
    for target, expected in (("/cases", "/cases"), ("//evil.example/x", "/"),
                             ("https://evil.example/", "/")):  # fmt: skip
        # Each sign-in begins a new session, with a new form token.
        token = csrf_token(client, "/login")
        answer = client.post(
            f"/login?next={target}",
            data={"username": "viewer", "password": PASSWORD, "csrf_token": token},
        )
        assert answer.headers["Location"] == expected


def test_a_role_change_or_disabling_ends_the_session(app: Flask) -> None:
    client = sign_in(app.test_client(), "advocate")
    assert client.get("/cases").status_code == 200
    tracker = services_of(app).tracker
    advocate = tracker.account("advocate")
    tracker.change_access(
        advocate.account_id, actor="admin", role="viewer", municipalities=[]
    )
    assert client.get("/cases").status_code == 302
    client = sign_in(app.test_client(), "advocate")
    tracker.disable_account(advocate.account_id, actor="admin", reason="left")
    assert client.get("/cases").status_code == 302


def test_signing_out_ends_the_session(app: Flask) -> None:
    client = sign_in(app.test_client(), "viewer")
    token = csrf_token(client, "/")
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/").status_code == 302


def test_an_admin_creates_an_account_and_the_grant_is_on_record(app: Flask) -> None:
    admin = sign_in(app.test_client(), "admin")
    admin.set_cookie("language", "en")
    token = csrf_token(admin, "/admin/accounts")
    answer = admin.post(
        "/admin/accounts",
        data={"csrf_token": token, "username": "drita", "password": "short",
              "role": "secretary", "municipalities": ["STR"]},
    )  # fmt: skip
    assert answer.status_code == 422
    assert "drita" in answer.get_data(as_text=True)
    answer = admin.post(
        "/admin/accounts",
        data={"csrf_token": token, "username": "drita", "password": "password1234",
              "role": "secretary", "municipalities": ["STR"]},
    )  # fmt: skip
    assert answer.status_code == 422
    assert "This password is too easy to guess" in answer.get_data(as_text=True)
    answer = admin.post(
        "/admin/accounts",
        data={"csrf_token": token, "username": "drita", "password": PASSWORD,
              "role": "secretary", "municipalities": ["STR"]},
    )  # fmt: skip
    assert answer.status_code == 302
    drita = services_of(app).tracker.account("drita")
    assert (drita.role, drita.municipalities) == ("secretary", ("STR",))
    page = admin.get(f"/admin/accounts/{drita.account_id.hex}").get_data(True)
    assert "Account created" in page
    assert "admin" in page
