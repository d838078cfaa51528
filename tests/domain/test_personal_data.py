"""A case's personal data: whose it is, and erasing it from the case's state."""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID, uuid4

from domain.case import Case
from domain.case_errors import PersonalDataAlreadyErased, PersonNotOnCase
from domain.errors import InvalidValue
from domain.personal import PersonalData, personal, submitter_id
from tests.domain.scenario import (
    ACTOR,
    accept,
    given,
    refused,
    resolve,
    submit,
    take_action,
    then,
)

NAMED = {"name": "Drita Gashi", "contact": "+383 44 123 456"}


def erase(
    person_id: UUID, reason: str = "she asked, by letter of 3 May"
) -> Callable[[Case], object]:
    """Erase a person's data from the case."""
    return lambda case: case.erase_personal_data(
        actor=ACTOR, person_id=person_id, reason=reason
    )


def test_the_submitters_data_belongs_to_a_person_of_the_case() -> None:
    case_id = uuid4()
    case = given(submit(case_id=case_id, submitter=NAMED))
    assert case.submitter == PersonalData(submitter_id(case_id), NAMED)
    # The same case id gives the same person on every replay.
    assert submitter_id(case_id) == submitter_id(case_id) != submitter_id(uuid4())


def test_a_case_without_a_submitter_holds_no_personal_data() -> None:
    assert given(submit()).submitter is None
    assert personal(uuid4(), None) is None
    assert personal(uuid4(), {}) is None


def test_erasure_keeps_the_record_that_there_was_a_person() -> None:
    case_id = uuid4()
    case = given(submit(case_id=case_id, submitter=NAMED))
    person = submitter_id(case_id)
    erase(person)(case)
    [erased] = then(case, [Case.PersonalDataErased])
    assert (erased.person_id, erased.reason) == (
        person,
        "she asked, by letter of 3 May",
    )
    assert case.submitter == PersonalData.erased_of(person)
    assert case.submitter.erased
    assert case.submitter.as_dict() == {}
    assert case.submitter.get("name") is None


def test_a_resolved_case_can_still_be_erased() -> None:
    case_id = uuid4()
    case = given(
        submit(case_id=case_id, submitter=NAMED), accept(), take_action(), resolve()
    )
    erase(submitter_id(case_id))(case)
    then(case, [Case.PersonalDataErased])
    assert case.status == "resolved"


def test_erasing_someone_the_case_does_not_hold_is_refused() -> None:
    case_id = uuid4()
    named = given(submit(case_id=case_id, submitter=NAMED))
    refused(named, erase(uuid4()), PersonNotOnCase)
    refused(given(submit()), erase(submitter_id(case_id)), PersonNotOnCase)


def test_erasing_twice_is_refused() -> None:
    case_id = uuid4()
    case = given(submit(case_id=case_id, submitter=NAMED), erase(submitter_id(case_id)))
    refused(case, erase(submitter_id(case_id)), PersonalDataAlreadyErased)


def test_an_erasure_needs_a_reason() -> None:
    case_id = uuid4()
    case = given(submit(case_id=case_id, submitter=NAMED))
    error = refused(case, erase(submitter_id(case_id), reason="  "), InvalidValue)
    assert error.field == "reason"


def note(text: str, *, sensitive: bool) -> Callable[[Case], object]:
    """Add a note, sensitive or not."""
    return lambda case: case.add_note(
        actor=ACTOR, note_id=uuid4(), text=text, sensitive=sensitive
    )


def test_a_sensitive_note_is_the_data_of_the_person_the_case_is_about() -> None:
    case_id = uuid4()
    case = given(submit(case_id=case_id))
    note("Her husband threatened her at the bus stop.", sensitive=True)(case)
    note("Called the police station.", sensitive=False)(case)
    sensitive, plain = then(case, [Case.NoteAdded, Case.NoteAdded])
    assert sensitive.text == PersonalData(
        submitter_id(case_id), {"text": "Her husband threatened her at the bus stop."}
    )
    assert plain.text == "Called the police station."
    assert case.person_id == submitter_id(case_id)


def test_erasure_takes_the_sensitive_notes_and_leaves_the_others() -> None:
    case_id = uuid4()
    case = given(
        submit(case_id=case_id, submitter=NAMED),
        note("She was beaten on 2 May.", sensitive=True),
        note("Letter sent to the centre for social work.", sensitive=False),
        erase(submitter_id(case_id)),
    )
    sensitive, plain = case.notes
    assert sensitive.text == PersonalData.erased_of(submitter_id(case_id))
    assert plain.text == "Letter sent to the centre for social work."
    assert case.personal_data_erased


def test_a_case_with_only_sensitive_notes_can_be_erased() -> None:
    case_id = uuid4()
    case = given(submit(case_id=case_id), note("Threatened.", sensitive=True))
    erase(submitter_id(case_id))(case)
    then(case, [Case.PersonalDataErased])


def test_no_sensitive_note_once_the_person_is_erased() -> None:
    case_id = uuid4()
    case = given(submit(case_id=case_id, submitter=NAMED), erase(submitter_id(case_id)))
    error = refused(case, note("More.", sensitive=True), PersonalDataAlreadyErased)
    assert error.field == "sensitive"
    note("A plain note is still fine.", sensitive=False)(case)
    then(case, [Case.NoteAdded])
