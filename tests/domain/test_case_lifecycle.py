"""Each event of a case: given earlier events, when a command, then the event."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from uuid import uuid4

import pytest

from domain.case import Case
from domain.case_records import Publication, Resolution, Translation
from domain.personal import PersonalData, submitter_id
from tests.domain.scenario import (
    ACTOR,
    RAISED_ON,
    RESOLVED_ON,
    SHA256,
    accept,
    accepted_case,
    answered_case,
    declined_case,
    duplicate_case,
    given,
    publish,
    resolve,
    resolved_case,
    submit,
    submitted_case,
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
    # The submitter's data is the person's own, under an id the case decides.
    assert submitted.submitter == PersonalData(
        submitter_id(case_id), {"name": "Ana Petrović"}
    )
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
