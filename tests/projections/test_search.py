"""Search finds a case by any of its words, whatever the case, accents or script."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest

from projections.case_queries import CaseFilter, find_cases
from projections.search import fold, match_query, matching_case_ids, search_cases
from projections.views import Views
from tests.application.builders import submit
from tests.conftest import TODAY
from tracker.application import CaseTracker

ALBANIAN = {
    "language": "sq",
    "title": "Ujësjellësi në Shtërpcë nuk funksionon",
    "description": "Fshatrat e Graçanicës mbesin pa ujë të pijshëm çdo verë.",
}
CYRILLIC = {
    "language": "sr",
    "title": "Загађена река у Штрпцу",
    "description": "Канализација тече у реку код школе у Ђаковици.",
}
LATIN = {
    "language": "sr",
    "title": "Zagađena reka u Štrpcu",
    "description": "Kanalizacija teče u reku kod škole u Đakovici.",
}


def found(views: Views, text: str) -> list[str]:
    """The ids of the cases a search finds, best first."""
    with views.reading() as c:
        return [hit.case_id for hit in search_cases(c, text)]


def case(tracker: CaseTracker, **fields: Any) -> str:
    """Submit a case with these fields; its id as the views show it."""
    return submit(tracker, **fields).case_id.hex


def test_a_search_ignores_case_and_albanian_diacritics(
    tracker: CaseTracker, views: Views
) -> None:
    case_id = case(tracker, **ALBANIAN)

    for text in ("shterpce", "SHTËRPCË", "Ujesjellesi", "gracanices", "cdo vere"):
        assert found(views, text) == [case_id], text


def test_a_search_ignores_case_and_serbian_latin_diacritics(
    tracker: CaseTracker, views: Views
) -> None:
    case_id = case(tracker, **LATIN)

    for text in ("Štrpcu", "strpcu", "STRPCU", "skole", "tece"):
        assert found(views, text) == [case_id], text


def test_a_case_written_in_cyrillic_is_found_by_a_latin_search(
    tracker: CaseTracker, views: Views
) -> None:
    case_id = case(tracker, **CYRILLIC)

    for text in ("Štrpcu", "strpcu", "zagadjena reka", "Zagađena", "kanalizacija"):
        assert found(views, text) == [case_id], text


def test_a_case_written_in_latin_is_found_by_a_cyrillic_search(
    tracker: CaseTracker, views: Views
) -> None:
    case_id = case(tracker, **LATIN)

    for text in ("Штрпцу", "ШТРПЦУ", "загађена река", "канализација"):
        assert found(views, text) == [case_id], text


def test_djakovica_is_found_however_its_dj_is_written(
    tracker: CaseTracker, views: Views
) -> None:
    with_stroke = case(tracker, title="Road to Đakovica is unlit")
    with_dj = case(tracker, title="Bridge in Djakovica is broken")

    for text in ("djakovica", "Đakovica", "ĐAKOVICA", "Ђаковица"):
        assert sorted(found(views, text)) == sorted([with_stroke, with_dj])


def test_words_are_found_by_their_beginning(tracker: CaseTracker, views: Views) -> None:
    case_id = case(tracker, **ALBANIAN)

    assert found(views, "shtërp ujësj") == [case_id]


def test_every_word_searched_for_must_be_found(
    tracker: CaseTracker, views: Views
) -> None:
    case(tracker, **ALBANIAN)

    assert found(views, "shterpce river") == []


def test_a_translation_is_found_and_the_hit_keeps_the_original_title(
    tracker: CaseTracker, views: Views
) -> None:
    case_id = submit(tracker, language="en").case_id
    translate(tracker, case_id, CYRILLIC)

    with views.reading() as c:
        (hit,) = search_cases(c, "kanalizacija")
    assert hit.case_id == case_id.hex
    assert hit.title == "River polluted by sewage"
    assert "Канализација" in hit.snippet


def test_a_newer_translation_replaces_the_older_one_in_its_language(
    tracker: CaseTracker, views: Views
) -> None:
    case_id = submit(tracker, language="en").case_id
    translate(tracker, case_id, LATIN)
    tracker.translate_case(
        case_id,
        actor="translator",
        language="sr",
        title="Zagađena reka",
        description="Reka.",
    )

    assert found(views, "zagadjena reka") == [case_id.hex]
    assert found(views, "kanalizacija") == []


def test_the_original_text_is_still_found_after_a_translation(
    tracker: CaseTracker, views: Views
) -> None:
    case_id = submit(tracker, language="en").case_id
    translate(tracker, case_id, LATIN)

    assert found(views, "sewage") == [case_id.hex]


def test_an_amended_title_is_found_and_the_old_one_no_longer(
    tracker: CaseTracker, views: Views
) -> None:
    case_id = submit(tracker).case_id
    tracker.amend_case(
        case_id,
        actor="secretary",
        reason="typo",
        changes={"title": "Sewage in the Lepenac river"},
    )

    with views.reading() as c:
        (hit,) = search_cases(c, "lepenac")
    assert hit.title == "Sewage in the Lepenac river"
    assert found(views, "polluted") == []
    assert found(views, "school") == [case_id.hex]


def test_a_case_is_found_by_its_reference_and_by_part_of_it(
    tracker: CaseTracker, views: Views
) -> None:
    first = submit(tracker)
    second = submit(tracker)

    with views.reading() as c:
        (hit,) = search_cases(c, first.reference)
    assert hit.reference == first.reference
    assert found(views, first.reference.lower()) == [first.case_id.hex]
    year_part = first.reference.rsplit("-", 1)[0]
    assert sorted(found(views, year_part)) == sorted(
        [first.case_id.hex, second.case_id.hex]
    )


@pytest.mark.parametrize(
    "text",
    [
        '"',
        "*",
        "(",
        ")",
        "-",
        "^",
        ":",
        "NEAR(",
        '"river',
        "river*)",
        "river -sewage",
        "river NEAR/2 school",
        "title:river",
        "river OR NOT AND",
        "'; DROP TABLE search_cases; --",
        "river " * 1000,
    ],
)
def test_a_hostile_search_is_answered_without_an_error(
    tracker: CaseTracker, views: Views, text: str
) -> None:
    submit(tracker)

    with views.reading() as c:
        search_cases(c, text)
        matching_case_ids(c, text)


@pytest.mark.parametrize("text", ["", "   ", '"*"', "-- ( ) * ^ :", "…—«»"])
def test_nothing_searchable_finds_nothing(
    tracker: CaseTracker, views: Views, text: str
) -> None:
    submit(tracker)

    assert match_query(text) is None
    assert found(views, text) == []
    with views.reading() as c:
        assert matching_case_ids(c, text) == []


def test_quotes_and_operators_are_searched_as_words(
    tracker: CaseTracker, views: Views
) -> None:
    case_id = case(tracker)

    assert found(views, '"River" NEAR (sewage*) -school') == [case_id]


def test_a_rebuilt_search_finds_what_the_live_one_found(
    tracker: CaseTracker, views: Views
) -> None:
    for fields in (ALBANIAN, CYRILLIC, LATIN, {}):
        case(tracker, **fields)
    amended = submit(tracker).case_id
    tracker.amend_case(
        amended, actor="secretary", reason="typo", changes={"title": "Unlit road"}
    )
    translate(tracker, amended, CYRILLIC)
    searches = ("reka", "river", "unlit", "STR", "shterpce", "kod skole")
    with views.reading() as c:
        before = {text: search_cases(c, text) for text in searches}

    assert all(before.values())

    assert views.rebuild("search") > 0

    with views.reading() as c:
        assert {text: search_cases(c, text) for text in searches} == before


def test_a_search_right_after_a_command_sees_it(
    tracker: CaseTracker, views: Views
) -> None:
    assert found(views, "river") == []

    case_id = case(tracker)

    assert found(views, "river") == [case_id]


def test_the_better_match_comes_first(tracker: CaseTracker, views: Views) -> None:
    in_description = case(
        tracker, title="Clinic closed", description="No doctor since the river flood."
    )
    in_title = case(tracker, title="River flood", description="Houses under water.")

    assert found(views, "river flood") == [in_title, in_description]


def test_a_search_gives_at_most_the_limit(tracker: CaseTracker, views: Views) -> None:
    for _ in range(3):
        submit(tracker)

    with views.reading() as c:
        assert len(search_cases(c, "river", limit=2)) == 2


def test_the_snippet_shows_the_words_around_the_match_as_written(
    tracker: CaseTracker, views: Views
) -> None:
    long = " ".join(f"word{n}" for n in range(40))
    case(tracker, description=f"{long} Ђаковица {long}")

    with views.reading() as c:
        (hit,) = search_cases(c, "djakovica")
    assert "Ђаковица" in hit.snippet
    assert hit.snippet.startswith("…")
    assert hit.snippet.endswith("…")


def test_a_search_narrows_a_case_list(tracker: CaseTracker, views: Views) -> None:
    in_strpce = case(tracker)
    in_gracanica = case(tracker, municipality="GRA")
    case(tracker, municipality="GRA", title="Clinic closed", description="No doctor.")

    with views.reading() as c:
        matching = set(matching_case_ids(c, "river"))
        listed = find_cases(c, CaseFilter(municipalities=("GRA",)), today=TODAY)
    assert matching == {in_strpce, in_gracanica}
    assert [row.case_id for row in listed.rows if row.case_id in matching] == [
        in_gracanica
    ]


def test_folding_makes_one_spelling_of_serbian_and_albanian_words() -> None:
    assert fold("Штрпце") == fold("Štrpce") == "štrpce"
    assert fold("ЂАКОВИЦА") == fold("Đakovica") == fold("Djakovica") == "djakovica"
    assert fold("Graçanicë") == "graçanicë"


def translate(tracker: CaseTracker, case_id: UUID, text: dict[str, str]) -> None:
    """Translate a case into Serbian, with this title and description."""
    tracker.translate_case(
        case_id,
        actor="translator",
        language="sr",
        title=text["title"],
        description=text["description"],
    )
