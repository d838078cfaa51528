"""The app under fuzzing, and what a request to it may leave behind.

`Fuzzing` sends the broken requests (`api_requests`) to the app and keeps
what each operation acts on. `refused_whole` says what a refused request
changed (nothing, if it was refused whole: no notification but a failed
sign-in's audit entry, the case's version as it was, no file kept);
`kept_whole` what an accepted one failed to keep (its record reads back
through the API, every free text sent comes back trimmed and otherwise
exact, and the lists the views serve still answer).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from flask import Flask
from werkzeug.test import TestResponse

from tests.faults.api_operations import Operation, Target, submitted_case
from tests.faults.api_requests import BrokenRequest
from tests.faults.api_uploads import fresh_form, uploaded
from tests.web.api.conftest import token_for
from tests.web.conftest import services_of

# The only record a refused request may leave: a failed sign-in on the audit log.
AUDIT_TOPIC = "domain.audit:AuditEntry.Recorded"


@dataclass
class Tally:
    """What the fuzzing sent and saw (replays while shrinking included)."""

    inputs: int = 0
    accepted: int = 0
    server_errors: int = 0
    half_written: int = 0
    failures: dict[str, str] = field(default_factory=dict)


class Fuzzing:
    """The app being fuzzed, the records its requests aim at, and the tally."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.tracker = services_of(app).tracker
        self.tokens = {role: token_for(app, role) for role in ("admin", "secretary")}
        # A case of Shtërpcë: the secretary's requests for it must answer 404.
        elsewhere = submitted_case(self.tracker, "STR")
        self.elsewhere = elsewhere.path_values["case"]
        self.elsewhere_id = elsewhere.case_id
        self.targets: dict[str, Target] = {}
        self.tally = Tally()

    def target(self, operation: Operation) -> Target:
        """What the operation acts on: prepared once, again after it was changed."""
        if operation.label not in self.targets:
            self.targets[operation.label] = operation.prepare(self.tracker)
        return self.targets[operation.label]

    def send(
        self, operation: Operation, target: Target, request: BrokenRequest
    ) -> TestResponse:
        """Send the broken request as its role (or anonymously)."""
        headers = dict(request.headers)
        if not operation.anonymous:
            headers["Authorization"] = f"Bearer {self.tokens[request.role]}"
        path = request.path(operation, target, self.elsewhere)
        client = self.app.test_client()
        if operation.upload:
            return client.open(
                path, method=operation.method, data=fresh_form(request.content),
                headers=headers, content_type=request.content_type,
            )  # fmt: skip
        return client.open(
            path, method=operation.method, data=request.content,
            headers={**headers, "Content-Type": request.content_type},
        )  # fmt: skip

    def read(self, path: str, token: str | None = None) -> TestResponse:
        """GET a path of the API as the admin (or with another token)."""
        bearer = token or self.tokens["admin"]
        return self.app.test_client().get(
            path, headers={"Authorization": f"Bearer {bearer}"}
        )


@dataclass(frozen=True)
class Before:
    """What a refused request must leave as it was."""

    head: int
    versions: dict[UUID, int]
    files: frozenset[str]


def before(fuzzing: Fuzzing, target: Target) -> Before:
    """The store's newest notification, the cases' versions, the kept files."""
    return Before(head(fuzzing), versions(fuzzing, target), kept_files(fuzzing))


def versions(fuzzing: Fuzzing, target: Target) -> dict[UUID, int]:
    """The versions of the cases a request may aim at: its target's, elsewhere's."""
    cases = (target.case_id, fuzzing.elsewhere_id)
    return {case: fuzzing.tracker.case(case).version for case in cases if case}


def head(fuzzing: Fuzzing) -> int:
    """The id of the store's newest notification."""
    return fuzzing.tracker.recorder.max_notification_id() or 0


def kept_files(fuzzing: Fuzzing) -> frozenset[str]:
    """The files in the documents folder."""
    folder = services_of(fuzzing.app).documents
    return (
        frozenset(p.name for p in folder.iterdir()) if folder.exists() else frozenset()
    )


def written_since(fuzzing: Fuzzing, was: Before, operation: Operation) -> list[str]:
    """What a refused request wrote: the topics of the notifications after `was`."""
    recorder = fuzzing.tracker.recorder
    new = recorder.select_notifications(start=was.head + 1, limit=1000)
    allowed = {AUDIT_TOPIC} if operation.anonymous else set()
    return [n.topic for n in new if n.topic not in allowed]


def refused_whole(
    fuzzing: Fuzzing, operation: Operation, target: Target, was: Before
) -> list[str]:
    """Each thing a refused request changed (none, if it was refused whole)."""
    changed = [f"wrote {topic}" for topic in written_since(fuzzing, was, operation)]
    now = versions(fuzzing, target)
    changed += [
        f"case version {was.versions[case]} became {version}"
        for case, version in now.items()
        if version != was.versions[case]
    ]
    new_files = kept_files(fuzzing) - was.files
    if new_files:
        changed.append(f"kept {len(new_files)} uploaded file(s)")
    return changed


def texts_in(value: Any) -> Iterator[str]:
    """Every text inside a JSON value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for inner in value.values():
            yield from texts_in(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from texts_in(inner)


def sent_texts(operation: Operation, body: Any) -> list[str]:
    """The free texts an accepted body holds, as the domain keeps them (trimmed)."""
    if not isinstance(body, dict):
        return []
    sent = (
        text.strip() for name in operation.texts for text in texts_in(body.get(name))
    )
    return [text for text in sent if text]


def kept_whole(
    fuzzing: Fuzzing,
    operation: Operation,
    target: Target,
    request: BrokenRequest,
    answer: TestResponse,
) -> list[str]:
    """Each way an accepted request's record does not read back whole."""
    del fuzzing.targets[operation.label]  # changed: the next request gets another
    seen, problems = read_back(fuzzing, operation, target, request, answer)
    missing = [t for t in sent_texts(operation, request.read_as) if t not in seen]
    problems += [f"text {t[:80]!r} does not read back" for t in missing]
    for listing in ("/api/v1/cases?per_page=1", "/api/v1/meetings?per_page=1"):
        status = fuzzing.read(listing).status_code
        if status != 200:
            problems.append(f"GET {listing} answers {status} after it")
    return problems


def read_back(
    fuzzing: Fuzzing,
    operation: Operation,
    target: Target,
    request: BrokenRequest,
    answer: TestResponse,
) -> tuple[set[str], list[str]]:
    """The texts the record reads back with, and what could not be read."""
    made: dict[str, Any] = answer.get_json(silent=True) or {}
    if operation.method == "DELETE":
        status = fuzzing.read("/api/v1/tokens", target.token).status_code
        return set(), [] if status == 401 else [f"revoked token still answers {status}"]
    if operation.anonymous:
        paths = ["/api/v1/tokens"]
        token = str(made.get("token"))
    elif operation.path.startswith("/api/v1/meetings"):
        paths, token = [f"/api/v1/meetings/{made.get('id')}"], None
    else:
        case = str(made.get("id"))  # the case the path named, wherever it is
        paths, token = [f"/api/v1/cases/{case}", f"/api/v1/cases/{case}/history"], None
    seen: set[str] = set()
    problems = []
    for path in paths:
        read = fuzzing.read(path, token)
        if read.status_code != 200:
            problems.append(f"GET {path} answers {read.status_code}")
        seen.update(texts_in(read.get_json(silent=True)))
    if operation.upload:
        problems += upload_kept(fuzzing, request, made)
    return seen, problems


def upload_kept(
    fuzzing: Fuzzing, request: BrokenRequest, made: dict[str, Any]
) -> list[str]:
    """Whether the accepted file is kept byte for byte under its hash."""
    sent = uploaded(request.content)
    kept = services_of(fuzzing.app).documents / str(made.get("sha256"))
    if sent is None or not kept.exists() or kept.read_bytes() != sent[0]:
        return ["the accepted file is not kept as sent"]
    return []
