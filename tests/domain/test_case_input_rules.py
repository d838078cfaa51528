"""Each rule on a command's input: refused, and nothing is recorded."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any
from uuid import uuid4

import pytest

from domain import case_errors as errors
from domain.case import Case
from domain.case_rules import MAX_DOCUMENT_SIZE
from domain.errors import InvalidValue, UnknownMunicipality
from tests.domain.scenario import (
    DUE_ON,
    Step,
    accept,
    accepted_case,
    add_note,
    amend,
    attach_document,
    committed_case,
    decline,
    declined_case,
    extend_deadline,
    follow_up,
    given,
    publish,
    refer,
    referred_case,
    refused,
    reopen,
    resolve,
    respond,
    submit,
    submitted_case,
    take_action,
    then,
    translate,
    unpublish,
    verify,
)

# --- deadlines --------------------------------------------------------------


@pytest.mark.parametrize("days", [0, -1])
def test_extension_that_is_not_later_is_rejected(days: int) -> None:
    case, referral_id = referred_case()

    error = refused(
        case,
        extend_deadline(referral_id, due_on=DUE_ON + timedelta(days=days)),
        errors.DeadlineNotLater,
    )
    assert error.field == "due_on"


def test_extension_beyond_the_rule_s_limit_is_rejected() -> None:
    case, referral_id = referred_case()
    limit = DUE_ON + timedelta(days=15)

    error = refused(
        case,
        extend_deadline(
            referral_id, due_on=limit + timedelta(days=1), latest_allowed=limit
        ),
        errors.ExtensionTooLong,
    )
    assert error.field == "due_on"


def test_extension_under_a_rule_without_extensions_is_rejected() -> None:
    case, referral_id = referred_case()

    refused(
        case,
        extend_deadline(
            referral_id, due_on=DUE_ON + timedelta(days=1), latest_allowed=None
        ),
        errors.ExtensionTooLong,
    )


# --- responses and commitments ----------------------------------------------


def test_verifying_a_response_that_is_not_a_commitment_is_rejected() -> None:
    case, referral_id = referred_case()
    response_id = uuid4()
    case = given(case, respond(referral_id, "information", response_id=response_id))

    error = refused(case, verify(response_id), errors.NotACommitment)
    assert error.field == "response_id"


def test_verifying_an_unknown_response_is_rejected() -> None:
    case, _ = committed_case()

    error = refused(case, verify(uuid4()), errors.ResponseNotFound)
    assert error.field == "response_id"


def test_response_naming_a_document_not_attached_is_rejected() -> None:
    case, referral_id = referred_case()

    error = refused(case, respond(referral_id, document_id=uuid4()), InvalidValue)
    assert error.field == "document_id"


# --- amendment, translation, publication ------------------------------------


def test_amendment_that_changes_nothing_is_rejected() -> None:
    case = submitted_case()

    refused(
        case,
        amend(title=case.title, communities=["serb", "serb"]),
        errors.NothingToAmend,
    )


def test_amendment_of_a_field_that_cannot_be_amended_is_rejected() -> None:
    error = refused(submitted_case(), amend(reference="STR-2024-999"), InvalidValue)
    assert error.field == "reference"


def test_translation_into_the_original_language_is_rejected() -> None:
    case = submitted_case(language="sr")

    error = refused(case, translate(language="sr"), errors.SameLanguageAsOriginal)
    assert error.field == "language"


def test_unpublishing_a_case_that_is_not_published_is_rejected() -> None:
    refused(accepted_case(), unpublish(), errors.CaseNotPublished)


def test_unpublishing_twice_is_rejected() -> None:
    case = given(accepted_case(), publish(), unpublish())

    refused(case, unpublish(), errors.CaseNotPublished)


@pytest.mark.parametrize("fields", [["title", "submitter"], []])
def test_publishing_an_unknown_or_no_field_is_rejected(fields: list[str]) -> None:
    error = refused(accepted_case(), publish(fields=fields), InvalidValue)
    assert error.field == "fields"


# --- unknown codes and empty texts ------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "error", "field"),
    [
        ({"municipality_code": "XYZ"}, UnknownMunicipality, "municipality"),
        ({"category": "roads"}, InvalidValue, "category"),
        ({"communities": ["serb", "martian"]}, InvalidValue, "communities"),
        ({"communities": []}, InvalidValue, "communities"),
        ({"communities": "serb"}, InvalidValue, "communities"),
        ({"language": "de"}, InvalidValue, "language"),
        ({"title": "   "}, InvalidValue, "title"),
        ({"description": ""}, InvalidValue, "description"),
        ({"submitter": {"name": ""}}, InvalidValue, "submitter.name"),
    ],
)
def test_submission_with_an_unknown_code_or_empty_text_is_rejected(
    overrides: dict[str, Any], error: type[InvalidValue], field: str
) -> None:
    with pytest.raises(error) as raised:
        submit(**overrides)()
    assert raised.value.field == field


def _on_referral(step: Callable[[Any], Step]) -> Callable[[], tuple[Case, Step]]:
    def build() -> tuple[Case, Step]:
        case, referral_id = referred_case()
        return case, step(referral_id)

    return build


def _on_commitment(**overrides: Any) -> Callable[[], tuple[Case, Step]]:
    def build() -> tuple[Case, Step]:
        case, response_id = committed_case()
        return case, verify(response_id, **overrides)

    return build


def _on(case_at: Callable[[], Case], step: Step) -> Callable[[], tuple[Case, Step]]:
    return lambda: (case_at(), step)


UNKNOWN_CODES = [
    pytest.param(_on(submitted_case, accept(priority="whenever")), "priority"),
    pytest.param(_on(accepted_case, take_action(kind="tweet")), "kind"),
    pytest.param(
        _on(accepted_case, take_action(communities=["martian"])), "communities"
    ),
    pytest.param(
        _on(accepted_case, refer(institution_kind="king")), "institution_kind"
    ),
    pytest.param(_on(accepted_case, refer(request_kind="favour")), "request_kind"),
    pytest.param(_on(accepted_case, resolve(outcome="fixed")), "outcome"),
    pytest.param(_on(submitted_case, amend(category="roads")), "category"),
    pytest.param(_on(submitted_case, translate(language="de")), "language"),
    pytest.param(_on_referral(lambda r: follow_up(r, channel="pigeon")), "channel"),
    pytest.param(
        _on_referral(lambda r: respond(r, kind="maybe")), "kind", id="response kind"
    ),
    pytest.param(_on_commitment(status="kept"), "status", id="commitment status"),
]


@pytest.mark.parametrize(("scenario", "field"), UNKNOWN_CODES)
def test_unknown_code_is_rejected(
    scenario: Callable[[], tuple[Case, Step]], field: str
) -> None:
    case, step = scenario()

    error = refused(case, step, InvalidValue)
    assert error.field == field


# Each empty text, and the field its refusal names.
EMPTY_TEXTS = {
    "decline reason": (_on(submitted_case, decline(reason=" ")), "reason"),
    "amendment reason": (
        _on(submitted_case, amend(reason="", category="other")),
        "reason",
    ),
    "amended title": (_on(submitted_case, amend(title="  ")), "title"),
    "translated title": (_on(submitted_case, translate(title="")), "title"),
    "translated description": (
        _on(submitted_case, translate(description="")),
        "description",
    ),
    "action description": (
        _on(accepted_case, take_action(description="")),
        "description",
    ),
    "institution_name": (
        _on(accepted_case, refer(institution_name=" ")),
        "institution_name",
    ),
    "extension reason": (
        _on_referral(lambda r: extend_deadline(r, reason="")),
        "reason",
    ),
    "response summary": (_on_referral(lambda r: respond(r, summary=" ")), "summary"),
    "verification evidence": (_on_commitment(evidence=""), "evidence"),
    "resolution summary": (_on(accepted_case, resolve(summary="")), "summary"),
    "reopening reason": (_on(declined_case, reopen(reason=" ")), "reason"),
    "note text": (_on(accepted_case, add_note(text="")), "text"),
    "published title": (_on(accepted_case, publish(title=" ")), "title"),
    "unpublish reason": (
        _on(lambda: given(accepted_case(), publish()), unpublish(reason="")),
        "reason",
    ),
}


@pytest.mark.parametrize(
    ("scenario", "field"), EMPTY_TEXTS.values(), ids=EMPTY_TEXTS.keys()
)
def test_empty_text_is_rejected_naming_its_field(
    scenario: Callable[[], tuple[Case, Step]], field: str
) -> None:
    case, step = scenario()

    error = refused(case, step, InvalidValue)
    assert error.field == field


@pytest.mark.parametrize("communities", [[], ["serb", "martian"]])
def test_amendment_without_known_communities_is_rejected(
    communities: list[str],
) -> None:
    error = refused(submitted_case(), amend(communities=communities), InvalidValue)
    assert error.field == "communities"


# --- documents --------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"filename": "../../etc/passwd"}, "filename"),
        ({"filename": "scans/letter.pdf"}, "filename"),
        ({"filename": "scans\\letter.pdf"}, "filename"),
        ({"filename": ".."}, "filename"),
        ({"filename": " "}, "filename"),
        ({"media_type": "pdf"}, "media_type"),
        ({"sha256": "not-a-hash"}, "sha256"),
        ({"sha256": "ab" * 31}, "sha256"),
        ({"size": MAX_DOCUMENT_SIZE + 1}, "size"),
    ],
    ids=[
        "path up",
        "slash",
        "backslash",
        "dot dot",
        "empty name",
        "media type",
        "not hex",
        "short hash",
        "too large",
    ],
)
def test_invalid_document_is_rejected(overrides: dict[str, Any], field: str) -> None:
    error = refused(accepted_case(), attach_document(**overrides), InvalidValue)
    assert error.field == field


def test_document_of_the_largest_size_is_accepted() -> None:
    case = accepted_case()

    attach_document(size=MAX_DOCUMENT_SIZE)(case)

    then(case, [Case.DocumentAttached])
