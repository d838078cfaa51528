"""The portal opens to anyone, in every language, and refuses bad input clearly."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.web.open311.forum import LOCALES, Forum
from tests.web.test_access import OPEN_TO_ALL

PAGES = ("/public/", "/public/cases", "/public/scorecards")


def _page(client: FlaskClient, path: str, status: int = 200) -> str:
    answer = client.get(path)
    assert answer.status_code == status, (path, answer.status_code)
    assert answer.mimetype == "text/html"
    return answer.get_data(as_text=True)


def test_every_portal_route_is_listed_as_open_to_all(empty_app: Flask) -> None:
    routes = {
        rule.endpoint
        for rule in empty_app.url_map.iter_rules()
        if rule.rule.startswith("/public")
    }
    assert routes == {
        "portal.home", "portal.case_list", "portal.case", "portal.scorecards",
        "portal.open_data", "portal.unknown",
    }  # fmt: skip
    assert routes <= OPEN_TO_ALL


@pytest.mark.parametrize("language", LOCALES)
def test_every_page_opens_without_signing_in_in_every_language(
    client: FlaskClient, forum: Forum, language: str
) -> None:
    client.set_cookie("language", language)
    more = (f"/public/cases/{forum.river}", "/public/scorecards?year=2026")
    for path in (*PAGES, *more):
        page = _page(client, path)
        assert f'<html lang="{language.replace("_", "-")}">' in page
        assert "/login" not in page
        assert "<script" not in page
        assert 'name="viewport"' in page
    answer = client.get("/public/open-data.zip")
    assert answer.status_code == 200
    assert answer.mimetype == "application/zip"
    assert answer.headers["Content-Disposition"] == (
        'attachment; filename="cfpi-open-data-2026-01-15.zip"'
    )


def test_the_language_switcher_works_without_signing_in(client: FlaskClient) -> None:
    page = _page(client, "/public/scorecards")
    switch = re.search(r'href="(/language/sr_Cyrl\?next=[^"]+)"', page)
    assert switch
    answer = client.get(switch.group(1).replace("&amp;", "&"))
    assert answer.status_code == 302
    assert answer.headers["Location"].startswith("/public/scorecards")
    page = _page(client, "/public/scorecards")
    assert '<html lang="sr-Cyrl">' in page
    assert "Грачаница" in page  # municipalities named in Serbian Cyrillic


def test_the_home_page_shows_the_newest_published_cases_and_where_to_go(
    client: FlaskClient, forum: Forum
) -> None:
    client.set_cookie("language", "en")
    page = _page(client, "/public/")
    assert "Clinic closed" in page  # the newest raised of the published
    for link in ("/public/cases", "/public/scorecards", "/public/open-data.zip"):
        assert f'href="{link}"' in page
    assert "CC BY 4.0" in page


def test_the_list_filters_by_published_fields_only(
    client: FlaskClient, forum: Forum
) -> None:
    listed = _page(client, "/public/cases")
    assert {forum.river, forum.road, forum.clinic} <= set(_references(listed))
    graçanica = _references(_page(client, "/public/cases?municipality=GRA"))
    # The clinic is in Gračanica, but its municipality is not published.
    assert graçanica == [forum.road]
    assert _references(_page(client, "/public/cases?status=declined")) == [forum.road]
    assert _references(_page(client, "/public/cases?category=environment")) == [
        forum.river
    ]


def _references(page: str) -> list[str]:
    return re.findall(r'href="/public/cases/([A-Z]{3}-\d{4}-\d{3})"', page)


@pytest.mark.parametrize(
    "query",
    [
        "municipality=XXX",
        "category=gossip",
        "status=secret",
        "page=abc",
        "page=0",
        "page=-3",
        "page=99999999999",
    ],
)
def test_a_bad_filter_is_refused_with_a_clear_message(
    client: FlaskClient, query: str
) -> None:
    client.set_cookie("language", "en")
    page = _page(client, f"/public/cases?{query}", status=400)
    assert "Check the filters below." in page
    reason = r"Choose one of the options|whole number|must be between"
    assert re.search(reason, page), query


def test_a_page_past_the_last_is_not_found_with_a_message(
    client: FlaskClient, forum: Forum
) -> None:
    client.set_cookie("language", "en")
    page = _page(client, "/public/cases?page=7", status=404)
    assert "There is no page 7: the list has 1." in page


def test_an_unknown_or_unpublished_case_is_a_portal_not_found_page(
    client: FlaskClient, forum: Forum
) -> None:
    client.set_cookie("language", "en")
    for reference in ("GRA-1999-999", forum.never, forum.withdrawn, "<script>"):
        page = _page(client, f"/public/cases/{reference}", status=404)
        assert "Back to the public portal" in page
        assert "dashboard" not in page
    page = _page(client, "/public/no-such-page", status=404)
    assert "Back to the public portal" in page


@pytest.mark.parametrize(
    "year", ["abc", "1800", "1989", "2030", "2027", "", "2025.5", "%00"]
)
def test_a_bad_year_is_refused_with_a_clear_message(
    client: FlaskClient, forum: Forum, year: str
) -> None:
    client.set_cookie("language", "en")
    page = _page(client, f"/public/scorecards?year={year}", status=400)
    assert "Choose one of the options." in page
    assert "There are no scorecards for that year." in page


def test_the_scorecards_offer_each_year_with_data_and_this_year_to_date(
    client: FlaskClient, forum: Forum
) -> None:
    client.set_cookie("language", "en")
    page = _page(client, "/public/scorecards")
    years = re.findall(r'<option (?:selected )?value="(\d{4})"', page)
    assert years == ["2026", "2025"]  # the forum's cases were raised in 2025
    assert re.search(r'<option selected value="2025">', page)
    assert "2026 (to date)" in page
    assert "Jan 1, 2025 to Dec 31, 2025" in page
    this_year = _page(client, "/public/scorecards?year=2026")
    assert "Jan 1, 2026 to Jan 15, 2026 (year to date)" in this_year
