"""What every API blueprint shares: its place under /api/v1 and its sign-in."""

from __future__ import annotations

from flask_smorest import Blueprint

from web.api.auth import authenticate

PREFIX = "/api/v1"


def resource(
    name: str, path: str, description: str, *, public: bool = False
) -> Blueprint:
    """A blueprint for one resource, answering only to a valid token unless public."""
    blueprint = Blueprint(
        name, __name__, url_prefix=f"{PREFIX}{path}", description=description
    )
    if not public:
        blueprint.before_request(authenticate)
    return blueprint
