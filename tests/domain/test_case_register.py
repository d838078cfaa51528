"""The case register: references numbered in order, parsed and formatted."""

from __future__ import annotations

from uuid import UUID, uuid4

import pytest

from domain.case_register import CaseRegister, format_reference, parse_reference
from domain.errors import InvalidValue, UnknownMunicipality
from tests.domain.scenario import given, then


def test_register_numbers_cases_in_order_from_001() -> None:
    register = given(lambda: CaseRegister(municipality="STR", year=2024))
    first, second, third = uuid4(), uuid4(), uuid4()

    references = [register.number(c) for c in (first, second, third)]

    assert references == ["STR-2024-001", "STR-2024-002", "STR-2024-003"]
    numbered = then(register, [CaseRegister.Numbered] * 3)
    assert [e.case_id for e in numbered] == [first, second, third]


def test_register_state_is_the_count_of_cases_numbered() -> None:
    register = given(
        lambda: CaseRegister(municipality="PRI", year=2025),
        lambda r: r.number(uuid4()),
        lambda r: r.number(uuid4()),
    )

    assert register.count == 2
    assert not hasattr(register, "case_ids")


def test_the_event_numbering_a_case_is_at_its_number_plus_one() -> None:
    register = CaseRegister(municipality="PRI", year=2025)
    cases = [uuid4() for _ in range(3)]
    for case_id in cases:
        register.number(case_id)

    events = register.collect_events()

    for number, case_id in enumerate(cases, start=1):
        numbering = events[CaseRegister.version_numbering(number) - 1]
        assert isinstance(numbering, CaseRegister.Numbered)
        assert numbering.case_id == case_id


def test_an_old_snapshot_listing_case_ids_loads_as_their_count() -> None:
    register = given(
        lambda: CaseRegister(municipality="PRI", year=2025),
        lambda r: r.number(uuid4()),
    )
    snapshot = CaseRegister.Snapshot.take(register)
    del snapshot.state["count"]
    del snapshot.state["class_version"]
    snapshot.state["case_ids"] = [uuid4(), uuid4(), uuid4()]

    loaded = snapshot.mutate(None)
    assert isinstance(loaded, CaseRegister)

    assert loaded.count == 3
    assert loaded.number(uuid4()) == "PRI-2025-004"


def test_register_id_is_the_same_for_the_same_municipality_and_year() -> None:
    register = CaseRegister(municipality="STR", year=2024)

    assert register.id == CaseRegister.create_id("STR", 2024)
    # Stored events are keyed by it: it must never change between versions.
    assert register.id == UUID("c0589617-2933-55a0-9368-26a7ee6f48cc")


@pytest.mark.parametrize(("municipality", "year"), [("PRI", 2024), ("STR", 2025)])
def test_register_id_differs_for_another_municipality_or_year(
    municipality: str, year: int
) -> None:
    assert CaseRegister.create_id(municipality, year) != CaseRegister.create_id(
        "STR", 2024
    )


@pytest.mark.parametrize(
    ("number", "reference"),
    [(1, "STR-2024-001"), (42, "STR-2024-042"), (1000, "STR-2024-1000")],
)
def test_reference_is_formatted_and_parsed_back(number: int, reference: str) -> None:
    assert format_reference("STR", 2024, number) == reference
    assert parse_reference(reference) == ("STR", 2024, number)


def test_reference_in_lower_case_with_spaces_is_parsed() -> None:
    assert parse_reference("  gji-2024-007 ") == ("GJI", 2024, 7)


@pytest.mark.parametrize(
    "reference",
    ["", "STR2024001", "STR-24-001", "STR-2024-7", "ST-2024-001", "STR-2024-00A"],
)
def test_reference_of_a_bad_shape_is_rejected(reference: str) -> None:
    with pytest.raises(InvalidValue) as raised:
        parse_reference(reference)
    assert raised.value.field == "reference"


def test_reference_with_an_unknown_municipality_is_rejected() -> None:
    with pytest.raises(UnknownMunicipality) as raised:
        parse_reference("XYZ-2024-001")
    assert raised.value.field == "municipality"
