"""Where a request for the case list or a case page spends its time.

A diagnostic beside `bench_web`, not a target: the tracker app of a store
made by `bench_web --store DIR` is driven in this process through Flask's
test client, signed in as bench_web's administrator. Each page is asked
for --requests times untimed (warm-up), then timed, then again under
`cProfile`. The profile gives each stage's share of a request (cumulative
time of the function that does it; the indented stages are parts of
rendering, and labels are translations too); the milliseconds shown are
that share of the unprofiled time, since the profiler slows some code more
than other. In the tables of functions, a template's "calls" count each
time its generator resumed. Last, what one call of the small things a page
calls hundreds of times costs, timed alone inside a request.

Run from the project root:
  .venv/bin/python -m benchmarks.web_costs --store DIR [--requests 200]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import re
import time
import timeit
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from flask import url_for
from flask.testing import FlaskClient
from flask_babel import gettext

from benchmarks.bench_web import SAMPLE
from benchmarks.served_store import PASSWORD, USERNAME, prepared_site
from tracker.config import Settings
from web.app import create_app
from web.i18n import day
from web.labels import label

# label: (where the function is defined, its name); cumulative time.
STAGES: dict[str, tuple[str, str]] = {
    "whole request (Flask)": ("flask/app.py", "wsgi_app"),
    "session cookie read": ("flask/sessions.py", "open_session"),
    "signed-in account loaded": ("web/auth.py", "_load"),
    "list: list_page": ("web/case_lists.py", "list_page"),
    "list: filter form choices": ("web/case_lists.py", "offer"),
    "list: views catch-up check": ("projections/views.py", "catch_up"),
    "list: find_cases": ("projections/case_queries.py", "find_cases"),
    "case: tracker.case (aggregate)": ("tracker/queries.py", "case"),
    "case: tracker.case_history": ("tracker/queries.py", "case_history"),
    "case: step forms (offer)": ("web/steps.py", "offer"),
    "render_template": ("flask/templating.py", "render_template"),
    "  translations (gettext)": ("flask_babel/__init__.py", "gettext"),
    "  labels of codes": ("web/labels.py", "label"),
    "  dates (day)": ("web/i18n.py", "day"),
    "  url_for": ("flask/app.py", "url_for"),
}
TOP = 15
CALLS = 20_000
ROOT = Path(__file__).resolve().parent.parent
OUR_CODE = ("domain", "tracker", "projections", "web")


def signed_in_client(home: Path) -> FlaskClient:
    """A test client of the tracker app in `home`, signed in."""
    settings = Settings.from_environment({"TRACKER_HOME": str(home)})
    client = create_app({"TRACKER_SETTINGS": settings}).test_client()
    page = client.get("/login").get_data(as_text=True)
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert found is not None, "the login page has no csrf_token"
    form = {"username": USERNAME, "password": PASSWORD, "csrf_token": found[1]}
    assert client.post("/login", data=form).status_code == 302, "not signed in"
    return client


def ask(client: FlaskClient, paths: list[str], requests: int) -> float:
    """Seconds for `requests` GETs, the paths in turn; each must answer 200."""
    started = time.perf_counter()
    for n in range(requests):
        response = client.get(paths[n % len(paths)])
        assert response.status_code == 200, f"{paths[n % len(paths)]}: {response}"
    return time.perf_counter() - started


def profile(client: FlaskClient, paths: list[str], requests: int) -> pstats.Stats:
    """The profile of `requests` GETs."""
    profiler = cProfile.Profile()
    profiler.enable()
    ask(client, paths, requests)
    profiler.disable()
    return pstats.Stats(profiler)


def report(name: str, stats: pstats.Stats, ms: float, requests: int) -> None:
    """Each stage's share and milliseconds a request; the top functions' own time."""
    table: dict[tuple[str, int, str], Any] = stats.stats  # type: ignore[attr-defined]
    total = stats.total_tt  # type: ignore[attr-defined]
    print(f"\n{name}: {ms:.2f} ms a request unprofiled ({requests} requests)")
    print(f"  {'stage':<34}{'share':>6}{'ms':>8}{'calls':>8}")
    for name, (where, function) in STAGES.items():
        rows = [
            row
            for (path, _, func), row in table.items()
            if func == function and path.endswith(where)
        ]
        spent, calls = sum(row[3] for row in rows), sum(row[1] for row in rows)
        if spent:
            print(
                f"  {name:<34}{spent / total:>6.0%}{spent / total * ms:>8.2f}"
                f"{calls / requests:>8.1f}"
            )
    ours = {key: row for key, row in table.items() if is_ours(key[0])}
    print(f"  ours (code, templates) by time inside ({'calls':>8} a request):")
    print_top(ours, requests, total, column=3)
    print(f"  all code by time in its own lines ({'calls':>8} a request):")
    print_top(table, requests, total, column=2)


def is_ours(path: str) -> bool:
    """Whether a profiled function is the tracker's code or one of its templates."""
    inside = Path(path).resolve()
    return any(inside.is_relative_to(ROOT / part) for part in OUR_CODE)


def print_top(
    table: dict[tuple[str, int, str], Any], requests: int, total: float, column: int
) -> None:
    """The TOP functions by a column of their profile rows (2 own, 3 inside)."""
    rows = sorted(table.items(), key=lambda item: -item[1][column])[:TOP]
    for (path, line, func), row in rows:
        where = "/".join(Path(path).parts[-2:])
        print(
            f"  {where + ':' + str(line) + ' ' + func:<58.58}"
            f"{row[1] / requests:>8.1f}{row[column] / total:>6.0%}"
        )


def one_call_costs(client: FlaskClient) -> None:
    """Microseconds per call of what a page calls many times, in a request."""
    app = client.application
    cookie = client.get_cookie("session")
    assert cookie is not None
    headers = {"Cookie": f"session={cookie.value}"}
    with app.test_request_context("/cases", headers=headers):
        app.preprocess_request()
        pieces: dict[str, Callable[[], object]] = {
            '_("Reference")': lambda: gettext("Reference"),
            'label("statuses", "accepted")': lambda: label("statuses", "accepted"),
            "day(date)": lambda: day(date(2025, 11, 3)),
            'url_for("cases.case", ...)': lambda: url_for(
                "cases.case", reference="PRI-2025-0001"
            ),
        }
        print("\none call, in a request:")
        for name, piece in pieces.items():
            seconds = timeit.timeit(piece, number=CALLS) / CALLS
            print(f"  {name:<34}{seconds * 1e6:>6.1f} us")


def main() -> None:
    """Profile the case list, page 500 of it, and case pages."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    _, references = prepared_site(args.store, SAMPLE)
    client = signed_in_client(args.store)
    pages = {
        "case list": ["/cases"],
        "case list, page 500": ["/cases?page=500"],
        "case page": [f"/cases/{reference}" for reference in references],
    }
    for name, paths in pages.items():
        ask(client, paths, args.requests)
        ms = ask(client, paths, args.requests) / args.requests * 1000
        report(name, profile(client, paths, args.requests), ms, args.requests)
    one_call_costs(client)


if __name__ == "__main__":
    main()
