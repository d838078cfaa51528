"""Who may reach which route: the rule the authorization matrix checks.

A route needs one permission of `web.access.PERMISSIONS`, or only a signed-in
person, or nothing (public). Some routes are about one municipality's case,
meeting or report, or about one person's token: a role kept out of it is
refused there. What each role gets is never written per route: it follows
from `PERMISSIONS` and from where the test accounts work
(`tests.web.conftest.ACCOUNTS`: the secretary in GRA, everyone else
everywhere).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import TODAY, Demo
from tests.stores import Store
from tests.web.conftest import ACCOUNTS, close_app, make_app, services_of, sign_in
from web.access import ACCOUNTS as MANAGE_ACCOUNTS
from web.access import PERMISSIONS

PUBLIC = "public"  # anyone, signed in or not
SIGNED_IN = "signed in"  # anyone signed in, whatever the role
ANONYMOUS = "anonymous"
ROLES: tuple[str, ...] = (*PERMISSIONS, ANONYMOUS)

# Where a request points: at the secretary's own municipality, or another.
OWN, OTHER = "own", "other"
(HOME,) = ACCOUNTS["secretary"][1]
ELSEWHERE = "STR"
MUNICIPALITY = {OWN: HOME, OTHER: ELSEWHERE}
_WORKS_IN = dict(ACCOUNTS.values())  # role → the municipalities it works in
USERNAME = {role: username for username, (role, _) in ACCOUNTS.items()}
# An account of nobody in the matrix: its token is someone else's, admin
# pages change it.
BYSTANDER = "bystander"

# Refused for want of signing in: the API answers it, the web sends the
# browser to its sign-in page instead.
SIGN_IN = 401
FORBIDDEN = 403
NOT_FOUND = 404


@dataclass(frozen=True)
class Scope:
    """What a route is about that may not be the caller's, and the refusal then."""

    where: str  # "path", "query" or "body"
    refusal: int
    # A permission whose holders reach everyone's (an admin: anyone's token).
    overseen_by: str | None = None


# A case or meeting in the path (a person, by the case holding their data):
# as if it did not exist.
CASE_OR_MEETING = Scope("path", NOT_FOUND)
# A municipality asked for in the query (a report, an export): the same.
ASKED_MUNICIPALITY = Scope("query", NOT_FOUND)
# A municipality sent for a new case or meeting: refused outright.
SENT_MUNICIPALITY = Scope("body", FORBIDDEN)
# Someone else's API token: as if it did not exist, unless one manages accounts.
HOLDER = Scope("path", NOT_FOUND, overseen_by=MANAGE_ACCOUNTS)


@dataclass(frozen=True)
class Access:
    """What a route needs: a permission (or PUBLIC, SIGNED_IN), and its scope."""

    need: str
    scope: Scope | None = None
    # A public page whose one job is this answer (a portal's "not found").
    answers: int | None = None

    def places(self) -> tuple[str, ...]:
        """Where to try it: own and other, when a scope can keep a role out."""
        return (OWN, OTHER) if self.scope else (OWN,)


@dataclass(frozen=True)
class Route:
    """One method of one endpoint (and, for the route taking them all, a step)."""

    method: str
    endpoint: str
    step: str = ""

    def __str__(self) -> str:
        return " ".join(filter(None, (self.method, self.endpoint, self.step)))


# What load balancers and Prometheus poll, without signing in (web.health,
# web.metrics; /metrics takes a bearer token only when TRACKER_METRICS_TOKEN
# is set, which the matrix's app does not set).
OPERATIONS: dict[Route, Access] = {
    Route("GET", "health.healthz"): Access(PUBLIC),
    Route("GET", "metrics.exposition"): Access(PUBLIC),
}


@dataclass(frozen=True)
class Trial:
    """One request of the matrix: a route, as a role, at a place."""

    route: Route
    access: Access
    role: str
    place: str

    def __str__(self) -> str:
        return f"{self.route} | {self.role} | {self.place}"

    def refusals(self) -> frozenset[int]:
        """The answers that rightly refuse this request; none: it is let in."""
        return refusals(self.access, self.role, self.place)


def refusals(access: Access, role: str, place: str) -> frozenset[int]:
    """The answers that rightly refuse `role` at `place`; empty when it is let in.

    A role both without the permission and kept out of the scope may be told
    either: neither answer reveals whether the case or meeting exists.
    """
    if access.need == PUBLIC:
        return frozenset()
    if role == ANONYMOUS:
        return frozenset({SIGN_IN})
    refused = set()
    if access.need != SIGNED_IN and access.need not in PERMISSIONS[role]:
        refused.add(FORBIDDEN)
    if access.scope and place == OTHER and kept_out(access.scope, role):
        refused.add(access.scope.refusal)
    return frozenset(refused)


def let_in(status: int) -> bool:
    """Past the door: no refusal, no failure (a form's 422 or a 409 is fine)."""
    return status not in (SIGN_IN, FORBIDDEN, NOT_FOUND) and status < 500


def kept_out(scope: Scope, role: str) -> bool:
    """Whether the role is refused what belongs to another municipality or person."""
    if scope.overseen_by is not None:
        return scope.overseen_by not in PERMISSIONS[role]
    works_in = _WORKS_IN[role]
    return bool(works_in) and ELSEWHERE not in works_in


def trials(table: dict[Route, Access]) -> list[Trial]:
    """Every route of the table, as every role, at every place it has."""
    return [
        Trial(route, access, role, place)
        for route, access in table.items()
        for role in ROLES
        for place in access.places()
    ]


def routes_of(app: Flask, *, api: bool) -> set[tuple[str, str]]:
    """(method, endpoint) of every rule of the API, or of every other rule."""
    return {
        (method, rule.endpoint)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/") == api
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}
    }


def unlisted(app: Flask, table: Iterable[Route], *, api: bool) -> dict[str, set[str]]:
    """Routes of the app the table misses, and routes it names the app lacks."""
    routed = routes_of(app, api=api)
    listed = {(route.method, route.endpoint) for route in table}
    return {
        "missing from the table": {" ".join(r) for r in routed - listed},
        "gone from the app": {" ".join(r) for r in listed - routed},
    }


def address(app: Flask, trial: Trial, values: dict[str, str]) -> str:
    """The path of the trial's route with the values its rule takes.

    The municipality goes into the query for a route scoped by it there.
    """
    rule = next(
        r
        for r in app.url_map.iter_rules(trial.route.endpoint)
        if trial.route.method in (r.methods or set())
    )
    given = {name: values[name] for name in rule.arguments}
    if trial.access.scope and trial.access.scope.where == "query":
        given["municipality"] = MUNICIPALITY[trial.place]
    adapter = app.url_map.bind("localhost")
    built: str = adapter.build(trial.route.endpoint, given, method=trial.route.method)
    return built


@dataclass(frozen=True)
class Place:
    """The demo records of one municipality that the matrix's addresses name."""

    municipality: str
    case: str  # its referral got a commitment; steps are taken on it
    referral: str
    response: str
    published_case: str  # never stepped on, so the public keeps seeing it
    meeting: str


def place_in(app: Flask, municipality: str) -> Place:
    """A case with a referral and a commitment, a published case, a meeting."""
    with services_of(app).views.reading() as c:
        c.execute(
            "SELECT c.reference, r.referral_id, x.response_id FROM cases c "
            "JOIN referrals r ON r.case_id = c.case_id "
            "JOIN responses x ON x.referral_id = r.referral_id "
            "WHERE c.municipality = ? AND c.status = 'answered' "
            "AND c.published = 0 AND x.kind = 'commitment' "
            "ORDER BY c.reference LIMIT 1",
            (municipality,),
        )
        case, referral, response = c.fetchone()
        c.execute(
            "SELECT reference FROM cases WHERE municipality = ? AND published = 1 "
            "ORDER BY reference LIMIT 1",
            (municipality,),
        )
        (published,) = c.fetchone()
        c.execute(
            "SELECT meeting_id FROM meetings WHERE municipality = ? "
            "ORDER BY held_on LIMIT 1",
            (municipality,),
        )
        (meeting,) = c.fetchone()
    return Place(municipality, case, referral, response, published, meeting)


def person_in(app: Flask, municipality: str) -> str:
    """The person id of someone who raised a new case in the municipality."""
    tracker = services_of(app).tracker
    made = tracker.submit_case(
        actor="test", municipality=municipality, title="Unlit road",
        description="Children walk to school in the dark.",
        category="infrastructure", communities=["serb"], raised_on=TODAY,
        submitter={"name": "Mirlinda Bajrami", "contact": "+383 44 000 000"},
    )  # fmt: skip
    submitter = tracker.case(made.case_id).submitter
    assert submitter is not None
    return submitter.person_id.hex


def places_of(app: Flask) -> dict[str, Place]:
    """The records at the secretary's own municipality and at another."""
    return {place: place_in(app, code) for place, code in MUNICIPALITY.items()}


@contextmanager
def matrix_app(demo_store: Demo, store: Store, home: Path) -> Iterator[Flask]:
    """The app on its own copy of the demo data, for one module of the matrix.

    Without CSRF, which would refuse a form before its sign-in is checked.
    """
    demo_store.copy(store, home)
    app = make_app(store, home)
    app.config["WTF_CSRF_ENABLED"] = False
    yield app
    close_app(app)


def signed_in(app: Flask, username: str) -> FlaskClient:
    """A client of its own, signed in as the web's tests sign in (with CSRF)."""
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        return sign_in(app.test_client(), username)
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
