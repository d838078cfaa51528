"""What the outage tests send and how they judge the answers, and the app
they send it to, served beside a real projection worker.

A forum's people (a secretary signed in on the web, in Albanian, and a
program with a token) send their pages, forms and API calls; each answer
is served, refused cleanly (503, the message in the reader's language, the
form as typed), or wrong; a `Tally` counts them for the run's summary line.
"""

from __future__ import annotations

import html
import os
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale
from werkzeug.test import TestResponse

from projections.views import Views, open_views
from tests.deployment.processes import TRACKER
from tests.faults.racing import Timed, at_the_same_moment
from tests.stores import Store
from tests.web.api.conftest import NEW_CASE, ApiClient, token_for
from tests.web.conftest import close_app, csrf_token, make_app, sign_in
from tracker.application import CaseTracker, open_tracker
from tracker.config import Settings
from tracker.errors import StoreUnavailable
from web.messages import message_for

LANGUAGE = "sq"
# Seconds a request waits for a locked file or an unreachable server.
WAIT = "1"
# A form the store could not take comes back 503, as the pages do.
FORM_REFUSED = (503,)
# Long enough for the pools to reconnect (they back off) and catch up.
RECOVERY_SECONDS = 90


@dataclass
class Forum:
    """The app, a secretary's session and token on it, and a case of hers for
    each (two notes on one case at once would refuse each other)."""

    app: Flask
    cookies: dict[str, str]
    token: str
    csrf: str
    reference: str = ""
    api_reference: str = ""

    def web(self) -> FlaskClient:
        """A browser of the secretary's, signed in (each thread its own)."""
        client = self.app.test_client()
        for name, value in self.cookies.items():
            client.set_cookie(name, value)
        return client

    def api(self) -> ApiClient:
        """A program with the secretary's token."""
        return ApiClient(self.app.test_client(), self.token)


Send = Callable[[Forum, str], TestResponse]


def _form(forum: Forum, path: str, fields: dict[str, Any]) -> TestResponse:
    return forum.web().post(path, data={"csrf_token": forum.csrf, **fields})


WEB_PAGES: dict[str, Send] = {
    "web dashboard": lambda f, _: f.web().get("/"),
    "web cases": lambda f, _: f.web().get("/cases"),
    "web case": lambda f, _: f.web().get(f"/cases/{f.reference}"),
    "web meetings": lambda f, _: f.web().get("/meetings"),
}
WEB_FORMS: dict[str, Send] = {
    "web new case": lambda f, typed: _form(
        f, "/cases/new",
        {"municipality": "GRA", "title": typed, "description": "Dark at night.",
         "category": "infrastructure", "communities": ["serb"],
         "raised_on": "2026-01-10", "language": "en"},
    ),
    "web note": lambda f, typed: _form(
        f, f"/cases/{f.reference}/steps/add_note", {"text": typed}
    ),
}  # fmt: skip
API_READS: dict[str, Send] = {
    "api cases": lambda f, _: f.api().get("/api/v1/cases"),
    "api case": lambda f, _: f.api().get(f"/api/v1/cases/{f.api_reference}"),
}
API_WRITES: dict[str, Send] = {
    "api new case": lambda f, typed: f.api().post(
        "/api/v1/cases", {**NEW_CASE, "title": typed}
    ),
    "api note": lambda f, typed: f.api().post(
        f"/api/v1/cases/{f.api_reference}/notes", {"text": typed}
    ),
}
# The requests read from the views (the others, one case, from its events).
FROM_VIEWS = {"web dashboard", "web cases", "web meetings", "api cases"}


def forum_on(app: Flask) -> Forum:
    """The secretary signed in (pages in Albanian), with a case of hers."""
    web = app.test_client()
    web.set_cookie("language", LANGUAGE)
    sign_in(web, "secretary")
    csrf = csrf_token(web, "/cases/new")
    cookies = {"language": LANGUAGE, "session": _cookie(web, "session")}
    token = token_for(app, "secretary")
    forum = Forum(app, cookies, token, csrf)
    forum.reference, forum.api_reference = (
        (forum.api().post("/api/v1/cases", NEW_CASE).json or {})["reference"]
        for _ in range(2)
    )
    return forum


def _cookie(client: FlaskClient, name: str) -> str:
    found = client.get_cookie(name)
    assert found is not None, f"no {name} cookie"
    return found.value


@dataclass(frozen=True)
class Answered:
    """One request sent during an outage or after it, and what came back."""

    name: str
    typed: str
    timed: Timed[TestResponse]

    @property
    def status(self) -> int:
        """The HTTP status."""
        return self.timed.answer.status_code

    @property
    def seconds(self) -> float:
        """How long it took to be answered."""
        return self.timed.answered - self.timed.sent


def send_in_turn(forum: Forum, requests: dict[str, Send], when: str) -> list[Answered]:
    """Every request, one after the other (as one web process serves them)."""
    answered = []
    for name, send in requests.items():
        typed = f"{name}, {when}"
        sent = time.monotonic()
        answer = send(forum, typed)
        answered.append(Answered(name, typed, Timed(answer, sent, time.monotonic())))
    return answered


def send_at_once(forum: Forum, requests: dict[str, Send], when: str) -> list[Answered]:
    """Every request in a thread of its own, sent together (as several web
    processes serve them); their answers."""
    typed = {name: f"{name}, {when}" for name in requests}
    timed = at_the_same_moment(
        [partial(send, forum, typed[name]) for name, send in requests.items()]
    )
    return [Answered(n, typed[n], t) for n, t in zip(requests, timed, strict=True)]


def said(app: Flask, language: str) -> str:
    """What a person reading `language` is told when the store is away."""
    with app.test_request_context(), force_locale(language):
        return message_for(StoreUnavailable("away"))


def unclean(app: Flask, answered: Answered, *, signed_in_known: bool = True) -> str:
    """What is wrong with an answer ('' when it was served, or refused cleanly).

    Without the sessions (`signed_in_known` false: they are in the same
    PostgreSQL database) nobody is known to be signed in, so no form can be
    shown again: the refusal is the 503 page, in the person's language.
    """
    answer, name = answered.timed.answer, answered.name
    if answered.status < 400:
        return ""
    if name.startswith("api"):
        body = answer.json or {}
        reasons = " ".join(e.get("reason", "") for e in body.get("errors", []))
        clean = answered.status == 503 and body.get("message") == said(app, "en")
        return "" if clean and "unavailable" in reasons else f"{answered.status} {body}"
    page = html.unescape(answer.get_data(as_text=True))
    wanted = FORM_REFUSED if name in WEB_FORMS else (503,)
    if answered.status not in wanted:
        return f"{answered.status} {page[:300]}"
    if said(app, LANGUAGE) not in page:
        return f"{answered.status} without the message in {LANGUAGE}"
    kept = name not in WEB_FORMS or answered.typed in page or not signed_in_known
    return "" if kept else "the form was not given back as typed"


def carried_out(answered: Answered) -> bool:
    """Whether a request was carried out (or its page shown)."""
    return answered.status in (200, 201, 302)


@dataclass
class Tally:
    """Every answer of a run, for its summary line."""

    answers: int = 0
    server_errors: int = 0
    slowest_refusal: float = 0.0

    def add(self, answers: list[Answered]) -> None:
        """Count a batch of answers."""
        self.answers += len(answers)
        self.server_errors += sum(a.status >= 500 and a.status != 503 for a in answers)
        refused = [a.seconds for a in answers if a.status >= 400]
        self.slowest_refusal = max([self.slowest_refusal, *refused])

    def line(self, store: str, cycles: int) -> str:
        """The summary for RELIABILITY.md."""
        return (
            f"OUTAGE store={store} cycles={cycles} requests={self.answers} "
            f"server_errors={self.server_errors} "
            f"max_fail_seconds={self.slowest_refusal:.1f}"
        )


# -- the app, a projection worker, and another process's writes ---------------


@dataclass
class Worker:
    """`tracker projections run` in a process of its own, and what it writes."""

    process: subprocess.Popen[bytes]
    log: Path

    def running(self) -> bool:
        """Whether it is still running."""
        return self.process.poll() is None

    def started(self) -> bool:
        """Whether it opened the store and began its work (it says so)."""
        return _soon(lambda: "Projection worker on" in self.log.read_text(), self)

    def catches_up(self, views: Views) -> bool:
        """Whether it brings the views to the head while nobody reads them."""
        return _soon(lambda: max(v.lag for v in views.status()) == 0, self)


def _soon(check: Callable[[], bool], worker: Worker) -> bool:
    """Whether `check` comes true while the worker runs, before long."""
    deadline = time.monotonic() + RECOVERY_SECONDS
    while time.monotonic() < deadline and worker.running():
        if check():
            return True
        time.sleep(0.1)
    return False


@contextmanager
def projection_worker(environ: dict[str, str], log: Path) -> Iterator[Worker]:
    """The worker as the compose file starts it; stopped with TERM after."""
    with log.open("w") as out:
        process = subprocess.Popen(
            [str(TRACKER), "projections", "run"], env={**os.environ, **environ},
            stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        yield Worker(process, log)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()  # no worker outlives its test, holding connections
            process.wait(timeout=10)
            raise


@dataclass
class Served:
    """The app and the worker on one store, and a way round them to it."""

    app: Flask
    worker: Worker
    # Another process's writes, and a look at the views, not through the app.
    other: CaseTracker
    views: Views

    def head(self) -> int:
        """The newest event recorded."""
        return self.other.recorder.max_notification_id() or 0


@contextmanager
def served(settings: Settings, app_environ: dict[str, str]) -> Iterator[Served]:
    """The worker (started first, it opens the store as the app is made),
    the app, and another tracker on `settings`."""
    other = open_tracker(settings)
    views = open_views(other, settings)
    environ = {"TRACKER_HOME": str(settings.home), **app_environ}
    try:
        with projection_worker(environ, settings.home.parent / "worker.log") as worker:
            app = make_app(Store("sqlite"), settings.home, app_environ)
            app.config["PROPAGATE_EXCEPTIONS"] = False  # failures answered as served
            try:
                assert worker.started(), worker.log.read_text()
                yield Served(app, worker, other, views)
            finally:
                close_app(app)
    finally:
        views.close()
        other.close()


def refused_unclean(
    app: Flask, answers: list[Answered], *, signed_in_known: bool = True
) -> list[tuple[str, str]]:
    """The answers that were neither served nor cleanly refused, and why."""
    known = signed_in_known
    found = [(a.name, unclean(app, a, signed_in_known=known)) for a in answers]
    return [(name, wrong) for name, wrong in found if wrong]


def not_served(answers: list[Answered]) -> list[str]:
    """The requests that were not carried out."""
    return [a.name for a in answers if not carried_out(a)]
