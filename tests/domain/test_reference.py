"""Reference data: municipalities, code lists, and the domain's purity."""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import cyrtranslit
import pytest

import domain
from domain.errors import UnknownMunicipality
from domain.reference import (
    CATEGORIES,
    COMMUNITIES,
    MUNICIPALITIES,
    MUNICIPALITIES_BY_CODE,
    RESPONSE_KINDS,
    SUBSTANTIVE_RESPONSE_KINDS,
    Municipality,
    is_substantive,
    municipality,
    municipality_named,
)

DOMAIN_DIR = Path(domain.__file__).parent
LANGUAGE_FIELDS = ("sq", "sr_latn", "sr_cyrl", "en")


def test_kosovo_has_38_municipalities() -> None:
    assert len(MUNICIPALITIES) == 38


def test_municipality_codes_are_unique_three_uppercase_letters() -> None:
    codes = [m.code for m in MUNICIPALITIES]
    assert len(set(codes)) == len(codes)
    assert all(re.fullmatch(r"[A-Z]{3}", code) for code in codes)


def test_municipalities_are_sorted_by_code() -> None:
    codes = [m.code for m in MUNICIPALITIES]
    assert codes == sorted(codes)


@pytest.mark.parametrize("field", LANGUAGE_FIELDS)
def test_every_municipality_has_a_name_in_every_language(field: str) -> None:
    for m in MUNICIPALITIES:
        name = getattr(m, field)
        assert name.strip() == name != "", (m.code, field)


@pytest.mark.parametrize("m", MUNICIPALITIES, ids=lambda m: m.code)
def test_serbian_cyrillic_name_matches_the_latin_one(m: Municipality) -> None:
    assert cyrtranslit.to_cyrillic(m.sr_latn, "sr") == m.sr_cyrl


def test_name_is_given_in_the_asked_language() -> None:
    pec = municipality("PEJ")
    assert pec.name("sq") == "Pejë"
    assert pec.name("sr") == "Peć"
    assert pec.name("sr-Latn") == "Peć"
    assert pec.name("sr-Cyrl") == "Пећ"
    assert pec.name("en") == "Peja"


def test_name_in_an_unknown_language_is_english() -> None:
    assert municipality("PRI").name("de") == "Pristina"


def test_ferizaj_and_urosevac_are_stored_not_transliterated() -> None:
    ferizaj = municipality("FER")
    assert ferizaj.sq == "Ferizaj"
    assert ferizaj.sr_latn == "Uroševac"
    assert ferizaj.sr_cyrl == "Урошевац"


def test_north_and_south_mitrovica_are_distinct() -> None:
    assert municipality("MIN").sr_latn == "Severna Mitrovica"
    assert municipality("MIS").sr_latn == "Južna Mitrovica"


def test_unknown_municipality_code_is_rejected_on_the_municipality_field() -> None:
    with pytest.raises(UnknownMunicipality) as raised:
        municipality("XXX")
    assert raised.value.field == "municipality"


def test_municipalities_by_code_is_read_only() -> None:
    assert MUNICIPALITIES_BY_CODE["STR"].sq == "Shtërpcë"
    with pytest.raises(TypeError):
        MUNICIPALITIES_BY_CODE["NEW"] = MUNICIPALITIES[0]  # type: ignore[index]


def test_community_codes_are_those_of_the_design() -> None:
    assert COMMUNITIES == (
        "albanian",
        "serb",
        "bosniak",
        "turkish",
        "roma",
        "ashkali",
        "egyptian",
        "gorani",
        "croat",
        "montenegrin",
        "other",
    )


def test_category_codes_are_those_of_the_design() -> None:
    assert CATEGORIES == (
        "community_rights",
        "environment",
        "domestic_violence",
        "gender_equality",
        "rule_of_law",
        "economy_employment",
        "infrastructure",
        "public_services",
        "safety_crime",
        "natural_hazards",
        "youth_emigration",
        "organized_crime",
        "violent_extremism",
        "culture_language",
        "property",
        "other",
    )


def test_acknowledgement_and_redirection_are_not_substantive() -> None:
    assert SUBSTANTIVE_RESPONSE_KINDS == (
        "information",
        "commitment",
        "policy_change",
        "concrete_action",
        "partial",
        "refusal",
    )
    assert not is_substantive("acknowledgement")
    assert not is_substantive("redirected")
    assert all(
        is_substantive(kind) == (kind in SUBSTANTIVE_RESPONSE_KINDS)
        for kind in RESPONSE_KINDS
    )


def _imported_modules(path: Path) -> list[str]:
    """Every absolute module a file imports, at any depth of its code."""
    modules: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.append(node.module)
    return modules


def _allowed_in_domain(module: str) -> bool:
    top = module.partition(".")[0]
    return (
        top in sys.stdlib_module_names
        or top == "domain"
        or module == "eventsourcing.domain"
        or module.startswith("eventsourcing.domain.")
    )


# Scanned when the tests run, so modules added to domain/ later are checked too.
@pytest.mark.parametrize(
    "path",
    sorted(DOMAIN_DIR.rglob("*.py")),
    ids=lambda path: str(path.relative_to(DOMAIN_DIR)),
)
def test_domain_imports_only_the_standard_library_and_eventsourcing_domain(
    path: Path,
) -> None:
    forbidden = [m for m in _imported_modules(path) if not _allowed_in_domain(m)]
    assert forbidden == []


@pytest.mark.parametrize(
    "written",
    ["FER", "fer", "Ferizaj", "UROŠEVAC", "Urosevac", "Урошевац", " ferizaj "],
)
def test_a_municipality_is_found_by_code_or_any_official_name(written: str) -> None:
    assert municipality_named(written).code == "FER"


def test_an_unknown_name_is_no_municipality() -> None:
    with pytest.raises(UnknownMunicipality):
        municipality_named("Atlantis")
