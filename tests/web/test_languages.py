"""The language switcher, and dates, numbers and names in the reader's language."""

from __future__ import annotations

from flask import Flask

from tests.web.conftest import sign_in


def test_the_switcher_remembers_the_choice_and_goes_back(app: Flask) -> None:
    client = app.test_client()
    answer = client.get("/language/sr_Cyrl?next=/cases")
    assert answer.status_code == 302
    assert answer.headers["Location"] == "/cases"
    assert "language=sr_Cyrl" in answer.headers["Set-Cookie"]
    assert "Max-Age=31536000" in answer.headers["Set-Cookie"]
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="sr-Cyrl">' in page


def test_the_switcher_never_sends_to_another_site(app: Flask) -> None:
    answer = app.test_client().get("/language/sq?next=https://evil.example/")
    assert answer.headers["Location"] == "/"


def test_an_unknown_language_is_ignored(app: Flask) -> None:
    answer = app.test_client().get("/language/xx?next=/login")
    assert "Set-Cookie" not in answer.headers


def test_the_browser_language_is_used_until_one_is_chosen(app: Flask) -> None:
    client = app.test_client()
    page = client.get("/login", headers={"Accept-Language": "sr-Latn,en;q=0.5"})
    assert '<html lang="sr-Latn">' in page.get_data(as_text=True)
    page = client.get("/login", headers={"Accept-Language": "de"})
    assert '<html lang="sq">' in page.get_data(as_text=True)


def test_names_dates_and_numbers_follow_the_language(app: Flask) -> None:
    client = sign_in(app.test_client(), "secretary")
    expected = {
        "sq": ("Graçanicë", "15 jan 2026"),
        "sr_Latn": ("Gračanica", "15. 1. 2026."),
        "sr_Cyrl": ("Грачаница", "15. 1. 2026."),
        "en": ("Gračanica", "Jan 15, 2026"),
    }
    for tag, (name, today) in expected.items():
        client.set_cookie("language", tag)
        page = client.get("/").get_data(as_text=True)
        assert name in page, tag
        assert today in page, tag
