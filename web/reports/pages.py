"""The accountability report's web page and its downloads, for signed-in staff."""

from __future__ import annotations

from flask import Blueprint

reports = Blueprint("reports", __name__, url_prefix="/reports")
