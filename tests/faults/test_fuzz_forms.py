"""Bad input, generated: every HTML form, filled in by hypothesis with hostile values.

Each form is opened as the person who uses it would open it (signed in with
the right role, on a fresh case, meeting or account of its own), its fields
are read from the page, and hypothesis sends plausible values with one or
more made hostile (`tests.faults.form_fields`). Whatever is sent, the server
never fails (no 5xx); a refusal shows the form again with why, keeping what
was typed, and writes nothing (no event but an audit entry, the record as it
was, no file left behind); an accepted input changes its one record, and
every view and page can still read it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from itertools import count
from pathlib import Path
from uuid import UUID, uuid4

import pyotp
import pytest
from eventsourcing.persistence import Notification
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.test import TestResponse

from tests.faults.form_fields import (
    TYPED,
    PageForm,
    Sent,
    Upload,
    Value,
    as_read,
    encoded,
    filled,
    forms_on,
)
from tests.faults.scale import rounds
from tests.stores import Store
from tests.web.conftest import (
    PASSWORD,
    close_app,
    csrf_token,
    enrol,
    make_app,
    moments,
    next_code,
    services_of,
    sign_in,
)
from tracker.application import CaseTracker
from tracker.import_templates import template_csv
from tracker.views import CaseView
from web.steps import STEPS

EXAMPLES = rounds(5, 200)
AUDIT = "domain.audit:AuditEntry.Recorded"
# POST routes outside /api/ that are not fuzzed here, and why (none: even
# signing out and the spreadsheet upload's own fields are; what is inside
# a spreadsheet is fuzzed with the importer).
NOT_FUZZED: dict[str, str] = {}
# A refusal's statuses; a form shown again with why is one of RE_SHOWN.
REFUSED = frozenset({400, 401, 403, 404, 409, 413, 422, 429})
RE_SHOWN = frozenset({401, 409, 422})
RAISED, SENT, ANSWERED = date(2025, 11, 3), date(2025, 11, 10), date(2025, 11, 20)
STRONG = "violet anchors drift past seven lanterns"


@dataclass
class Tally:
    """What the fuzzing sent and found, for RELIABILITY.md."""

    forms: set[str] = field(default_factory=set)
    inputs: int = 0
    server_errors: int = 0
    half_written: int = 0


@dataclass
class Forum:
    """The app being fuzzed, its signed-in people, and ids that exist elsewhere."""

    app: Flask
    clients: dict[str, FlaskClient]
    foreign: list[str] = field(default_factory=list)
    # A case of the forum's own municipality, for others to duplicate.
    original: str = ""
    tally: Tally = field(default_factory=Tally)
    numbers: Iterator[int] = field(default_factory=count)

    @property
    def tracker(self) -> CaseTracker:
        """The app's tracker."""
        return services_of(self.app).tracker

    def case(
        self,
        stage: str,
        municipality: str = "GRA",
        submitter: dict[str, str] | None = None,
    ) -> CaseView:
        """A fresh case at a stage of its life (one of `STEP_STAGES`' stages)."""
        made = self.tracker.submit_case(
            actor="secretary", municipality=municipality, title="Unlit road",
            description="Children walk to school in the dark.", language="en",
            category="infrastructure", communities=["serb", "albanian"],
            raised_on=RAISED, submitter=submitter,
        )  # fmt: skip
        _advance(self.tracker, made.case_id, stage)
        return self.tracker.case(made.case_id)

    def meeting(self, municipality: str = "GRA") -> UUID:
        """A fresh meeting, with a few people counted."""
        return self.tracker.record_meeting(
            actor="secretary", municipality=municipality, held_on=date(2026, 1, 10),
            place="Municipal hall",
            attendance=[{"gender": "female", "community": "serb", "count": 3}],
        )  # fmt: skip

    def account(self, role: str = "advocate", *, second_factor: bool = True) -> str:
        """A fresh account nobody here signs in to (or only its own test); its name."""
        name = f"fuzzed{next(self.numbers)}"
        self.tracker.create_account(
            actor="admin", username=name, password=PASSWORD, role=role
        )
        if second_factor:
            enrol(self.app, name, pyotp.random_base32())
        return name

    def client(self, username: str | None = None) -> FlaskClient:
        """A browser of its own, signed in as `username` (or nobody)."""
        client = self.app.test_client()
        client.set_cookie("language", "en")
        return sign_in(client, username) if username else client

    def half_signed_in(self, username: str) -> FlaskClient:
        """A browser that gave the account's password; its code is to come."""
        client = self.client()
        sent = {"username": username, "password": PASSWORD}
        client.post("/login", data={**sent, "csrf_token": csrf_token(client, "/login")})
        return client


def _advance(t: CaseTracker, case_id: UUID, stage: str) -> None:
    """Take a submitted case to a stage: accepted, referred, committed, …"""
    if stage == "published":
        t.publish_case(
            case_id, actor="coordinator", fields=("title", "category"),
            title="Unlit road", description="A road without lights.",
        )  # fmt: skip
    if stage in ("submitted", "published"):
        return
    t.accept_case(case_id, actor="advocate", priority="high")
    if stage == "resolved":
        t.resolve_case(
            case_id, actor="advocate", outcome="resolved", resolved_on=ANSWERED,
            summary="The lights were fixed.",
        )  # fmt: skip
    if stage in ("referred", "committed"):
        referral = t.refer_case(
            case_id, actor="advocate", institution_kind="mayor", sent_on=SENT,
            institution_name="Office of the Mayor", request_kind="general_request",
        )  # fmt: skip
        if stage == "committed":
            t.record_response(
                case_id, referral.referral_id, actor="advocate", kind="commitment",
                received_on=ANSWERED, summary="The lights will be fixed by spring.",
            )  # fmt: skip


# The stage at which each step of a case is offered.
STEP_STAGES = {
    "accept": "submitted", "decline": "submitted", "mark_duplicate": "submitted",
    "take_action": "accepted", "refer": "accepted", "record_response": "referred",
    "follow_up": "referred", "extend_deadline": "referred",
    "verify_commitment": "committed", "resolve": "accepted", "reopen": "resolved",
    "amend": "submitted", "translate": "submitted", "add_note": "submitted",
    "publish": "submitted", "unpublish": "published",
}  # fmt: skip


@dataclass
class Target:
    """One form, opened: who sends it, where it is shown and sent, what it changes."""

    client: FlaskClient
    page: str
    action: str
    state: Callable[[], object] = lambda: None
    valid: dict[str, list[str | Upload]] = field(default_factory=dict)
    # A field only this form of the page holds (two forms sent to one place).
    holding: str | None = None
    # The record an accepted input changes, alone, by one event.
    owner: UUID | None = None
    accepted: frozenset[int] = frozenset({302, 303})
    # Pages that must still be served after an accepted input.
    after: tuple[str, ...] = ()
    shared: bool = True  # the client is one of the forum's, kept signed in


def _case_step(name: str, forum: Forum) -> Target:
    case = forum.case(STEP_STAGES[name])
    path = f"/cases/{case.reference}"
    return Target(
        forum.clients["coordinator"], path, f"{path}/steps/{name}",
        state=lambda: forum.tracker.case(case.case_id),
        valid={"duplicate_of": [forum.original]}, owner=case.case_id,
        after=(path, "/cases", f"/public/cases/{case.reference}"),
    )  # fmt: skip


def _document(forum: Forum) -> Target:
    case = forum.case("submitted")
    path = f"/cases/{case.reference}"
    kept = services_of(forum.app).documents
    return Target(
        forum.clients["coordinator"], path, f"{path}/documents",
        state=lambda: (forum.tracker.case(case.case_id), _files(kept)),
        owner=case.case_id, after=(path,),
    )  # fmt: skip


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob("*")) if folder.is_dir() else []


def _new_case(forum: Forum) -> Target:
    page = f"/cases/new?meeting={forum.meeting().hex}"
    return Target(forum.clients["secretary"], page, page, after=("/cases", "/"))


def _import(forum: Forum) -> Target:
    sheet = Upload(b"cases.csv", template_csv())
    return Target(forum.clients["secretary"], "/cases/import", "/cases/import",
                  valid={"file": [sheet]}, accepted=frozenset({200}),
                  after=("/cases",))  # fmt: skip


def _meeting_form(part: str | None, forum: Forum) -> Target:
    if part is None:
        return Target(forum.clients["secretary"], "/meetings/new", "/meetings/new",
                      after=("/meetings",))  # fmt: skip
    meeting = forum.meeting()
    path = f"/meetings/{meeting.hex}"
    return Target(
        forum.clients["secretary"], path, f"{path}/{part}",
        state=lambda: forum.tracker.meeting(meeting),
        valid={"reference": [forum.case("submitted").reference]}, owner=meeting,
        after=(path, "/meetings"),
    )  # fmt: skip


def _account_form(action: str, holding: str | None, forum: Forum) -> Target:
    name = forum.account()
    found = forum.tracker.account(name)
    path = f"/admin/accounts/{found.account_id.hex}"
    return Target(
        forum.clients["admin"], path, f"{path}{action}", holding=holding,
        state=lambda: (forum.tracker.account(found.account_id),
                       services_of(forum.app).sessions.count(found.account_id)),
        owner=found.account_id, after=(path, "/admin/accounts", "/admin/audit"),
    )  # fmt: skip


def _new_account(forum: Forum) -> Target:
    name = f"newcomer{next(forum.numbers)}"
    return Target(forum.clients["admin"], "/admin/accounts", "/admin/accounts",
                  valid={"username": [name], "password": [STRONG]},
                  after=("/admin/accounts", "/admin/audit"))  # fmt: skip


def _erase(forum: Forum) -> Target:
    case = forum.case("submitted", submitter={"name": "Arta K.", "contact": "+383"})
    assert case.submitter is not None
    path = f"/admin/people/{case.submitter.person_id.hex}"
    return Target(
        forum.clients["admin"], path, path, owner=case.case_id,
        state=lambda: forum.tracker.case(case.case_id),
        valid={"confirmation": [case.reference]}, after=(f"/cases/{case.reference}",),
    )  # fmt: skip


def _sign_in(forum: Forum) -> Target:
    return Target(forum.client(), "/login", "/login", shared=False,
                  valid={"username": ["viewer"], "password": [PASSWORD]})  # fmt: skip


def _code(forum: Forum) -> Target:
    client = forum.half_signed_in("coordinator")
    return Target(client, "/login/code", "/login/code", shared=False,
                  valid={"code": [next_code(forum.app, "coordinator")]})  # fmt: skip


def _enrolment(forum: Forum) -> Target:
    client = forum.half_signed_in(forum.account("coordinator", second_factor=False))
    path = "/login/second-factor"
    secret = re.search(r"secret=([A-Z2-7]+)", client.get(path).get_data(as_text=True))
    assert secret, "no secret on the set-up page"
    code = pyotp.TOTP(secret.group(1)).at(moments(forum.app).advance(seconds=30))
    return Target(client, path, path, shared=False, valid={"code": [code]})


def _own_sessions(forum: Forum) -> Target:
    return Target(forum.clients["viewer"], "/account/sessions", "/account/sessions")


def _sign_out(forum: Forum) -> Target:
    return Target(forum.client("viewer"), "/", "/logout", shared=False)


@dataclass(frozen=True)
class FuzzedForm:
    """A form of the web: the route it is sent to, and how to open it."""

    name: str
    endpoint: str
    open: Callable[[Forum], Target]


FORMS = [
    *(FuzzedForm(n, "cases.take_step", partial(_case_step, n)) for n in STEP_STAGES),
    FuzzedForm("attach_document", "documents.upload", _document),
    FuzzedForm("new_case", "cases.new_case", _new_case),
    FuzzedForm("import", "imports.import_page", _import),
    FuzzedForm("new_meeting", "meetings.new_meeting", partial(_meeting_form, None)),
    *(FuzzedForm(p, f"meetings.{p}", partial(_meeting_form, p))
      for p in ("attendance", "agenda", "minutes")),
    FuzzedForm("new_account", "admin.accounts", _new_account),
    FuzzedForm("change_access", "admin.account", partial(_account_form, "", "role")),
    FuzzedForm("change_email", "admin.account", partial(_account_form, "", "email")),
    FuzzedForm("disable", "admin.disable", partial(_account_form, "/disable", None)),
    FuzzedForm("sign_out_everywhere", "admin.sign_out_everywhere",
               partial(_account_form, "/sign-out", None)),
    FuzzedForm("reset_second_factor", "admin.reset_second_factor",
               partial(_account_form, "/second-factor", None)),
    FuzzedForm("erase", "people.erase", _erase),
    FuzzedForm("sign_in", "auth.login", _sign_in),
    FuzzedForm("code", "second_factor.code", _code),
    FuzzedForm("enrol", "second_factor.enrol", _enrolment),
    FuzzedForm("own_sessions", "auth.own_sessions", _own_sessions),
    FuzzedForm("sign_out", "auth.logout", _sign_out),
]  # fmt: skip


@pytest.fixture(scope="module")
def forum(
    module_store: Store,
    tmp_path_factory: pytest.TempPathFactory,
    request: pytest.FixtureRequest,
) -> Iterator[Forum]:
    """The app on a store of this module's, its people signed in, ids elsewhere."""
    home = tmp_path_factory.mktemp("fuzz-forms") / "home"
    # The clock moves half a minute per code sent: sessions must outlast that.
    long = {
        "TRACKER_SESSION_IDLE_MINUTES": "100000",
        "TRACKER_SESSION_MAX_HOURS": "9999",
    }
    app = make_app(module_store, home, long)
    # Failed sign-ins are what is sent here, by the hundred: the limits on
    # guessing are tested elsewhere, and would stop the input at the door.
    app.config.update(TRACKER_SIGN_IN_RATE_LIMIT="100000 per minute",
                      TRACKER_ACCOUNT_LOCKOUT="100000 per minute")  # fmt: skip
    people = ("secretary", "coordinator", "admin", "viewer")
    found = Forum(app, {})
    found.clients = {name: found.client(name) for name in people}
    found.original = found.case("submitted").reference
    elsewhere = found.case("committed", "STR")
    found.foreign = [
        elsewhere.reference, elsewhere.case_id.hex, found.meeting("STR").hex,
        elsewhere.referrals[0].referral_id.hex, elsewhere.responses[0].response_id.hex,
        found.tracker.account("admin").account_id.hex, "GRA-2026-999", "GRA-0000-000",
        "XXX-2026-001", str(uuid4()), "0", "-1", "1", "99",
    ]  # fmt: skip
    yield found
    tally = found.tally
    line = (
        f"FUZZ_FORMS store={module_store.kind} forms={len(tally.forms)} "
        f"inputs={tally.inputs} server_errors={tally.server_errors} "
        f"half_written={tally.half_written}"
    )
    _say(request.config, line)
    close_app(app)


def _say(config: pytest.Config, line: str) -> None:
    """A line on the terminal, past pytest's capture: figures for RELIABILITY.md."""
    capture = config.pluginmanager.get_plugin("capturemanager")
    if capture is None:
        print(line)
        return
    with capture.global_and_fixture_disabled():
        print(f"\n{line}")


@pytest.mark.sqlite_only("the routes are the same on both stores")
def test_every_form_the_web_serves_is_fuzzed(forum: Forum) -> None:
    posted = {
        rule.endpoint
        for rule in forum.app.url_map.iter_rules()
        if "POST" in (rule.methods or ()) and not rule.rule.startswith("/api/")
    }
    fuzzed = {form.endpoint for form in FORMS}
    assert posted - fuzzed - NOT_FUZZED.keys() == set()
    steps = {name for name, step in STEPS.items() if step.perform is not None}
    assert steps <= {f.name for f in FORMS if f.endpoint == "cases.take_step"}


@pytest.mark.faults
@pytest.mark.parametrize("fuzzed", FORMS, ids=lambda f: f.name)
def test_hostile_input_never_fails_the_server_nor_half_writes(
    forum: Forum, fuzzed: FuzzedForm
) -> None:
    @settings(
        max_examples=EXAMPLES, deadline=None, database=None,
        suppress_health_check=list(HealthCheck),
    )  # fmt: skip
    @given(st.data())
    def send(data: st.DataObject) -> None:
        if not opened:
            target = fuzzed.open(forum)
            page = target.client.get(target.page)
            opened.append((target, _form_on(page, target.page, target)))
        target, form = opened.pop()
        sent = data.draw(filled(form, target.valid, forum.foreign))
        if _check(forum, target, form, sent):
            opened.append((target, form))  # refused: the same form takes the next

    # The form last opened, while refusals leave it as it was.
    opened: list[tuple[Target, PageForm]] = []

    forum.tally.forms.add(fuzzed.name)
    send()


def _form_on(answer: TestResponse, page: str, target: Target) -> PageForm:
    """The target's form on a page (the one sent to its action)."""
    assert answer.status_code < 500, answer.status_code
    found = [
        form for form in forms_on(answer.get_data(as_text=True), page)
        if form.method == "post" and form.action == target.action
        and (target.holding is None or target.holding in form.fields)
    ]  # fmt: skip
    assert found, f"no form sent to {target.action} on {page} ({answer.status_code})"
    return found[0]


def _check(forum: Forum, target: Target, form: PageForm, sent: Sent) -> bool:
    """Send the input: no server error, nothing half-written; whether refused."""
    tracker = forum.tracker
    head, state = tracker.recorder.max_notification_id() or 0, target.state()
    body, kind = encoded(sent, multipart="multipart" in form.enctype)
    answer = target.client.post(form.action, data=body, content_type=kind)
    forum.tally.inputs += 1
    status = answer.status_code
    if status >= 500:
        forum.tally.server_errors += 1
    assert status < 500, f"{status} for {_shown(sent)}"
    written = tracker.recorder.select_notifications(head + 1, limit=100)
    changes = [n for n in written if n.topic != AUDIT]
    if written:
        services_of(forum.app).views.catch_up()  # every view can read what was kept
    if status in target.accepted:
        _accepted(target, answer, changes, sent)
        return False
    if changes or target.state() != state:
        forum.tally.half_written += 1
    assert not changes, f"refused ({status}) but wrote {[n.topic for n in changes]}"
    assert target.state() == state, f"refused ({status}) but changed {_shown(sent)}"
    assert status in REFUSED, f"{status}: neither taken nor refused"
    if status in RE_SHOWN:
        _kept(answer, form, target, sent)
    return True


def _accepted(
    target: Target, answer: TestResponse, changes: list[Notification], sent: Sent
) -> None:
    """Taken: its one record changed once, and the pages that read it still work."""
    where = answer.headers.get("Location", "")
    assert not (target.shared and where.startswith("/login")), "signed out"
    if target.owner is not None and changes:
        owners = {n.originator_id for n in changes}
        assert (len(changes), owners) == (1, {target.owner}), _shown(sent)
    for page in (*target.after, *([where] if where else [])):
        shown = target.client.get(page)
        assert shown.status_code < 500, (
            f"{page}: {shown.status_code} after {_shown(sent)}"
        )


def _kept(answer: TestResponse, form: PageForm, target: Target, sent: Sent) -> None:
    """Refused and shown again: with why, and with what was typed in each field."""
    text = answer.get_data(as_text=True)
    assert 'class="error"' in text or 'role="alert"' in text, "refused without why"
    again = _form_on(answer, form.action, target)
    multipart = "multipart" in form.enctype
    # A raw body is read as the server splits it: there is no "as typed".
    for name, values in {} if sent.raw else sent.values.items():
        typed = form.fields.get(name)
        if not values or typed is None or typed.kind not in TYPED:
            continue
        read = [_read(v, multipart) for v in values]
        shown = again.fields[name].value if name in again.fields else None
        assert shown in (read[0], " ".join(read)), (
            f"{name}: {shown!r:.80} ≠ {read[0]!r:.80}"
        )


def _read(value: Value, multipart: bool) -> str:
    if multipart and isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return as_read(value)


def _shown(sent: Sent) -> str:
    """The hostile part of an input, short enough to read in a failure."""
    return ", ".join(
        f"{name}={[_bytes_of(v)[:60] for v in sent.values[name][:3]]}"
        for name in sorted(sent.hostile)
    )


def _bytes_of(value: Value) -> bytes:
    return value if isinstance(value, bytes) else value.filename
