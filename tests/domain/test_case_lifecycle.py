"""Each event of a case: given earlier events, when a command, then the event."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from uuid import uuid4

import pytest

from domain.case import Case
from domain.case_records import Publication, Resolution, Translation
from domain.errors import InvalidValue
from domain.reference import SUBSTANTIVE_RESPONSE_KINDS
from tests.domain.scenario import (
    ACTOR,
    RAISED_ON,
    RECEIVED_ON,
    RESOLVED_ON,
    SHA256,
    accept,
    accepted_case,
    answered_case,
    attach_document,
    committed_case,
    declined_case,
    duplicate_case,
    follow_up,
    given,
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
)

# --- submission -------------------------------------------------------------


def test_submitted_records_the_issue_as_raised() -> None:
    case_id, meeting_id = uuid4(), uuid4()

    case = Case.submit(
        case_id=case_id,
        actor=ACTOR,
        reference="STR-2024-001",
        municipality_code="STR",
        title="  No bus from Sevce  ",
        description="The morning bus stopped running in January.",
        category="public_services",
        communities=["serb"],
        raised_on=RAISED_ON,
        language="sr",
        meeting_id=meeting_id,
        location="Sevce",
        submitter={"name": "Ana Petrović", "contact": " "},
    )

    [submitted] = then(case, [Case.Submitted])
    assert submitted.originator_id == case.id == case_id
    assert submitted.actor == ACTOR
    assert submitted.reference == "STR-2024-001"
    assert submitted.municipality == "STR"
    assert submitted.title == "No bus from Sevce"
    assert submitted.category == "public_services"
    assert submitted.communities == ("serb",)
    assert submitted.raised_on == RAISED_ON
    assert submitted.meeting_id == meeting_id
    assert submitted.location == "Sevce"
    assert submitted.submitter == {"name": "Ana Petrović"}
    assert submitted.language == "sr"
    assert case.status == "submitted"


def test_submitted_communities_are_deduplicated_in_reference_order() -> None:
    case = submit(communities=["roma", "serb", "albanian", "serb"])()

    [submitted] = then(case, [Case.Submitted])
    assert submitted.communities == ("albanian", "serb", "roma")
    assert case.communities == ["albanian", "serb", "roma"]


def test_case_raised_by_two_communities_is_jointly_raised() -> None:
    assert submitted_case(communities=["serb", "albanian"]).is_jointly_raised


def test_case_raised_by_one_community_twice_is_not_jointly_raised() -> None:
    assert not submitted_case(communities=["serb", "serb"]).is_jointly_raised


# --- amendment and translation ----------------------------------------------


def test_amended_keeps_only_the_fields_that_changed() -> None:
    case = submitted_case()

    case.amend(
        actor=ACTOR,
        reason="it is about roads, not buses",
        changes={"title": case.title, "category": "infrastructure"},
    )

    [amended] = then(case, [Case.Amended])
    assert amended.changes == {"category": "infrastructure"}
    assert amended.reason == "it is about roads, not buses"
    assert case.category == "infrastructure"


def test_amended_communities_are_normalised() -> None:
    case = submitted_case()

    case.amend(
        actor=ACTOR,
        reason="Albanians signed too",
        changes={"communities": ["serb", "albanian"]},
    )

    [amended] = then(case, [Case.Amended])
    assert amended.changes == {"communities": ("albanian", "serb")}
    assert case.communities == ["albanian", "serb"]
    assert case.is_jointly_raised


def test_amendment_needs_a_reason() -> None:
    case = submitted_case()

    error = refused(
        case,
        lambda c: c.amend(actor=ACTOR, reason=" ", changes={"category": "other"}),
        InvalidValue,
    )
    assert error.field == "reason"


def test_translated_adds_the_text_in_another_language() -> None:
    case = submitted_case()

    case.translate(actor=ACTOR, language="sq", title="Pa autobus", description="Asnjë.")

    [translated] = then(case, [Case.Translated])
    assert (translated.language, translated.title) == ("sq", "Pa autobus")
    assert case.translations == {"sq": Translation("sq", "Pa autobus", "Asnjë.")}


def test_translated_again_replaces_the_translation() -> None:
    case = given(submitted_case(), translate(language="en", title="No bus"))

    case.translate(actor=ACTOR, language="en", title="No buses", description="None.")

    then(case, [Case.Translated])
    assert case.translations["en"].title == "No buses"


# --- triage -----------------------------------------------------------------


def test_accepted_sets_the_priority() -> None:
    case = submitted_case()

    case.accept(actor=ACTOR, priority="high")

    [accepted] = then(case, [Case.Accepted])
    assert accepted.priority == "high"
    assert (case.status, case.priority) == ("accepted", "high")


def test_declined_records_the_reason() -> None:
    case = submitted_case()

    case.decline(actor=ACTOR, reason="a private dispute")

    [declined] = then(case, [Case.Declined])
    assert declined.reason == "a private dispute"
    assert (case.status, case.decline_reason) == ("declined", "a private dispute")


def test_marked_duplicate_names_the_other_case() -> None:
    case, original = submitted_case(), uuid4()

    case.mark_duplicate(
        actor=ACTOR, duplicate_of=original, duplicate_of_reference="STR-2023-014"
    )

    [marked] = then(case, [Case.MarkedDuplicate])
    assert (marked.duplicate_of, marked.duplicate_of_reference) == (
        original,
        "STR-2023-014",
    )
    assert (case.status, case.duplicate_of) == ("duplicate", original)


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


# --- outcome ----------------------------------------------------------------


@pytest.mark.parametrize("outcome", ["resolved", "partially_resolved", "unresolved"])
def test_resolved_sets_the_outcome_as_status(outcome: str) -> None:
    case, _ = answered_case()

    case.resolve(
        actor=ACTOR, outcome=outcome, resolved_on=RESOLVED_ON, summary="Bus restored."
    )

    [resolved] = then(case, [Case.Resolved])
    assert resolved.outcome == outcome
    assert case.resolution == Resolution(outcome, RESOLVED_ON, "Bus restored.")
    assert case.status == outcome


@pytest.mark.parametrize("closed_case", [declined_case, duplicate_case, resolved_case])
def test_reopened_opens_a_closed_case_again(closed_case: Callable[[], Case]) -> None:
    case = closed_case()

    case.reopen(actor=ACTOR, reopened_on=date(2024, 6, 3), reason="bus stopped again")

    [reopened] = then(case, [Case.Reopened])
    assert (reopened.reopened_on, reopened.reason) == (
        date(2024, 6, 3),
        "bus stopped again",
    )
    assert case.status == "reopened"
    assert case.resolution is None
    assert case.reopened_times == 1


# --- notes, documents, publication ------------------------------------------


def test_note_added_even_to_a_resolved_case() -> None:
    case, note_id = resolved_case(), uuid4()

    case.add_note(actor=ACTOR, note_id=note_id, text="Thanked the directorate.")

    [added] = then(case, [Case.NoteAdded])
    assert (added.note_id, added.text) == (note_id, "Thanked the directorate.")
    assert case.notes[-1].text == "Thanked the directorate."


def test_document_attached_is_known_by_its_content_hash() -> None:
    case, document_id = accepted_case(), uuid4()

    case.attach_document(
        actor=ACTOR,
        document_id=document_id,
        filename="reply.pdf",
        media_type="Application/PDF",
        size=1024,
        sha256=SHA256.upper(),
    )

    [attached] = then(case, [Case.DocumentAttached])
    assert (attached.filename, attached.media_type, attached.size) == (
        "reply.pdf",
        "application/pdf",
        1024,
    )
    assert attached.sha256 == SHA256
    assert case.documents[document_id.hex].sha256 == SHA256


def test_published_fields_are_kept_in_reference_order() -> None:
    case = resolved_case()

    case.publish(
        actor=ACTOR,
        fields=["status", "title", "municipality"],
        title="No bus to a village",
        description="A village lost its bus.",
    )

    [published] = then(case, [Case.Published])
    assert published.fields == ("title", "municipality", "status")
    assert case.publication == Publication(
        ("title", "municipality", "status"),
        "No bus to a village",
        "A village lost its bus.",
    )


def test_unpublished_takes_the_case_off_the_portal() -> None:
    case = given(submit(), accept(), publish())

    case.unpublish(actor=ACTOR, reason="the submitter asked")

    [unpublished] = then(case, [Case.Unpublished])
    assert unpublished.reason == "the submitter asked"
    assert case.publication is None


def test_a_case_can_be_resolved_without_a_referral() -> None:
    case = accepted_case()

    resolve("unresolved")(case)

    then(case, [Case.Resolved])
    assert case.status == "unresolved"
