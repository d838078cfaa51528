"""Each rule of a case's lifecycle: the command is refused and nothing is recorded."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from uuid import uuid4

import pytest

from domain import case_errors as errors
from domain.case import Case
from domain.errors import InvalidValue, NegativeCount
from tests.domain.scenario import (
    ACTION_ON,
    DUE_ON,
    RAISED_ON,
    RESOLVED_ON,
    SENT_ON,
    Step,
    accept,
    accepted_case,
    add_note,
    amend,
    answered_case,
    attach_document,
    committed_case,
    decline,
    declined_case,
    duplicate_case,
    extend_deadline,
    follow_up,
    given,
    mark_duplicate,
    publish,
    refer,
    referred_case,
    refused,
    reopen,
    resolve,
    resolved_case,
    respond,
    submit,
    submitted_case,
    take_action,
    then,
    translate,
    unpublish,
    verify,
)

BEFORE_RAISED = RAISED_ON - timedelta(days=1)
BEFORE_SENT = SENT_ON - timedelta(days=1)

# --- a response needs an open referral --------------------------------------


def test_response_to_an_unknown_referral_is_rejected() -> None:
    case, _ = referred_case()

    error = refused(case, respond(uuid4()), errors.ReferralNotFound)
    assert error.field == "referral_id"


def test_response_to_an_answered_referral_is_rejected() -> None:
    case, referral_id = answered_case()

    error = refused(case, respond(referral_id), errors.ReferralAlreadyAnswered)
    assert error.field == "referral_id"


def test_follow_up_on_an_unknown_referral_is_rejected() -> None:
    case, _ = referred_case()

    refused(case, follow_up(uuid4()), errors.ReferralNotFound)


def test_follow_up_on_an_answered_referral_is_rejected() -> None:
    case, referral_id = answered_case()

    refused(case, follow_up(referral_id), errors.ReferralAlreadyAnswered)


def test_extension_of_an_answered_referral_is_rejected() -> None:
    case, referral_id = answered_case()

    refused(case, extend_deadline(referral_id), errors.ReferralAlreadyAnswered)


# --- no date before the case was raised, or before what it follows ----------


@pytest.mark.parametrize(
    ("case_at", "step", "field"),
    [
        (accepted_case, take_action(taken_on=BEFORE_RAISED), "taken_on"),
        (
            accepted_case,
            refer(sent_on=BEFORE_RAISED, due_on=DUE_ON),
            "sent_on",
        ),
        (accepted_case, resolve(resolved_on=BEFORE_RAISED), "resolved_on"),
        (declined_case, reopen(reopened_on=BEFORE_RAISED), "reopened_on"),
    ],
    ids=["action", "referral", "resolution", "reopening"],
)
def test_date_before_the_case_was_raised_is_rejected(
    case_at: Callable[[], Case], step: Step, field: str
) -> None:
    error = refused(case_at(), step, errors.DateBeforeCaseRaised)
    assert error.field == field


def test_follow_up_before_referral_is_rejected() -> None:
    case, referral_id = referred_case()

    error = refused(
        case,
        follow_up(referral_id, followed_up_on=BEFORE_SENT),
        errors.DateBeforeReferral,
    )
    assert error.field == "followed_up_on"


def test_response_before_referral_is_rejected() -> None:
    case, referral_id = referred_case()

    error = refused(
        case, respond(referral_id, received_on=BEFORE_SENT), errors.DateBeforeReferral
    )
    assert error.field == "received_on"


def test_due_date_before_the_referral_was_sent_is_rejected() -> None:
    error = refused(accepted_case(), refer(due_on=BEFORE_SENT), errors.DateOutOfOrder)
    assert error.field == "due_on"


def test_verification_before_the_response_is_rejected() -> None:
    case, response_id = committed_case()
    made_on = case.responses[response_id.hex].received_on

    error = refused(
        case,
        verify(response_id, verified_on=made_on - timedelta(days=1)),
        errors.DateBeforeResponse,
    )
    assert error.field == "verified_on"


def test_reopening_before_the_resolution_is_rejected() -> None:
    error = refused(
        resolved_case(),
        reopen(reopened_on=RESOLVED_ON - timedelta(days=1)),
        errors.DateBeforeResolution,
    )
    assert error.field == "reopened_on"


def test_raised_on_amended_after_existing_advocacy_is_rejected() -> None:
    case = given(accepted_case(), take_action(taken_on=ACTION_ON))

    error = refused(
        case, amend(raised_on=ACTION_ON + timedelta(days=1)), errors.DateOutOfOrder
    )
    assert error.field == "raised_on"


def test_raised_on_amended_after_a_referral_is_rejected() -> None:
    case, _ = referred_case()

    refused(case, amend(raised_on=SENT_ON + timedelta(days=1)), errors.DateOutOfOrder)


def test_raised_on_amended_after_a_reopening_is_rejected() -> None:
    case = given(declined_case(), reopen(reopened_on=date(2024, 3, 5)))

    refused(case, amend(raised_on=date(2024, 3, 20)), errors.DateOutOfOrder)


def test_an_old_snapshot_still_rejects_raised_on_after_its_first_date() -> None:
    case = given(accepted_case(), refer(), take_action(taken_on=ACTION_ON))
    snapshot = Case.Snapshot.take(case)
    del snapshot.state["first_dated_on"]
    del snapshot.state["class_version"]

    loaded = snapshot.mutate(None)
    assert isinstance(loaded, Case)

    assert loaded.first_dated_on == ACTION_ON
    refused(
        loaded, amend(raised_on=ACTION_ON + timedelta(days=1)), errors.DateOutOfOrder
    )


# --- a declined or duplicate case takes no advocacy until reopened ----------

ADVOCACY_STEPS = {
    "action": take_action(),
    "referral": refer(),
    "follow_up": follow_up(uuid4()),
    "response": respond(uuid4()),
    "verification": verify(uuid4()),
    "resolution": resolve(),
}


@pytest.mark.parametrize("closed_case", [declined_case, duplicate_case])
@pytest.mark.parametrize("step", ADVOCACY_STEPS.values(), ids=ADVOCACY_STEPS.keys())
def test_declined_or_duplicate_case_takes_no_advocacy(
    closed_case: Callable[[], Case], step: Step
) -> None:
    error = refused(closed_case(), step, errors.CaseNotOpenForAdvocacy)
    assert error.field == "status"


@pytest.mark.parametrize("closed_case", [declined_case, duplicate_case])
def test_declined_or_duplicate_case_takes_advocacy_once_reopened(
    closed_case: Callable[[], Case],
) -> None:
    case = given(closed_case(), reopen(reopened_on=ACTION_ON))

    take_action(taken_on=ACTION_ON)(case)
    refer()(case)

    then(case, [Case.AdvocacyActionTaken, Case.Referred])


@pytest.mark.parametrize("step", ADVOCACY_STEPS.values(), ids=ADVOCACY_STEPS.keys())
def test_advocacy_on_a_case_not_yet_accepted_is_rejected(step: Step) -> None:
    error = refused(submitted_case(), step, errors.CaseNotAccepted)
    assert error.field == "status"


# --- a resolved case takes nothing but notes, publication and reopening -----

OPEN_REFERRAL, COMMITMENT = uuid4(), uuid4()


def resolved_with_open_referral(outcome: str) -> Case:
    """Resolved with one referral answered by a commitment and one still open."""
    answered = uuid4()
    return given(
        submit(),
        accept(),
        refer(answered),
        respond(answered, "commitment", response_id=COMMITMENT),
        refer(OPEN_REFERRAL, institution_kind="mayor"),
        resolve(outcome),
    )


RESOLVED_REFUSES = {
    "amendment": amend(title="A new title"),
    "translation": translate(),
    "action": take_action(),
    "referral": refer(),
    "follow_up": follow_up(OPEN_REFERRAL),
    "extension": extend_deadline(OPEN_REFERRAL),
    "response": respond(OPEN_REFERRAL),
    "verification": verify(COMMITMENT),
    "document": attach_document(),
    "resolution": resolve(),
}


@pytest.mark.parametrize("outcome", ["resolved", "partially_resolved", "unresolved"])
@pytest.mark.parametrize("step", RESOLVED_REFUSES.values(), ids=RESOLVED_REFUSES.keys())
def test_resolved_case_takes_nothing_but_notes_publication_and_reopening(
    outcome: str, step: Step
) -> None:
    case = resolved_with_open_referral(outcome)

    error = refused(case, step, errors.CaseAlreadyResolved)
    assert error.field == "status"


def test_resolved_case_takes_notes_publication_and_reopening() -> None:
    case = resolved_case()

    add_note()(case)
    publish()(case)
    unpublish()(case)
    reopen()(case)

    then(case, [Case.NoteAdded, Case.Published, Case.Unpublished, Case.Reopened])


# --- counts are non-negative ------------------------------------------------


def test_negative_signature_count_is_rejected() -> None:
    error = refused(
        accepted_case(),
        take_action(kind="petition", signatures=-1),
        NegativeCount,
    )
    assert error.field == "signatures"


def test_a_signature_count_past_any_real_petition_is_rejected() -> None:
    error = refused(
        accepted_case(),
        take_action(kind="petition", signatures=10**12),
        InvalidValue,
    )
    assert error.field == "signatures"


def test_negative_document_size_is_rejected() -> None:
    error = refused(accepted_case(), attach_document(size=-1), NegativeCount)
    assert error.field == "size"


# --- triage, reopening, duplicates ------------------------------------------

TRIAGE = {"accept": accept(), "decline": decline(), "duplicate": mark_duplicate()}


@pytest.mark.parametrize("first", TRIAGE.values(), ids=TRIAGE.keys())
@pytest.mark.parametrize("second", TRIAGE.values(), ids=TRIAGE.keys())
def test_triage_twice_is_rejected(first: Step, second: Step) -> None:
    case = given(submit(), first)

    error = refused(case, second, errors.CaseAlreadyTriaged)
    assert error.field == "status"


def test_triage_of_a_reopened_case_is_rejected() -> None:
    case = given(declined_case(), reopen())

    refused(case, accept(), errors.CaseAlreadyTriaged)


@pytest.mark.parametrize(
    "open_case",
    [
        submitted_case,
        accepted_case,
        lambda: referred_case()[0],
        lambda: answered_case()[0],
        lambda: given(declined_case(), reopen()),
    ],
    ids=["submitted", "accepted", "referred", "answered", "reopened"],
)
def test_reopening_an_open_case_is_rejected(open_case: Callable[[], Case]) -> None:
    error = refused(open_case(), reopen(), errors.CaseNotClosed)
    assert error.field == "status"


def test_duplicate_of_itself_is_rejected() -> None:
    case = submitted_case()

    error = refused(
        case, mark_duplicate(duplicate_of=case.id), errors.CannotDuplicateItself
    )
    assert error.field == "duplicate_of"
