"""Every page answers for every role (a first net under the rest)."""

from __future__ import annotations

from flask.testing import FlaskClient


def test_pages_render(as_role: dict[str, FlaskClient]) -> None:
    client = as_role["admin"]
    for path in [
        "/",
        "/cases",
        "/cases/new",
        "/meetings",
        "/meetings/new",
        "/admin/accounts",
        "/admin/reference",
        "/cases?q=water",
        "/cases?status=referred&overdue=y",
    ]:
        answer = client.get(path)
        assert answer.status_code == 200, (path, answer.get_data(as_text=True)[-3000:])


def test_case_and_meeting_pages_render(as_role: dict[str, FlaskClient]) -> None:
    import re

    client = as_role["admin"]
    listing = client.get("/cases").get_data(as_text=True)
    references = re.findall(r'href="/cases/([A-Z]{3}-\d{4}-\d{3})"', listing)
    assert references
    for reference in references[:10]:
        answer = client.get(f"/cases/{reference}")
        assert answer.status_code == 200, answer.get_data(as_text=True)[-3000:]
    meetings = client.get("/meetings").get_data(as_text=True)
    ids = re.findall(r'href="/meetings/([0-9a-f]{32})"', meetings)
    assert ids
    answer = client.get(f"/meetings/{ids[0]}")
    assert answer.status_code == 200, answer.get_data(as_text=True)[-3000:]
