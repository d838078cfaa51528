"""The OpenAPI document: complete, true to the answers, and its docs page offline.

Schemathesis generates requests from the document (valid and invalid ones)
for every operation and checks each answer: never a server error, a status
the document names, and a body that matches the document's schema.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.faults.scale import rounds
from tests.stores import Store
from tests.web.api.conftest import NEW_CASE, ApiClient, token_for
from tests.web.conftest import make_app, services_of

# Examples per operation: enough to find a crash, few enough for CI; more
# in `make faults` (tests/faults/test_fuzz_api.py adds hostile bodies).
EXAMPLES = rounds(50, 200)


@pytest.fixture(scope="module")
def fuzzed_app(
    module_store: Store, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Flask]:
    """The app with a few cases, shared by the generated requests."""
    home = tmp_path_factory.mktemp("schema") / "home"
    app = make_app(module_store, home)
    client = ApiClient(app.test_client(), token_for(app, "admin"))
    for municipality in ("GRA", "STR"):
        client.post("/api/v1/cases", {**NEW_CASE, "municipality": municipality})
    yield app
    services_of(app).tracker.close()
    services_of(app).views.close()
    shutil.rmtree(home, ignore_errors=True)


@pytest.fixture(scope="module")
def admin_token(fuzzed_app: Flask) -> str:
    """The admin's token: every operation is open to it."""
    return token_for(fuzzed_app, "admin")


@pytest.fixture(scope="module")
def api_schema(fuzzed_app: Flask) -> Any:
    """The OpenAPI document the app serves."""
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", fuzzed_app)


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.mark.faults
def test_no_generated_request_breaks_the_server_or_the_schema(
    api_schema: Any, admin_token: str
) -> None:
    failures: dict[str, str] = {}
    operations = [found.ok() for found in api_schema.get_all_operations()]
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        def answers_within_the_document(case: Any) -> None:
            case.call_and_validate(
                headers={"Authorization": f"Bearer {admin_token}"}, checks=CHECKS
            )

        try:
            answers_within_the_document()
        except Exception as failure:
            failures[operation.label] = str(failure)[:2000]
    assert len(operations) >= 20
    assert not failures, "\n\n".join(f"{k}: {v}" for k, v in failures.items())


def test_every_api_route_is_in_the_document(empty_app: Flask) -> None:
    documented = empty_app.test_client().get("/api/v1/openapi.json").json or {}
    paths = set(documented["paths"])
    served = {
        re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
        for rule in empty_app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/")
        and not rule.rule.startswith(("/api/v1/docs", "/api/v1/openapi"))
    }
    assert served == paths
    assert len(paths) >= 20


def test_every_operation_is_described(empty_app: Flask) -> None:
    documented = empty_app.test_client().get("/api/v1/openapi.json").json or {}
    for path, operations in documented["paths"].items():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            assert operation.get("summary"), f"{method} {path}"
            assert "default" in operation["responses"], f"{method} {path}"


def test_the_docs_page_works_offline(empty_app: Flask) -> None:
    client = empty_app.test_client()
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "http://" not in html
    assert "https://" not in html
    assert "<script>" not in html  # no inline script: a strict CSP allows it
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert len(assets) == 4  # style, script, start, and the noscript link
    for asset in assets:
        answer = client.get(asset)
        assert answer.status_code == 200, asset
        assert len(answer.get_data()) > 100
    bundle = next(a for a in assets if a.endswith("swagger-ui-bundle.js"))
    assert b"SwaggerUIBundle" in client.get(bundle).get_data()
    start = next(a for a in assets if a.endswith("start.js"))
    assert b"http" not in client.get(start).get_data()


def test_the_docs_assets_come_from_the_installed_package(
    store: Store, tmp_path: Path
) -> None:
    from swagger_ui_bundle import swagger_ui_path

    app = make_app(store, tmp_path / "home")
    served = app.test_client().get("/api/v1/docs/assets/swagger-ui.css").get_data()
    assert served == (Path(str(swagger_ui_path)) / "swagger-ui.css").read_bytes()
    assert app.test_client().get("/api/v1/docs/assets/../../app.py").status_code == 404
