"""The people and programs of `bench_load`: sessions running errands over HTTP.

A web session is someone signed in at a browser: a session cookie, pages
read, forms sent with the page's CSRF token and the case's version, the
redirect after a form followed as a browser does. An API session is a
program with a bearer token: JSON read, writes sent with an Idempotency-Key
(and If-Match, the ETag it read, when it adds to a case). Each session
picks among the cases its lists showed it.

Each request is timed and judged (`load_clients`); what was written with a
success answer is remembered, its text marked with the run's marker, so
the store can be checked afterwards. `drive` is one client thread's work.
"""

from __future__ import annotations

import json
import random
import re
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode, urlsplit
from uuid import uuid4

from benchmarks.load_clients import (
    API_READ,
    API_WRITE,
    READ_PAGE,
    WRITE_FORM,
    Answer,
    Client,
    Plan,
    Tally,
)
from tracker.demo import FORUM_COMMUNITIES
from tracker.demo_texts import ISSUES, PLACES

YEARS = (2023, 2024, 2025)
# What people search for: the first word of each demo issue's titles.
SEARCHED = sorted({issue[n].split()[0] for issue in ISSUES for n in (1, 2)})
NOTE, ACTION = "Spoke with the village council again", "Letter to the directorate"
_REFERENCE = re.compile(r'href="/cases/([A-Z]{3}-\d{4}-\d{3})"')


@dataclass
class Session:
    """Someone signed in (a cookie) or a program (a token), and what it has seen."""

    username: str
    role: str
    municipalities: tuple[str, ...]
    cookie: str = ""
    token: str = ""
    seen: deque[str] = field(default_factory=lambda: deque(maxlen=60))

    @property
    def writes(self) -> bool:
        """Whether the role records anything (a viewer only reads)."""
        return self.role != "viewer"


def forum(c: Client, s: Session) -> str:
    """One of the municipalities the session works in."""
    return c.rng.choice(s.municipalities)


def a_case(c: Client, s: Session) -> str | None:
    """A case the session has seen in a list (after reading one, if none yet)."""
    if not s.seen:
        (web_list if s.cookie else api_list)(c, s)
    return c.rng.choice(s.seen) if s.seen else None


def new_case(c: Client, municipality: str) -> dict[str, str | list[str]]:
    """A case as a forum raises one: a demo issue, in a village of the forum."""
    category, albanian, serbian, _, description = c.rng.choice(ISSUES)
    serb_text = c.rng.random() < 0.4
    place = c.rng.choice(PLACES[municipality])
    communities = FORUM_COMMUNITIES[municipality]
    return {
        "municipality": municipality,
        "title": (serbian if serb_text else albanian).format(place=place),
        "description": c.text(description.format(place=place)),
        "category": category,
        "communities": c.rng.sample(communities, c.rng.randint(1, 2)),
        "raised_on": time.strftime("%Y-%m-%d"),
        "language": "sr" if serb_text else "sq",
        "location": place,
    }


# -- people at browsers -------------------------------------------------------


def page(c: Client, s: Session, path: str) -> Answer | None:
    """A page as a signed-in browser asks for it; the cases it lists are seen."""
    answer = c.ask(READ_PAGE, path, {"Cookie": s.cookie})
    if answer is not None:
        s.seen.extend(_REFERENCE.findall(answer.body))
    return answer


def send_form(
    c: Client, s: Session, opened: Answer, path: str, fields: list[tuple[str, str]]
) -> str | None:
    """A form sent from its page, CSRF token and version included; where it led."""
    prefix = path.rsplit("/", 1)[1] + "-" if "/steps/" in path else ""
    kept = [(n, _value(opened.body, prefix + n)) for n in ("csrf_token", "version")]
    body = urlencode([(n, v) for n, v in kept if v is not None] + fields).encode()
    headers = {"Cookie": s.cookie, "Content-Type": "application/x-www-form-urlencoded"}
    answer = c.ask(WRITE_FORM, path, headers, body, expected=302)
    if answer is None:
        return None
    c.tally.writes[WRITE_FORM] += 1
    going_to = urlsplit(answer.location).path
    page(c, s, going_to)  # the browser follows the redirect
    return going_to


def _value(html: str, field_id: str) -> str | None:
    found = re.search(rf'id="{field_id}"[^>]*value="([^"]*)"', html)
    return found.group(1) if found else None


def web_list(c: Client, s: Session) -> None:
    """The case list of a municipality, one of its first pages."""
    page(c, s, f"/cases?municipality={forum(c, s)}&page={c.rng.randint(1, 3)}")


def web_case(c: Client, s: Session) -> Answer | None:
    """A case's page: its facts, its timeline, the forms of the steps it allows."""
    reference = a_case(c, s)
    return page(c, s, f"/cases/{quote(reference)}") if reference else None


def web_step(c: Client, s: Session, wanted: str = "add_note") -> None:
    """A step taken from a case's page: `wanted` if the case allows it, else a note."""
    opened = web_case(c, s)
    if opened is None:
        return
    step = wanted if f'/steps/{wanted}"' in opened.body else "add_note"
    found = re.search(rf'action="(/cases/([^"/]+)/steps/{step})"', opened.body)
    if found is None:
        c.tally.failed(WRITE_FORM, "no form to add a note")
        return
    path, reference = found.groups()
    fields = [("text", c.text(NOTE))]
    if step == "take_action":
        fields = [
            ("kind", "letter"),
            ("taken_on", _value(opened.body, "take_action-taken_on") or ""),
            ("description", c.text(ACTION)),
            *(("communities", one) for one in FORUM_COMMUNITIES[reference[:3]][:2]),
        ]
    if send_form(c, s, opened, path, fields):
        (c.tally.actions if step == "take_action" else c.tally.notes)[reference] += 1


def web_new_case(c: Client, s: Session) -> None:
    """A new case logged through the form; its page, where the form leads."""
    opened = page(c, s, "/cases/new")
    if opened is None:
        return
    fields = [
        (name, value)
        for name, given in new_case(c, forum(c, s)).items()
        for value in ([given] if isinstance(given, str) else given)
    ]
    going_to = send_form(c, s, opened, "/cases/new", fields)
    if going_to and going_to.startswith("/cases/"):
        c.tally.new_cases.append(going_to.split("/")[2])


def web_report(c: Client, s: Session) -> None:
    """The accountability report of a year, for one municipality or for all."""
    where = forum(c, s) if s.role == "secretary" or c.rng.random() < 0.7 else ""
    year = c.rng.choice(YEARS)
    page(c, s, f"/reports/accountability?year={year}&municipality={where}")


# -- programs with tokens -----------------------------------------------------


def api(
    c: Client, s: Session, path: str, sent: object = None, etag: str = ""
) -> Answer | None:
    """A read with the session's token, or a keyed write (If-Match `etag`, if any)."""
    headers = {"Authorization": f"Bearer {s.token}", "Accept": "application/json"}
    if sent is None:
        return c.ask(API_READ, f"/api/v1{path}", headers)
    headers |= {"Content-Type": "application/json", "Idempotency-Key": uuid4().hex}
    headers |= {"If-Match": etag} if etag else {}
    body = json.dumps(sent).encode()
    answer = c.ask(API_WRITE, f"/api/v1{path}", headers, body, expected=201)
    c.tally.writes[API_WRITE] += answer is not None
    return answer


def api_list(c: Client, s: Session) -> None:
    """A page of a municipality's cases; their references are seen."""
    asked = f"/cases?municipality={forum(c, s)}&page={c.rng.randint(1, 3)}&per_page=25"
    answer = api(c, s, asked)
    if answer is not None:
        s.seen.extend(case["reference"] for case in json.loads(answer.body)["cases"])


def api_case(c: Client, s: Session, tail: str = "") -> Answer | None:
    """One case (or its history, with `tail`), by reference."""
    reference = a_case(c, s)
    return api(c, s, f"/cases/{quote(reference)}{tail}") if reference else None


def api_note(c: Client, s: Session) -> None:
    """A note added to a case just read, If-Match the version read."""
    read = api_case(c, s)
    if read is None:
        return
    reference = json.loads(read.body)["reference"]
    note = {"text": c.text(NOTE)}
    if api(c, s, f"/cases/{quote(reference)}/notes", note, read.etag):
        c.tally.notes[reference] += 1


def api_new_case(c: Client, s: Session) -> None:
    """A case submitted by a program."""
    answer = api(c, s, "/cases", new_case(c, forum(c, s)))
    if answer is not None:
        c.tally.new_cases.append(json.loads(answer.body)["reference"])


def api_report(c: Client, s: Session) -> None:
    """The accountability report of a year for a municipality, as JSON."""
    year = c.rng.choice(YEARS)
    api(c, s, f"/reports/accountability?year={year}&municipality={forum(c, s)}")


Errand = Callable[[Client, Session], object]
# (errand, weight, whether it writes): a viewer runs only those that do not.
WEB_ERRANDS: tuple[tuple[Errand, int, bool], ...] = (
    (lambda c, s: page(c, s, "/"), 15, False),  # the dashboard
    (web_list, 20, False),
    (lambda c, s: page(c, s, f"/cases?q={quote(c.rng.choice(SEARCHED))}"), 10, False),
    (web_case, 25, False),
    (web_report, 5, False),
    (lambda c, s: page(c, s, "/meetings"), 5, False),
    (web_step, 10, True),  # a note
    (lambda c, s: web_step(c, s, "take_action"), 6, True),
    (web_new_case, 4, True),
)
API_ERRANDS: tuple[tuple[Errand, int, bool], ...] = (
    (api_list, 25, False),
    (api_case, 30, False),
    (lambda c, s: api_case(c, s, "/history"), 10, False),
    (api_report, 5, False),
    (api_note, 20, True),
    (api_new_case, 10, True),
)


# -- running them -------------------------------------------------------------


def drive(sessions: list[Session], plan: Plan, seed: int) -> Tally:
    """One thread: its sessions' errands in turn, a pause after each, until time."""
    tally = Tally()
    rng = random.Random(seed)  # nosec B311: choices, not secrets
    client = Client(plan.port, plan.marker, tally, rng)
    time.sleep(max(0.0, plan.start - time.monotonic()))
    deadline, turn = plan.start + plan.seconds, 0
    while time.monotonic() < deadline:
        session = sessions[turn % len(sessions)]
        turn += 1
        errands = WEB_ERRANDS if session.cookie else API_ERRANDS
        allowed = [(e, w) for e, w, writes in errands if session.writes or not writes]
        errand = rng.choices([e for e, _ in allowed], [w for _, w in allowed])[0]
        errand(client, session)
        if plan.think > 0:
            pause = min(rng.expovariate(1 / plan.think), 5 * plan.think)
            time.sleep(max(0.0, min(pause, deadline - time.monotonic())))
    return tally
