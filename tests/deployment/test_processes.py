"""The processes of docker-compose.yml, run without Docker, carry a case's life.

`init`, `web` and `worker` start with the commands and settings the compose
file gives them. Only what Docker would provide is put in its place: a fresh
PostgreSQL database for the `db` service, a free local port for the
published one, folders of a temporary directory for the volumes and each
container's own files. Accounts are made with `tracker users`, as an
operator would (`docker compose run --rm web tracker users create …`); then
people take a case from submission to resolution through gunicorn's
workers, with cookies and CSRF tokens as a browser sends them, while the
worker keeps the views caught up. The same runs on the default SQLite store.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pyotp
import pytest

from tests.deployment.processes import Deployment, deploy, throwaway_database
from tests.deployment.web_client import Person
from tests.postgres import needs_postgres

pytestmark = pytest.mark.slow


@pytest.fixture(params=[pytest.param("postgresql", marks=needs_postgres), "sqlite"])
def deployment(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Deployment]:
    """The compose file's processes on PostgreSQL (as in Docker), or on SQLite."""
    if request.param == "sqlite":
        with deploy(tmp_path, database_url=None) as running:
            yield running
        return
    with throwaway_database() as url, deploy(tmp_path, url) as running:
        yield running


# -- a case's life ---------------------------------------------------------------


TODAY = date.today()
TITLE = "No bus between Laplje Selo and Gračanica after 16:00"
INSTITUTION = "Directorate of Public Services, Municipality of Gračanica"
# (step, fields typed or chosen, the status the case shows after it)
STEPS = [
    ("accept", {"priority": "high"}, "Accepted"),
    ("refer", {"institution_kind": "municipal_directorate",
               "request_kind": "general_request", "institution_name": INSTITUTION,
               "sent_on": str(TODAY - timedelta(days=2))}, "Referred"),
    ("record_response", {"kind": "concrete_action",
                         "received_on": str(TODAY - timedelta(days=1)),
                         "summary": "An evening bus runs from February."}, "Answered"),
    ("resolve", {"outcome": "resolved", "resolved_on": str(TODAY),
                 "summary": "The evening line runs; the forum checks in March."},
     "Resolved"),
]  # fmt: skip


def status_shown(page: str) -> str:
    """The status a case page shows under its heading."""
    found = re.search(r'<span class="status">([^<]+)</span>', page)
    assert found, "no status on the page"
    return found.group(1).strip()


def submit_case(secretary: Person) -> str:
    """The secretary logs a case on the new-case page; its reference."""
    form = secretary.get("/cases/new")
    page = secretary.submit(
        form,
        {
            "title": TITLE,
            "description": "Raised by Albanian and Serb members of the forum.",
            "category": "public_services",
            "communities": ["albanian", "serb"],
            "raised_on": str(TODAY - timedelta(days=3)),
            "language": "en",
            "location": "Laplje Selo",
        },
    )
    found = re.fullmatch(r"/cases/(GRA-\d{4}-\d{3})", page.path)
    assert found, f"not on a case page but {page.path} ({page.status})"
    assert status_shown(page.text) == "Submitted"
    return found.group(1)


def test_a_case_goes_from_submission_to_resolution_through_the_served_processes(
    deployment: Deployment,
) -> None:
    deployment.tracker("users", "create", "secretary", "--role", "secretary",
                       "--municipality", "GRA", "--password-stdin",
                       stdin=deployment.password)  # fmt: skip
    deployment.tracker("users", "create", "advocate", "--role", "advocate",
                       "--password-stdin", stdin=deployment.password)  # fmt: skip
    secretary, advocate = deployment.person(), deployment.person()
    assert secretary.sign_in("secretary").path == "/"
    reference = submit_case(secretary)

    assert advocate.sign_in("advocate").path == "/"
    for step, fields, status in STEPS:
        page = advocate.get(f"/cases/{reference}")
        page = advocate.submit(page, fields, action=f"/cases/{reference}/steps/{step}")
        assert page.path == f"/cases/{reference}", (step, page.status, page.path)
        assert status_shown(page.text) == status, step

    listed = secretary.get("/cases")
    row = re.search(rf"{reference}.*?</tr>", listed.text, re.DOTALL)
    assert row, f"{reference} is not in the list"
    assert "Resolved" in row.group(0)
    token = deployment.tracker("users", "token", "advocate").strip()
    answer = deployment.person().get(
        f"/api/v1/cases/{reference}", headers={"Authorization": f"Bearer {token}"}
    )
    assert json.loads(answer.text)["status"] == "resolved"


def test_an_admin_sets_up_a_second_factor_and_signs_in_with_it(
    deployment: Deployment,
) -> None:
    deployment.tracker("users", "create", "admin", "--role", "admin",
                       "--password-stdin", stdin=deployment.password)  # fmt: skip
    admin = deployment.person()
    page = admin.sign_in("admin")
    assert page.path == "/login/second-factor"
    secret = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', page.text)
    assert secret, "no key shown to set up the authenticator app"
    code = pyotp.TOTP(secret.group(1).replace(" ", "")).now()
    signed_in = admin.submit(page, {"code": code})
    assert (signed_in.status, signed_in.path) == (200, "/")
    assert admin.get("/admin/audit").status == 200


def test_the_worker_catches_the_views_up_and_every_process_stops_cleanly(
    deployment: Deployment,
) -> None:
    before = deployment.health()
    deployment.tracker("users", "create", "viewer", "--role", "viewer",
                       "--password-stdin", stdin=deployment.password)  # fmt: skip
    # Nothing queries the views meanwhile: only the worker can move them on.
    after = deployment.wait_for(
        lambda: (
            (h := deployment.health())["head"] > before["head"]
            and h["max_lag"] == 0
            and h
        )
    )
    assert all(view["lag"] == 0 for view in after["views"].values())
    assert deployment.stop() == {"web": 0, "worker": 0}
    assert deployment.init() == 0, "init is safe to run again"
