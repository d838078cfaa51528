"""The public transparency portal: published cases, scorecards, open data.

No sign-in. Everything here reads only what coordinators published and the
aggregate figures; nothing personal can reach these pages.
"""

from __future__ import annotations

from flask import Blueprint

portal = Blueprint("portal", __name__, url_prefix="/public")

# The pages attach their routes to `portal`, so they are imported after it.
from web.portal import pages  # noqa: E402, F401
