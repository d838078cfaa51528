"""Open311 GeoReport v2 shows published cases only, redacted, to anyone."""

from __future__ import annotations

from datetime import datetime

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.web.open311.forum import (
    BASE,
    FORMATS,
    LOCALES,
    PUBLIC_DESCRIPTION,
    PUBLIC_TITLE,
    SECRETS,
    Forum,
    ids,
    read,
)


def every_answer(client: FlaskClient, forum: Forum) -> list[TestResponse]:
    """Every endpoint, in each format and language, for each case."""
    references = list(vars(forum).values())
    paths = [
        "discovery",
        "services",
        "requests",
        *(f"requests/{r}" for r in references),
    ]
    queries = [
        *({"locale": tag} for tag in LOCALES),
        {"status": "open,closed"},
        {"service_request_id": ",".join(references)},
    ]
    return [
        client.get(f"{BASE}/{path}.{fmt}", query_string=query)
        for path in paths
        for fmt in FORMATS
        for query in queries
    ]


# -- who may read --------------------------------------------------------------


def test_anyone_may_read_without_signing_in(client: FlaskClient, forum: Forum) -> None:
    for path in ("discovery", "services", "requests", f"requests/{forum.river}"):
        for fmt in FORMATS:
            answer = client.get(f"{BASE}/{path}.{fmt}")
            assert answer.status_code == 200, (path, fmt)
            assert answer.headers["Access-Control-Allow-Origin"] == "*"


# -- only what was published ---------------------------------------------------


def test_a_published_case_shows_only_its_redacted_text(
    client: FlaskClient, forum: Forum
) -> None:
    [river] = read(client, f"requests/{forum.river}.json", locale="en")

    assert river["service_request_id"] == forum.river
    assert river["description"] == f"{PUBLIC_TITLE}\n\n{PUBLIC_DESCRIPTION}"
    assert (river["status"], river["status_notes"]) == ("open", "Answered")
    assert (river["service_code"], river["service_name"]) == (
        "environment",
        "Environment",
    )
    assert river["agency_responsible"] == "Štrpce"
    assert river["address"] == "Near the school"
    assert (river["lat"], river["long"]) == (None, None)
    assert river["requested_datetime"] == "2025-03-03T00:00:00+01:00"
    assert datetime.fromisoformat(river["updated_datetime"]).utcoffset() is not None


def test_cases_never_published_or_unpublished_appear_in_no_endpoint(
    client: FlaskClient, forum: Forum
) -> None:
    assert set(ids(client)) == {forum.river, forum.road, forum.clinic}
    assert ids(client, service_request_id=f"{forum.never},{forum.withdrawn}") == []
    for hidden in (forum.never, forum.withdrawn):
        for fmt in FORMATS:
            assert client.get(f"{BASE}/requests/{hidden}.{fmt}").status_code == 404


def test_no_seeded_secret_appears_in_any_answer(
    client: FlaskClient, forum: Forum
) -> None:
    answers = every_answer(client, forum)

    assert {a.status_code for a in answers} == {200, 404}
    bodies = "\n".join(a.get_data(as_text=True) for a in answers)
    assert PUBLIC_DESCRIPTION in bodies
    for secret in SECRETS:
        assert secret not in bodies, secret


def test_a_field_not_published_is_not_shown(client: FlaskClient, forum: Forum) -> None:
    [clinic] = read(client, f"requests/{forum.clinic}.json")
    [road] = read(client, f"requests/{forum.road}.json")

    assert "address" not in clinic
    assert "address" not in road
    assert clinic["description"] == f"Clinic closed\n\n{PUBLIC_DESCRIPTION}"
    unnamed = ("status", "status_notes", "service_code", "service_name")
    assert [clinic[key] for key in unnamed] == [None] * len(unnamed)
    assert clinic["agency_responsible"] is None


# -- filters -------------------------------------------------------------------


def test_requests_are_newest_raised_first_a_page_at_a_time(
    client: FlaskClient, forum: Forum
) -> None:
    assert ids(client) == [forum.clinic, forum.road, forum.river]
    assert ids(client, page_size="1", page="2") == [forum.road]
    assert ids(client, page_size="2", page="3") == []


def test_requests_filter_by_service_code(client: FlaskClient, forum: Forum) -> None:
    assert ids(client, service_code="infrastructure") == [forum.road]
    assert ids(client, service_code="environment,infrastructure") == [
        forum.road,
        forum.river,
    ]


def test_requests_filter_by_open_or_closed(client: FlaskClient, forum: Forum) -> None:
    assert ids(client, status="open") == [forum.river]
    assert ids(client, status="closed") == [forum.road]
    assert ids(client, status="open,closed") == [forum.road, forum.river]


def test_requests_filter_by_the_date_raised(client: FlaskClient, forum: Forum) -> None:
    assert ids(client, start_date="2025-06-01") == [forum.clinic, forum.road]
    assert ids(client, end_date="2025-06-01T00:00:00+02:00") == [
        forum.road,
        forum.river,
    ]
    assert ids(client, start_date="2025-06-01T12:00:00Z") == [forum.clinic]
    assert ids(client, start_date="2025-03-01", end_date="2025-05-31") == [forum.river]


def test_requests_filter_by_id_which_overrides_the_other_filters(
    client: FlaskClient, forum: Forum
) -> None:
    both = f"{forum.river}, {forum.clinic}"
    assert ids(client, service_request_id=both) == [forum.clinic, forum.river]
    assert ids(
        client, service_request_id=forum.river, service_code="infrastructure"
    ) == [forum.river]


def test_requests_filter_by_municipality_as_jurisdiction(
    client: FlaskClient, forum: Forum
) -> None:
    assert ids(client, jurisdiction_id="GRA") == [forum.road]
    assert ids(client, jurisdiction_id="str") == [forum.river]
