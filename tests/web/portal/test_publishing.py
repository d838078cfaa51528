"""Publishing from a case's page puts it on the portal; unpublishing takes it off."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from tests.web.conftest import case_reference, csrf_token, services_of
from tests.web.portal.conftest import open_data_files


def _step(client: FlaskClient, reference: str, name: str, **form: object) -> None:
    token = csrf_token(client, f"/cases/{reference}")
    answer = client.post(
        f"/cases/{reference}/steps/{name}", data={"csrf_token": token, **form}
    )
    assert answer.status_code == 302, answer.get_data(as_text=True)


def test_a_case_published_from_its_page_is_public_until_unpublished(
    app: Flask, as_role: dict[str, FlaskClient]
) -> None:
    coordinator, reader = as_role["coordinator"], app.test_client()
    reader.set_cookie("language", "en")
    reference = case_reference(app, "submitted")
    case = services_of(app).tracker.case(reference)
    _step(
        coordinator, reference, "publish",
        fields=["title", "description", "category"],
        title="Dark road to the school",
        description="The road to the school has no lights.",
    )  # fmt: skip
    page = reader.get(f"/public/cases/{reference}").get_data(as_text=True)
    assert "Dark road to the school" in page
    assert "The road to the school has no lights." in page
    assert case.title not in page
    assert case.description not in page
    assert "Gračanica" not in page  # the municipality was not chosen
    listed = reader.get(f"/public/cases?category={case.category}")
    assert reference in listed.get_data(as_text=True)
    assert reference in open_data_files(reader)["published_cases.csv"]

    _step(coordinator, reference, "unpublish", reason="Asked by the forum")
    assert reader.get(f"/public/cases/{reference}").status_code == 404
    listed = reader.get(f"/public/cases?category={case.category}")
    assert reference not in listed.get_data(as_text=True)
    files = open_data_files(reader)
    assert not any("Dark road to the school" in text for text in files.values())
