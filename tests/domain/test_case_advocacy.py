"""Advocacy events: actions, referrals, deadlines, follow-ups, responses."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest

from domain.case import Case
from domain.reference import SUBSTANTIVE_RESPONSE_KINDS
from tests.domain.scenario import (
    ACTOR,
    RECEIVED_ON,
    RESOLVED_ON,
    accepted_case,
    answered_case,
    attach_document,
    committed_case,
    declined_case,
    follow_up,
    given,
    refer,
    referred_case,
    reopen,
    respond,
    take_action,
    then,
)

# --- advocacy ---------------------------------------------------------------


def test_advocacy_action_taken_moves_an_accepted_case_into_advocacy() -> None:
    case, action_id = accepted_case(), uuid4()

    case.take_action(
        actor=ACTOR,
        action_id=action_id,
        kind="petition",
        taken_on=date(2024, 3, 8),
        description="Petition to the assembly",
        communities=["serb", "albanian"],
        signatures=412,
    )

    [action] = then(case, [Case.AdvocacyActionTaken])
    assert action.action_id == action_id
    assert action.kind == "petition"
    assert action.taken_on == date(2024, 3, 8)
    assert action.communities == ("albanian", "serb")
    assert action.signatures == 412
    assert case.actions[-1].signatures == 412
    assert case.status == "in_advocacy"


def test_advocacy_action_on_a_reopened_case_moves_it_into_advocacy() -> None:
    case = given(declined_case(), reopen(reopened_on=RESOLVED_ON))

    take_action(taken_on=RESOLVED_ON)(case)

    then(case, [Case.AdvocacyActionTaken])
    assert case.status == "in_advocacy"


@pytest.mark.parametrize("stage", ["referred", "awaiting_response", "answered"])
def test_later_advocacy_action_keeps_the_referral_status(stage: str) -> None:
    case, referral_id = answered_case() if stage == "answered" else referred_case()
    if stage == "awaiting_response":
        case = given(case, follow_up(referral_id))
    assert case.status == stage

    take_action(taken_on=date(2024, 4, 1))(case)

    then(case, [Case.AdvocacyActionTaken])
    assert case.status == stage


def test_referred_opens_a_referral_and_sets_the_status() -> None:
    case, referral_id = accepted_case(), uuid4()

    case.refer(
        actor=ACTOR,
        referral_id=referral_id,
        institution_kind="mayor",
        institution_name="Mayor of Shtërpcë",
        request_kind="public_documents",
        sent_on=date(2024, 3, 11),
        due_on=date(2024, 3, 25),
    )

    [referred] = then(case, [Case.Referred])
    assert referred.referral_id == referral_id
    assert (referred.institution_kind, referred.request_kind) == (
        "mayor",
        "public_documents",
    )
    referral = case.referral(referral_id)
    assert referral.due_on == referral.original_due_on == date(2024, 3, 25)
    assert (referral.follow_ups, referral.response_ids) == (0, ())
    assert referral.is_open
    assert case.status == "referred"


def test_deadline_extended_moves_the_due_date_and_keeps_the_original() -> None:
    case, referral_id = referred_case()
    original = case.referral(referral_id).due_on

    case.extend_deadline(
        actor=ACTOR,
        referral_id=referral_id,
        due_on=date(2024, 4, 22),
        reason="asked for more time",
        latest_allowed=date(2024, 5, 6),
    )

    [extended] = then(case, [Case.DeadlineExtended])
    assert (extended.due_on, extended.reason) == (
        date(2024, 4, 22),
        "asked for more time",
    )
    assert case.referral(referral_id).due_on == date(2024, 4, 22)
    assert case.referral(referral_id).original_due_on == original


def test_followed_up_moves_a_referred_case_to_awaiting_response() -> None:
    case, referral_id = referred_case()

    case.follow_up(
        actor=ACTOR,
        referral_id=referral_id,
        followed_up_on=date(2024, 3, 18),
        channel="email",
        note="  ",
    )

    [followed_up] = then(case, [Case.FollowedUp])
    assert (followed_up.channel, followed_up.note) == ("email", "")
    assert case.referral(referral_id).follow_ups == 1
    assert case.status == "awaiting_response"


@pytest.mark.parametrize("kind", ["acknowledgement", "redirected"])
def test_response_that_is_no_answer_keeps_the_referral_open(kind: str) -> None:
    case, referral_id = referred_case()

    respond(referral_id, kind)(case)

    then(case, [Case.ResponseReceived])
    referral = case.referral(referral_id)
    assert referral.is_open
    assert referral.first_response_on == RECEIVED_ON
    assert case.status == "awaiting_response"


@pytest.mark.parametrize("kind", SUBSTANTIVE_RESPONSE_KINDS)
def test_substantive_response_answers_the_case(kind: str) -> None:
    case, referral_id = referred_case()
    response_id = uuid4()

    case.record_response(
        actor=ACTOR,
        response_id=response_id,
        referral_id=referral_id,
        received_on=RECEIVED_ON,
        kind=kind,
        summary="The directorate replied.",
    )

    [received] = then(case, [Case.ResponseReceived])
    assert (received.response_id, received.kind) == (response_id, kind)
    referral = case.referral(referral_id)
    assert not referral.is_open
    assert referral.response_ids == (response_id,)
    assert case.responses[response_id.hex].is_substantive
    assert case.status == "answered"


def test_substantive_response_after_an_acknowledgement_answers_the_case() -> None:
    case, referral_id = referred_case()
    case = given(case, respond(referral_id, "acknowledgement"))

    respond(referral_id, "information", received_on=date(2024, 4, 2))(case)

    then(case, [Case.ResponseReceived])
    referral = case.referral(referral_id)
    assert referral.first_response_on == RECEIVED_ON
    assert referral.substantive_response_on == date(2024, 4, 2)
    assert len(referral.response_ids) == 2
    assert case.status == "answered"


def test_substantive_response_with_another_referral_open_awaits_response() -> None:
    case, first = referred_case()
    second = uuid4()
    case = given(case, refer(second, institution_kind="ombudsperson"))

    respond(first, "commitment")(case)

    then(case, [Case.ResponseReceived])
    assert not case.referral(first).is_open
    assert case.referral(second).is_open
    assert case.status == "awaiting_response"


def test_response_can_name_an_attached_document() -> None:
    case, referral_id = referred_case()
    document_id = uuid4()
    case = given(case, attach_document(document_id))

    respond(referral_id, document_id=document_id)(case)

    [received] = then(case, [Case.ResponseReceived])
    assert received.document_id == document_id


def test_commitment_verified_records_whether_it_was_kept() -> None:
    case, response_id = committed_case()

    case.verify_commitment(
        actor=ACTOR,
        response_id=response_id,
        status="partially_fulfilled",
        verified_on=date(2024, 4, 15),
        evidence="Only the morning bus runs.",
    )

    [verified] = then(case, [Case.CommitmentVerified])
    assert verified.status == "partially_fulfilled"
    response = case.responses[response_id.hex]
    assert response.commitment_status == "partially_fulfilled"
    assert response.verified_on == date(2024, 4, 15)
