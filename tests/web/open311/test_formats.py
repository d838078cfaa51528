"""Open311 answers: errors in the specification's shape, XML, languages."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from domain.reference import CATEGORIES
from tests.web.conftest import services_of
from tests.web.open311.forum import (
    BASE,
    FORMATS,
    PUBLIC_DESCRIPTION,
    PUBLIC_TITLE,
    Forum,
    publish,
    read,
    submitted,
)

BAD_PARAMETERS = [
    {"start_date": "yesterday"},
    {"end_date": "2025-13-01"},
    {"start_date": "2025-06-02", "end_date": "2025-06-01"},
    {"start_date": "9999-12-31T23:59:59-05:00"},
    {"status": "pending"},
    {"service_code": "potholes"},
    {"jurisdiction_id": "XYZ"},
    {"page_size": "0"},
    {"page_size": "1001"},
    {"page": "abc"},
    {"page": "99999999999999999999999"},
    {"locale": "de"},
]


@pytest.mark.parametrize("params", BAD_PARAMETERS, ids=lambda p: "&".join(p))
@pytest.mark.parametrize("fmt", FORMATS)
def test_a_bad_parameter_is_an_open311_error_400(
    client: FlaskClient, params: dict[str, str], fmt: str
) -> None:
    answer = client.get(f"{BASE}/requests.{fmt}", query_string=params)

    assert answer.status_code == 400
    assert errors_in(answer, fmt) == [400]


@pytest.mark.parametrize(
    "path",
    [
        "requests.csv",
        "services.html",
        "requests/STR-2025-001.txt",
        "requests/STR-2099-999.json",
        "requests/STR-2025-001",
        "nothing",
    ],
)
def test_an_unknown_format_request_or_endpoint_is_an_open311_error_404(
    client: FlaskClient, path: str
) -> None:
    answer = client.get(f"{BASE}/{path}")

    assert answer.status_code == 404
    fmt = "xml" if path.endswith(".xml") else "json"
    assert errors_in(answer, fmt) == [404]


def test_a_bad_jurisdiction_is_refused_by_every_endpoint(client: FlaskClient) -> None:
    for path in ("services.xml", "requests.json", "requests/STR-2025-001.json"):
        answer = client.get(f"{BASE}/{path}?jurisdiction_id=NOWHERE")
        assert answer.status_code == 400, path


def errors_in(answer: TestResponse, fmt: str) -> list[int]:
    """The codes of an Open311 error answer, checking its shape."""
    if fmt == "json":
        found = json.loads(answer.get_data(as_text=True))
        assert all(set(e) == {"code", "description"} for e in found)
        return [e["code"] for e in found]
    root = ET.fromstring(answer.get_data())
    assert root.tag == "errors"
    assert [e.tag for e in root] == ["error"] * len(root)
    assert all(e.findtext("description") for e in root)
    return [int(e.findtext("code") or 0) for e in root]


# -- formats and languages -----------------------------------------------------


def test_xml_answers_use_the_specification_names(
    client: FlaskClient, forum: Forum
) -> None:
    services = ET.fromstring(client.get(f"{BASE}/services.xml").get_data())
    requests = ET.fromstring(client.get(f"{BASE}/requests.xml").get_data())

    assert services.tag == "services"
    assert {s.tag for s in services} == {"service"}
    assert [s.findtext("service_code") for s in services] == list(CATEGORIES)
    assert services[0].findtext("metadata") == "false"
    assert requests.tag == "service_requests"
    assert {r.tag for r in requests} == {"request"}
    river = requests[2]
    assert river.findtext("service_request_id") == forum.river
    assert river.findtext("description") == f"{PUBLIC_TITLE}\n\n{PUBLIC_DESCRIPTION}"
    assert river.findtext("requested_datetime") == "2025-03-03T00:00:00+01:00"


def test_one_service_per_category(client: FlaskClient) -> None:
    services = read(client, "services.json", locale="en")

    assert [s["service_code"] for s in services] == list(CATEGORIES)
    environment = services[1]
    assert environment["service_name"] == "Environment"
    assert (environment["metadata"], environment["type"]) == (False, "realtime")
    assert "Mjedisi" in environment["keywords"]
    assert "Животна средина" in environment["keywords"]
    assert environment["group"]


@pytest.mark.parametrize(
    ("tag", "name"),
    [
        ("sq", "Mjedisi"),
        ("sr_Latn", "Životna sredina"),
        ("sr-Cyrl", "Животна средина"),
        ("en", "Environment"),
    ],
)
def test_service_names_are_in_the_language_asked_for(
    client: FlaskClient, tag: str, name: str
) -> None:
    by_parameter = read(client, "services.json", locale=tag)
    by_header = client.get(
        f"{BASE}/services.json", headers={"Accept-Language": tag.replace("_", "-")}
    ).get_json()

    assert by_parameter[1]["service_name"] == name
    assert by_header[1]["service_name"] == name


def test_albanian_is_the_default_language(client: FlaskClient, forum: Forum) -> None:
    [river] = read(client, f"requests/{forum.river}.json")

    assert river["service_name"] == "Mjedisi"
    assert river["agency_responsible"] == "Shtërpcë"


def test_discovery_names_the_specification_and_formats(client: FlaskClient) -> None:
    found = read(client, "discovery.json")

    [endpoint] = found["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/open311/v2")
    assert set(endpoint["formats"]) == {"application/json", "text/xml"}
    xml = ET.fromstring(client.get(f"{BASE}/discovery.xml").get_data())
    assert xml.tag == "discovery"
    assert [f.text for f in xml.iter("format")] == endpoint["formats"]


def test_xml_stays_well_formed_whatever_the_text(empty_app: Flask) -> None:
    tracker = services_of(empty_app).tracker
    case_id, reference = submitted(tracker)
    publish(tracker, case_id, ["title", "description"], description="<b> & \x0b ]]>")

    answer = empty_app.test_client().get(f"{BASE}/requests/{reference}.xml")

    [request] = ET.fromstring(answer.get_data())
    assert request.findtext("description") == f"{PUBLIC_TITLE}\n\n<b> &  ]]>"
