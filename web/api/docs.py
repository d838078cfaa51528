"""The API's interactive documentation, served from a package: no CDN, no internet.

Swagger UI comes from the ``swagger-ui-bundle`` package; the page loads it
and one small script of ours, with no inline script (a strict CSP allows it).
"""

from __future__ import annotations

from flask import Blueprint, render_template, send_from_directory, url_for
from flask.typing import ResponseReturnValue
from swagger_ui_bundle import swagger_ui_path

from web.api.resources import PREFIX

api_docs = Blueprint(
    "api_docs", __name__, url_prefix=f"{PREFIX}/docs", static_folder=None
)


@api_docs.route("")
def page() -> ResponseReturnValue:
    """Swagger UI, reading the OpenAPI document."""
    return render_template("api/docs.html", spec_url=url_for("api-docs.openapi_json"))


@api_docs.route("/assets/<path:name>")
def asset(name: str) -> ResponseReturnValue:
    """Swagger UI's scripts and styles, from the installed package."""
    return send_from_directory(str(swagger_ui_path), name, max_age=86400)


@api_docs.route("/start.js")
def start() -> ResponseReturnValue:
    """Start Swagger UI on the page's element (kept out of the HTML)."""
    script = render_template("api/start.js")
    return script, 200, {"Content-Type": "text/javascript; charset=utf-8"}
