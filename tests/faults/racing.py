"""Two people acting at the same moment over HTTP, and the proof that they did.

`at_the_same_moment` releases one thread per person together (a barrier)
and times each request: two requests were *in flight together* when both
were sent before either was answered. The web's access log names the
gunicorn worker that answered each request (by the User-Agent the request
carried), so `workers_answering` tells whether two workers served them, as
two processes racing for the store, rather than one worker one after the
other.

The people racing are two advocates (one reading the pages in Albanian) and
two secretaries of Gračanica, on the served processes of docker-compose.yml
(`Forum`); what each sends in a round carries a text only they wrote, so a
case's history shows whose change was stored.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Generic, TypeVar
from urllib.error import HTTPError
from urllib.request import Request, urlopen

from tests.deployment.processes import Deployment
from tests.deployment.web_client import Page, Person, _FormReader

T = TypeVar("T")

# Two advocates of the same forum, and the language each reads the pages in.
ADVOCATES = {"arta": "sq", "oliver": "en"}
SECRETARIES = ("drita", "milica")
TODAY = date.today()

# The end of gunicorn's access log line: the User-Agent, quoted (web/serve.py).
_LOGGED = re.compile(r'^<(?P<worker>\d+)> .*"(?P<agent>[^"]*)"$')


@dataclass(frozen=True)
class Timed(Generic[T]):
    """What one person got back, and when (monotonic) it was sent and answered."""

    answer: T
    sent: float
    answered: float


def at_the_same_moment(acts: Sequence[Callable[[], T]]) -> list[Timed[T]]:
    """Run every act in its own thread, released together; their timed answers."""
    barrier = threading.Barrier(len(acts))

    def timed(act: Callable[[], T]) -> Timed[T]:
        barrier.wait(timeout=30)
        sent = time.monotonic()
        answer = act()
        return Timed(answer, sent, time.monotonic())

    pool = ThreadPoolExecutor(len(acts))
    try:
        running = [pool.submit(timed, act) for act in acts]
        return [r.result(timeout=60) for r in running]
    finally:  # not waiting for an act that hangs: the result above said so
        pool.shutdown(wait=False, cancel_futures=True)


def in_flight_together(answers: Sequence[Timed[Any]]) -> bool:
    """Whether every request was sent before any of them was answered."""
    return max(a.sent for a in answers) < min(a.answered for a in answers)


def workers_answering(log: str, agents: Sequence[str]) -> dict[str, set[str]]:
    """Per User-Agent, the gunicorn workers (pids) whose access log names it."""
    found: dict[str, set[str]] = {agent: set() for agent in agents}
    for line in log.splitlines():
        logged = _LOGGED.match(line.strip())
        if logged and logged["agent"] in found:
            found[logged["agent"]].add(logged["worker"])
    return found


@dataclass(frozen=True)
class Reply:
    """An API answer: status, headers and the JSON body."""

    status: int
    headers: Mapping[str, str]
    body: Any


@dataclass(frozen=True)
class ApiCaller:
    """A program calling the JSON API with one account's token (or none)."""

    url: str
    token: str
    agent: str = "racing"

    def send(
        self,
        method: str,
        path: str,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
        agent: str | None = None,
    ) -> Reply:
        """One request to /api/v1; its answer, whatever the status."""
        request = Request(
            f"{self.url}/api/v1{path}",
            data=None if body is None else json.dumps(body).encode(),
            method=method,
            headers={
                "Content-Type": "application/json",
                "User-Agent": agent or self.agent,
                **({"Authorization": f"Bearer {self.token}"} if self.token else {}),
                **(headers or {}),
            },
        )
        try:
            with urlopen(request, timeout=30) as answer:
                return Reply(answer.status, dict(answer.headers), _json(answer.read()))
        except HTTPError as refused:
            return Reply(refused.code, dict(refused.headers), _json(refused.read()))


def _json(raw: bytes) -> Any:
    try:
        return json.loads(raw or b"null")
    except ValueError:
        return raw.decode(errors="replace")


def as_agent(person: Person, agent: str) -> Person:
    """The person's browser, naming itself `agent` from now on (in the access log)."""
    person.opener.addheaders = [("User-agent", agent)]
    return person


def form_sent_to(page: Page, action: str) -> dict[str, list[str]]:
    """What the page's form sent to `action` holds now: field → values."""
    reader = _FormReader()
    reader.feed(page.text)
    for form in reader.forms:
        if form.action == action:
            held: dict[str, list[str]] = {}
            for name, value in form.fields:
                # A browser drops the newline that opens a textarea's content.
                held.setdefault(name, []).append(re.sub(r"^\r?\n", "", value))
            return held
    return {}


def still_typed(held: Mapping[str, list[str]], typed: Mapping[str, Any]) -> bool:
    """Whether a kept form still holds everything that was typed into it."""
    return all(
        sorted([value] if isinstance(value, str) else value)
        == sorted(held.get(name, []))
        for name, value in typed.items()
    )


@dataclass
class Tally:
    """How the rounds of one race went, for the one-line summary."""

    kind: str
    store: str
    counts: dict[str, int] = field(default_factory=dict)

    def count(self, name: str, times: int = 1) -> None:
        """Count `times` more of `name` (a bool counts one round, or none)."""
        self.counts[name] = self.counts.get(name, 0) + int(times)

    def line(self) -> str:
        """``SAME_MOMENT kind=… store=… name=count …``, to quote."""
        figures = " ".join(f"{k}={v}" for k, v in self.counts.items())
        return f"SAME_MOMENT kind={self.kind} store={self.store} {figures}"


# -- the people racing, and what they send ---------------------------------------


@dataclass
class Forum:
    """The served processes, and the accounts of the people racing each other."""

    deployment: Deployment
    store: str
    tokens: dict[str, str]

    def api(self, name: str) -> ApiCaller:
        """A program calling the API as `name`."""
        return ApiCaller(self.deployment.url, self.tokens[name])

    def signed_in(self, name: str, language: str = "en") -> Person:
        """`name` at a browser of their own, signed in, pages in `language`."""
        person = self.deployment.person()
        person.get(f"/language/{language}")
        assert person.sign_in(name).path == "/", f"{name} could not sign in"
        return person

    def new_case(self, title: str) -> str:
        """A new case in Gračanica, logged through the API; its reference."""
        made = self.api("oliver").send("POST", "/cases", {
            "municipality": "GRA", "title": title, "category": "infrastructure",
            "description": "No street lights on the road to the school.",
            "communities": ["albanian", "serb"],
            "raised_on": str(TODAY - timedelta(days=30)), "language": "en",
        })  # fmt: skip
        assert made.status == 201, made.body
        return str(made.body["reference"])


def forum_of(deployment: Deployment, store: str) -> Forum:
    """The served processes, with two advocates and two secretaries of Gračanica."""
    made: list[tuple[str, str, tuple[str, ...]]]
    made = [(name, "advocate", ()) for name in ADVOCATES]
    made += [(name, "secretary", ("--municipality", "GRA")) for name in SECRETARIES]
    for name, role, where in made:
        deployment.tracker("users", "create", name, "--role", role, *where,
                           "--password-stdin", stdin=deployment.password)  # fmt: skip
    exchange = ApiCaller(deployment.url, token="")
    tokens = {}
    for name in ADVOCATES:
        issued = exchange.send(
            "POST", "/tokens", {"username": name, "password": deployment.password}
        )
        assert issued.status == 201, issued.body
        tokens[name] = str(issued.body["token"])
    return Forum(deployment, store, tokens)


def version_of(reply: Reply) -> int:
    """The version an answer's ETag names."""
    return int(reply.headers["ETag"].strip('"'))


# The API's conflicting steps, in the order a case takes them; a new case
# starts at triage.
API_STEPS = ("triage", "actions", "referrals", "follow-ups", "notes", "resolution",
             "reopen")  # fmt: skip


def api_step(kind: str, reference: str, referral: str, marker: str) -> tuple[str, Any]:
    """The path and body of one person's step; `marker` is what only they wrote."""
    today = str(TODAY)
    bodies: dict[str, tuple[str, Any]] = {
        "triage": ("triage", {"decision": "accept", "priority": marker}),
        "actions": ("actions", {"kind": "letter", "taken_on": today,
                                "description": marker, "communities": ["serb"]}),
        "referrals": ("referrals", {
            "institution_kind": "municipal_directorate", "institution_name": marker,
            "request_kind": "general_request", "sent_on": today}),
        "follow-ups": (f"referrals/{referral}/follow-ups",
                       {"followed_up_on": today, "channel": "phone", "note": marker}),
        "notes": ("notes", {"text": marker}),
        "resolution": ("resolution", {"outcome": "resolved", "resolved_on": today,
                                      "summary": marker}),
        "reopen": ("reopen", {"reopened_on": today, "reason": marker}),
    }  # fmt: skip
    path, body = bodies[kind]
    return f"/cases/{reference}/{path}", body


def written_by(step: str, name: str, number: int) -> str:
    """What only this person sends in a round: a triage's priority, else a text."""
    if step in ("triage", "accept"):
        return "high" if name == "arta" else "low"
    return f"{name}, round {number}: ç ë ž"


# The web's conflicting steps and what each person types into the form.
WEB_STEPS = ("accept", "take_action", "refer", "add_note", "resolve", "reopen")
# Steps a case can take again: the loser's kept form, sent again, lands.
REPEATABLE = {"take_action", "refer", "add_note"}


def typed_into(step: str, marker: str) -> dict[str, str | list[str]]:
    """What a person types into a step's form; `marker` is what only they wrote."""
    today = str(TODAY)
    forms: dict[str, dict[str, str | list[str]]] = {
        "accept": {"priority": marker},
        "take_action": {"kind": "letter", "taken_on": today, "description": marker,
                        "communities": ["albanian", "serb"]},
        "refer": {"institution_kind": "municipal_directorate",
                  "institution_name": marker, "request_kind": "general_request",
                  "sent_on": today},
        "add_note": {"text": marker},
        "resolve": {"outcome": "resolved", "resolved_on": today, "summary": marker},
        "reopen": {"reopened_on": today, "reason": marker},
    }  # fmt: skip
    return forms[step]


def served_apart(forum: Forum, agents: list[list[str]], tally: Tally) -> None:
    """Count the rounds whose two requests two different workers answered."""
    names = [agent for pair in agents for agent in pair]
    log = forum.deployment.log("web")

    def every_request_logged() -> dict[str, set[str]] | None:
        found = workers_answering(log.read_text(), names)
        return found if all(found.values()) else None

    found = forum.deployment.wait_for(every_request_logged)
    assert found is not None  # wait_for returns only a found answer
    for pair in agents:
        tally.count("on_two_workers", len(found[pair[0]] | found[pair[1]]) == 2)
