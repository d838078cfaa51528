"""The JSON API under /api/v1 (flask-smorest, marshmallow, OpenAPI 3).

Programs get what people get on the web, with the same roles and
municipality limits: a bearer token stands for an account. The OpenAPI
document is at ``/api/v1/openapi.json`` and the interactive documentation
at ``/api/v1/docs``.
"""

from __future__ import annotations

from flask import Flask
from flask_smorest import Api
from flask_wtf.csrf import CSRFProtect

from web.api import idempotency
from web.api.case_documents import documents as _documents  # noqa: F401 (routes)
from web.api.case_steps import steps
from web.api.cases import cases
from web.api.docs import api_docs
from web.api.errors import ErrorSchema
from web.api.exports import exports
from web.api.meetings import meetings
from web.api.reference import reference
from web.api.reports import reports
from web.api.resources import PREFIX
from web.api.tokens import exchange, tokens

API_VERSION = "1.0.0"


class TrackerApi(Api):
    """flask-smorest's Api, with our error shape and without its error pages.

    Errors are answered by `web.failures` for the whole app: JSON under
    /api/, a page in the reader's language elsewhere.
    """

    ERROR_SCHEMA = ErrorSchema

    def _register_error_handlers(self) -> None:
        """Leave error handling to `web.failures` (it knows web from API)."""


# The endpoint that takes a password for a token (`web.limits` counts it).
TOKEN_EXCHANGE = f"{tokens.name}.{exchange.__name__}"


def init_api(app: Flask, csrf: CSRFProtect) -> None:
    """Register the API's resources and its documentation."""
    app.config.update(
        API_TITLE="CFPI Case Tracker API",
        API_VERSION=API_VERSION,
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX=PREFIX,
        OPENAPI_JSON_PATH="openapi.json",
        API_SPEC_OPTIONS={
            "info": {
                "description": "Community issues raised at Kosovo's forums, "
                "their advocacy and the municipalities' answers."
            },
            "security": [{"bearer": []}],
            "components": {
                "securitySchemes": {
                    "bearer": {"type": "http", "scheme": "bearer"},
                }
            },
        },
    )
    api = TrackerApi(app)
    for blueprint in (tokens, reference, cases, steps, meetings, exports, reports):
        api.register_blueprint(blueprint)
        csrf.exempt(blueprint)
    app.register_blueprint(api_docs)
    app.extensions["cfpi.idempotency"] = idempotency.IdempotencyKeys(
        app.extensions["cfpi"].settings.home
    )
