"""Audit entries: a known kind, a named actor, short named details, nothing more."""

from __future__ import annotations

from uuid import uuid4

import pytest

from domain.audit import AUDIT_KINDS, AuditEntry, UnknownAuditKind
from domain.errors import InvalidValue


def _entry(**changes: object) -> AuditEntry:
    given: dict[str, object] = {
        "entry_id": uuid4(),
        "kind": "signed_in",
        "actor": "admin",
        "address": "192.0.2.7",
        "details": {"through": "web"},
        **changes,
    }
    return AuditEntry.record(**given)  # type: ignore[arg-type]


def test_an_entry_is_one_event_with_who_what_where_and_details() -> None:
    entry = _entry()
    (recorded,) = entry.collect_events()
    assert isinstance(recorded, AuditEntry.Recorded)
    assert (recorded.kind, recorded.actor, recorded.address, recorded.details) == (
        "signed_in",
        "admin",
        "192.0.2.7",
        {"through": "web"},
    )
    assert recorded.timestamp.utcoffset() is not None  # when, in UTC


def test_every_kind_is_accepted_and_another_is_refused_by_name() -> None:
    for kind in AUDIT_KINDS:
        assert _entry(kind=kind).kind == kind
    with pytest.raises(UnknownAuditKind) as refused:
        _entry(kind="coffee_break")
    assert refused.value.field == "kind"


@pytest.mark.parametrize("actor", ["", "   ", "x" * 101])
def test_an_entry_names_its_actor(actor: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        _entry(actor=actor)
    assert refused.value.field == "actor"


@pytest.mark.parametrize(
    "details",
    [
        {"Not Snake": "x"},
        {"reason": 7},
        {"reason": "x" * 1001},
        {f"key{n}": "x" for n in range(21)},
        ["not", "a", "dict"],
    ],
)
def test_details_are_a_few_named_short_texts(details: object) -> None:
    with pytest.raises(InvalidValue) as refused:
        _entry(details=details)
    assert refused.value.field == "details"


def test_an_entry_without_a_request_has_no_address() -> None:
    assert _entry(address=None).address is None
    assert _entry(address="").address is None
