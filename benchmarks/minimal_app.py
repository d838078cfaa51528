"""The baseline of `bench_web`: the smallest Flask page, served as the tracker is.

Whatever this page costs (gunicorn, Werkzeug, Flask's request handling, the
connection) every page of the tracker costs too; the benchmark divides the
tracker's requests per second by this page's.
"""

from __future__ import annotations

from flask import Flask

app = Flask(__name__)

PAGE = "<!doctype html><title>Minimal</title><p>One short page.</p>\n"


@app.route("/")
def minimal_page() -> str:
    """A short HTML string: no session, template, form or database."""
    return PAGE
