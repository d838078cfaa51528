"""A case's lifecycle steps: one POST per step, each one tracker command.

Every step takes ``If-Match`` (the version read) and ``Idempotency-Key``,
checks the caller's role and municipality as the web does, and answers with
the case's new version (as the body's ``version`` and the ``ETag``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from flask_smorest import Blueprint

from tracker.views import CaseView
from web.access import ACT, NOTE, REFER, RESOLVE, RESPOND, TRIAGE
from web.api import idempotency, versions
from web.api.auth import caller, requires
from web.api.cases import visible_case
from web.api.resources import resource
from web.api.schemas import steps as schemas
from web.api.versions import Reply, current_version_told, etag, expected_version
from web.services import services

steps = resource(
    "Steps", "/cases", "A case's lifecycle: triage, advocacy, referrals, outcome."
)

# A step's command: given the case and the version asked for, the ids it made.
Perform = Callable[[CaseView, int | None], dict[str, Any]]


def take_step(case: str, perform: Perform, status: int = 201) -> Reply:
    """Check municipality and version; perform; answer with the case."""
    found = visible_case(case)
    tracker = services().tracker
    with current_version_told(lambda: tracker.case(found.case_id).version):
        made = perform(found, expected_version(found.version))
    after = tracker.case(found.case_id)
    body = {
        "id": after.case_id,
        "reference": after.reference,
        "status": after.status,
        "version": after.version,
        **made,
    }
    return body, status, {"ETag": etag(after.version)}


def step_route(
    permission: str,
    rule: str,
    arguments: type,
    returns: type,
    summary: str,
    status: int = 201,
    location: str = "json",
) -> Callable[[Callable[..., Reply]], Callable[..., Reply]]:
    """Route, document and guard one step: who may, its body and its answer."""

    def decorate(view: Callable[..., Reply]) -> Callable[..., Reply]:
        documented: Callable[..., Reply] = steps.doc(
            summary=summary,
            **_merged(idempotency.DOC, versions.DOC),
        )(view)
        documented = steps.response(status, returns)(documented)
        documented = steps.arguments(arguments, location=location)(documented)
        documented = idempotency.idempotent(documented)
        documented = requires(permission)(documented)
        routed: Callable[..., Reply] = _route(steps, rule)(documented)
        return routed

    return decorate


def _route(blueprint: Blueprint, rule: str) -> Callable[..., Any]:
    return blueprint.route(rule, methods=["POST"])  # type: ignore[no-any-return]


def _merged(*docs: dict[str, list[Any]]) -> dict[str, list[Any]]:
    """Several documented header parameters as one."""
    return {"parameters": [p for doc in docs for p in doc["parameters"]]}


def actor() -> str:
    """Who takes the step: the token's account."""
    return caller().username


@step_route(
    TRIAGE,
    "/<case>/triage",
    schemas.TriageSchema,
    schemas.StepDoneSchema,
    "Accept, decline or mark a duplicate",
    200,
)
def triage(body: dict[str, Any], case: str) -> Reply:
    """Accept a new case, decline it with a reason, or close it as a duplicate."""
    tracker = services().tracker

    def perform(found: CaseView, version: int | None) -> dict[str, Any]:
        if body["decision"] == "accept":
            tracker.accept_case(
                found.case_id, actor=actor(), priority=body["priority"],
                expected_version=version,
            )  # fmt: skip
        elif body["decision"] == "decline":
            tracker.decline_case(found.case_id, actor=actor(), reason=body["reason"],
                                 expected_version=version)  # fmt: skip
        else:
            visible_case(body["duplicate_of"].strip())  # only a case one may see
            tracker.mark_duplicate(found.case_id, actor=actor(),
                                   duplicate_of=body["duplicate_of"].strip(),
                                   expected_version=version)  # fmt: skip
        return {}

    return take_step(case, perform, 200)


@step_route(
    ACT,
    "/<case>/actions",
    schemas.NewActionSchema,
    schemas.ActionTakenSchema,
    "Record an advocacy action",
)
def actions(body: dict[str, Any], case: str) -> Reply:
    """Record a letter, a meeting with officials, a petition, …"""
    return take_step(case, lambda found, version: {
        "action_id": services().tracker.take_action(
            found.case_id, actor=actor(), expected_version=version, **body)
    })  # fmt: skip


@step_route(
    REFER,
    "/<case>/referrals",
    schemas.NewReferralSchema,
    schemas.ReferralMadeSchema,
    "Refer the case to an institution",
)
def referrals(body: dict[str, Any], case: str) -> Reply:
    """Send the case to an institution; the answer is due by the rule's date."""

    def perform(found: CaseView, version: int | None) -> dict[str, Any]:
        made = services().tracker.refer_case(
            found.case_id, actor=actor(), expected_version=version, **body
        )
        return {"referral_id": made.referral_id, "due_date": made.due_on}

    return take_step(case, perform)


@step_route(
    RESPOND,
    "/<case>/referrals/<uuid:referral>/responses",
    schemas.NewResponseSchema,
    schemas.ResponseRecordedSchema,
    "Record an institution's response",
)
def responses(body: dict[str, Any], case: str, referral: UUID) -> Reply:
    """Record what the institution answered to a referral."""
    return take_step(case, lambda found, version: {
        "response_id": services().tracker.record_response(
            found.case_id, referral, actor=actor(), expected_version=version, **body)
    })  # fmt: skip


@step_route(
    REFER,
    "/<case>/referrals/<uuid:referral>/extensions",
    schemas.ExtensionSchema,
    schemas.StepDoneSchema,
    "Extend a referral's deadline",
)
def extensions(body: dict[str, Any], case: str, referral: UUID) -> Reply:
    """Move a referral's due date later, within the limit its rule allows."""
    return take_step(case, lambda found, version: _nothing(
        services().tracker.extend_deadline(
            found.case_id, referral, actor=actor(), due_on=body["due_date"],
            reason=body["reason"], expected_version=version)
    ))  # fmt: skip


@step_route(
    REFER,
    "/<case>/referrals/<uuid:referral>/follow-ups",
    schemas.FollowUpSchema,
    schemas.StepDoneSchema,
    "Record a follow-up",
)
def follow_ups(body: dict[str, Any], case: str, referral: UUID) -> Reply:
    """Record chasing the institution for its answer."""
    return take_step(case, lambda found, version: _nothing(
        services().tracker.follow_up(
            found.case_id, referral, actor=actor(), expected_version=version, **body)
    ))  # fmt: skip


@step_route(
    REFER,
    "/<case>/responses/<uuid:response>/verification",
    schemas.VerificationSchema,
    schemas.StepDoneSchema,
    "Verify a commitment",
    200,
)
def verification(body: dict[str, Any], case: str, response: UUID) -> Reply:
    """Record whether a commitment the institution made was kept."""
    return take_step(case, lambda found, version: _nothing(
        services().tracker.verify_commitment(
            found.case_id, response, actor=actor(), expected_version=version, **body)
    ), 200)  # fmt: skip


@step_route(
    RESOLVE,
    "/<case>/resolution",
    schemas.NewResolutionSchema,
    schemas.StepDoneSchema,
    "Resolve the case",
    200,
)
def resolution(body: dict[str, Any], case: str) -> Reply:
    """Close the case with its outcome."""
    return take_step(case, lambda found, version: _nothing(
        services().tracker.resolve_case(
            found.case_id, actor=actor(), expected_version=version, **body)
    ), 200)  # fmt: skip


@step_route(
    RESOLVE,
    "/<case>/reopen",
    schemas.ReopenSchema,
    schemas.StepDoneSchema,
    "Reopen the case",
    200,
)
def reopen(body: dict[str, Any], case: str) -> Reply:
    """Open a closed case again, with the reason."""
    return take_step(case, lambda found, version: _nothing(
        services().tracker.reopen_case(
            found.case_id, actor=actor(), expected_version=version, **body)
    ), 200)  # fmt: skip


@step_route(
    NOTE, "/<case>/notes", schemas.NewNoteSchema, schemas.NoteAddedSchema, "Add a note"
)
def notes(body: dict[str, Any], case: str) -> Reply:
    """Keep a note on the case."""
    return take_step(case, lambda found, version: {
        "note_id": services().tracker.add_note(
            found.case_id, actor=actor(), expected_version=version, **body)
    })  # fmt: skip


def _nothing(_version: int) -> dict[str, Any]:
    """A step that makes no new id: the answer is the case alone."""
    return {}
