"""The case list's search obeys the same filters and limits as the list."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from tests.web.conftest import services_of


def _listed(client: FlaskClient, query: str) -> list[str]:
    page = client.get(f"/cases?{query}").get_data(as_text=True)
    return re.findall(r'href="/cases/([A-Z]{3}-\d{4}-\d{3})"', page)


def test_a_search_finds_only_what_the_person_may_see_and_filters_ask(
    app: Flask, as_role: dict[str, FlaskClient]
) -> None:
    with services_of(app).views.reading() as c:
        c.execute(
            "SELECT reference, title FROM cases "
            "WHERE municipality = 'STR' AND status = 'submitted' LIMIT 1"
        )
        reference, title = c.fetchone()
        word = max(str(title).split(), key=len)
    everywhere = _listed(as_role["advocate"], f"q={word}")
    assert any(ref.startswith("STR-") for ref in everywhere)
    assert all(
        ref.startswith("GRA-") for ref in _listed(as_role["secretary"], f"q={word}")
    )
    found = _listed(as_role["advocate"], f"q={word}&municipality=STR&status=submitted")
    with services_of(app).views.reading() as c:
        for listed in found:
            c.execute("SELECT municipality, status FROM cases WHERE reference = ?",
                      (listed,))  # fmt: skip
            assert tuple(c.fetchone()) == ("STR", "submitted")
    assert reference in found
