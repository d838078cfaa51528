"""Every operation of the API that writes, with a request it accepts.

The fuzz test (`test_fuzz_api`) breaks these requests. Each operation of the
OpenAPI document that writes is described here once: how to prepare what it
acts on (a case in the state the step needs, or a token), a body the API
accepts for it, and which of its fields are free text that must read back
exactly as sent.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from tracker.application import CaseTracker

# The tracker's 'today' in the web tests is 2026-01-15; all of this happened before.
RAISED_ON = date(2026, 1, 5)
ACTOR = "advocate"
_numbers = itertools.count(1)


@dataclass
class Target:
    """What one request acts on: the path's values, and the case it changes."""

    path_values: dict[str, str] = field(default_factory=dict)
    case_id: UUID | None = None
    # The token a revocation is for, to check it stops working.
    token: str | None = None
    due_on: date | None = None


@dataclass(frozen=True)
class Operation:
    """A writing operation: what it acts on, a body it takes, its free text."""

    method: str
    path: str
    prepare: Callable[[CaseTracker], Target]
    body: Callable[[Target], dict[str, Any]]
    texts: tuple[str, ...] = ()
    # Fields a body may carry beyond those of the valid one.
    optional: tuple[str, ...] = ()
    upload: bool = False
    anonymous: bool = False

    @property
    def label(self) -> str:
        """``POST /api/v1/cases/{case}/notes``, as the document names it."""
        return f"{self.method} {self.path}"


# -- what the operations act on ----------------------------------------------


def nothing(_tracker: CaseTracker) -> Target:
    """An operation that makes its own record (a case, a meeting, a token)."""
    return Target()


def submitted_case(tracker: CaseTracker, municipality: str = "GRA") -> Target:
    """A new case in Graçanicë (the secretary's municipality)."""
    made = tracker.submit_case(
        actor=ACTOR, municipality=municipality, title=f"Fuzzed case {next(_numbers)}",
        description="Waste is dumped by the bridge.", category="environment",
        communities=["albanian", "serb"], raised_on=RAISED_ON, language="en",
    )  # fmt: skip
    return Target({"case": made.reference}, made.case_id)


def accepted_case(tracker: CaseTracker) -> Target:
    """A case accepted for advocacy."""
    target = submitted_case(tracker)
    assert target.case_id is not None
    tracker.accept_case(target.case_id, actor=ACTOR, priority="high")
    return target


def referred_case(tracker: CaseTracker) -> Target:
    """A case referred to the mayor on 2026-01-06."""
    target = accepted_case(tracker)
    assert target.case_id is not None
    made = tracker.refer_case(
        target.case_id, actor=ACTOR, institution_kind="mayor",
        institution_name="Office of the Mayor", request_kind="general_request",
        sent_on=date(2026, 1, 6),
    )  # fmt: skip
    target.path_values["referral"] = str(made.referral_id)
    target.due_on = made.due_on
    return target


def committed_case(tracker: CaseTracker) -> Target:
    """A case whose referral was answered with a commitment."""
    target = referred_case(tracker)
    assert target.case_id is not None
    response_id = tracker.record_response(
        target.case_id, UUID(target.path_values["referral"]), actor=ACTOR,
        received_on=date(2026, 1, 8), kind="commitment", summary="Will clean it.",
    )  # fmt: skip
    target.path_values["response"] = str(response_id)
    return target


def resolved_case(tracker: CaseTracker) -> Target:
    """A case resolved on 2026-01-10."""
    target = committed_case(tracker)
    assert target.case_id is not None
    tracker.resolve_case(
        target.case_id, actor=ACTOR, outcome="resolved",
        resolved_on=date(2026, 1, 10), summary="Cleaned.",
    )  # fmt: skip
    return target


def advocates_token(tracker: CaseTracker) -> Target:
    """A token of the advocate's: an admin may revoke it, a secretary may not."""
    issued = tracker.issue_token("advocate", actor="test", label="to revoke")
    return Target({"token_id": str(issued.token_id)}, token=issued.token)


# -- the operations -------------------------------------------------------------

CASE = "/api/v1/cases/{case}"
REFERRAL = f"{CASE}/referrals/{{referral}}"
TODAY = "2026-01-15"


def _extension(target: Target) -> dict[str, Any]:
    assert target.due_on is not None
    later = target.due_on + timedelta(days=5)
    return {"due_date": later.isoformat(), "reason": "The mayor asked for time."}


OPERATIONS: tuple[Operation, ...] = (
    Operation(
        "POST", "/api/v1/tokens", nothing,
        lambda _: {"username": "advocate", "password": "a long enough password",
                   "label": "fuzzed", "days": 30},
        texts=("label",), optional=("code",), anonymous=True,
    ),
    Operation("DELETE", "/api/v1/tokens/{token_id}", advocates_token, lambda _: {}),
    Operation(
        "POST", "/api/v1/cases", nothing,
        lambda _: {"municipality": "GRA", "title": "Polluted river",
                   "description": "Waste by the bridge.", "category": "environment",
                   "communities": ["albanian", "serb"], "raised_on": "2026-01-05"},
        texts=("title", "description", "location", "submitter"),
        optional=("language", "meeting", "location", "submitter"),
    ),
    Operation(
        "POST", f"{CASE}/triage", submitted_case,
        lambda _: {"decision": "decline", "reason": "Not a forum matter."},
        texts=("reason",), optional=("priority", "duplicate_of"),
    ),
    Operation(
        "POST", f"{CASE}/actions", accepted_case,
        lambda _: {"kind": "petition", "taken_on": "2026-01-07", "signatures": 120,
                   "description": "Petition to the mayor",
                   "communities": ["serb", "albanian"]},
        texts=("description",),
    ),
    Operation(
        "POST", f"{CASE}/referrals", accepted_case,
        lambda _: {"institution_kind": "mayor", "institution_name": "Kryetari",
                   "request_kind": "general_request", "sent_on": "2026-01-07"},
        texts=("institution_name",),
    ),
    Operation(
        "POST", f"{REFERRAL}/responses", referred_case,
        lambda _: {"received_on": "2026-01-12", "kind": "commitment",
                   "summary": "The bank will be cleaned."},
        texts=("summary",), optional=("document_id",),
    ),
    Operation(
        "POST", f"{REFERRAL}/extensions", referred_case, _extension, texts=("reason",)
    ),
    Operation(
        "POST", f"{REFERRAL}/follow-ups", referred_case,
        lambda _: {"followed_up_on": "2026-01-09", "channel": "phone",
                   "note": "Asked again."},
        texts=("note",),
    ),
    Operation(
        "POST", f"{CASE}/responses/{{response}}/verification", committed_case,
        lambda _: {"status": "fulfilled", "verified_on": "2026-01-14",
                   "evidence": "Visited the bank."},
        texts=("evidence",),
    ),
    Operation(
        "POST", f"{CASE}/resolution", committed_case,
        lambda _: {"outcome": "resolved", "resolved_on": TODAY, "summary": "Done."},
        texts=("summary",),
    ),
    Operation(
        "POST", f"{CASE}/reopen", resolved_case,
        lambda _: {"reopened_on": TODAY, "reason": "Waste is back."},
        texts=("reason",),
    ),
    Operation(
        "POST", f"{CASE}/notes", submitted_case, lambda _: {"text": "Photos taken."},
        texts=("text",), optional=("sensitive",),
    ),
    Operation(
        "POST", f"{CASE}/documents", submitted_case, lambda _: {}, upload=True
    ),
    Operation(
        "POST", "/api/v1/meetings", nothing,
        lambda _: {"municipality": "GRA", "date": "2026-01-10", "location": "Hall",
                   "attendance": [{"gender": "female", "community": "serb",
                                   "count": 12}]},
        texts=("location",), optional=("cases",),
    ),
)  # fmt: skip

WRITING_METHODS = ("post", "put", "patch", "delete")


def writing_operations(document: dict[str, Any]) -> set[str]:
    """Every operation of an OpenAPI document that writes, as ``METHOD /path``."""
    return {
        f"{method.upper()} {path}"
        for path, operations in document["paths"].items()
        for method in operations
        if method in WRITING_METHODS
    }
