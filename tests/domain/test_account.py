"""Accounts: who may sign in, with which role, where; every grant recorded."""

from __future__ import annotations

from uuid import UUID

import pytest

from domain.account import (
    ROLES,
    Account,
    AccountDisabled,
    NoSecondFactor,
    SecondFactorAlreadySet,
)
from domain.errors import InvalidValue, UnknownMunicipality


def _secretary() -> Account:
    return Account.open(
        actor="admin",
        username="Drita.K",
        role="secretary",
        municipalities=["STR", "VIT", "STR"],
        password_hash="hash",
    )


def test_an_account_is_named_in_lower_case_with_sorted_unique_municipalities() -> None:
    account = _secretary()
    assert account.username == "drita.k"
    assert account.municipalities == ("STR", "VIT")
    # The id follows from the name, the same in every release (a stored
    # account is found by it).
    assert account.id == UUID("168107f5-c627-5455-ab44-f9e507696471")


@pytest.mark.parametrize("username", ["a", "with space", "ünï", "-dash", "x" * 41])
def test_a_username_outside_the_pattern_is_refused(username: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        Account.open(
            actor="admin",
            username=username,
            role="viewer",
            municipalities=[],
            password_hash="hash",
        )
    assert refused.value.field == "username"


def test_a_secretary_needs_a_municipality() -> None:
    with pytest.raises(InvalidValue) as refused:
        Account.open(
            actor="admin",
            username="sec",
            role="secretary",
            municipalities=[],
            password_hash="hash",
        )
    assert refused.value.field == "municipalities"


def test_an_unknown_role_or_municipality_is_refused() -> None:
    with pytest.raises(InvalidValue) as refused:
        Account.open(
            actor="a", username="x1", role="mayor", municipalities=[], password_hash="h"
        )
    assert refused.value.field == "role"
    with pytest.raises(UnknownMunicipality):
        Account.open(
            actor="a",
            username="x1",
            role="viewer",
            municipalities=["XXX"],
            password_hash="h",
        )


def test_a_change_of_access_records_who_granted_it() -> None:
    account = _secretary()
    account.change_access(actor="coordinator1", role="advocate", municipalities=[])
    granted = account.collect_events()[-1]
    assert isinstance(granted, Account.AccessChanged)
    assert (granted.actor, granted.role, granted.municipalities) == (
        "coordinator1",
        "advocate",
        (),
    )


def test_an_unchanged_access_is_refused() -> None:
    account = _secretary()
    with pytest.raises(InvalidValue):
        account.change_access(
            actor="admin", role="secretary", municipalities=["VIT", "STR"]
        )


def test_a_disabled_account_is_disabled_once_and_enabled_again() -> None:
    account = _secretary()
    account.disable(actor="admin", reason="left the forum")
    assert account.disabled
    with pytest.raises(AccountDisabled):
        account.disable(actor="admin", reason="again")
    account.enable(actor="admin")
    assert not account.disabled


def test_admins_and_coordinators_need_a_second_factor_and_others_once_set() -> None:
    needs = {
        role: Account.open(
            actor="a", username=f"u-{role}", role=role, municipalities=["STR"],
            password_hash="h",
        ).needs_second_factor
        for role in ROLES
    }  # fmt: skip
    assert needs == {
        "admin": True, "coordinator": True, "advocate": False, "secretary": False,
        "viewer": False,
    }  # fmt: skip
    account = _secretary()
    account.enrol_second_factor(actor="drita.k", sealed_secret="sealed")
    assert account.needs_second_factor


def test_a_second_factor_is_set_up_once_until_it_is_reset() -> None:
    account = _secretary()
    account.enrol_second_factor(actor="drita.k", sealed_secret="sealed")
    enrolled = account.collect_events()[-1]
    assert isinstance(enrolled, Account.SecondFactorEnrolled)
    assert (enrolled.actor, enrolled.sealed_secret) == ("drita.k", "sealed")
    with pytest.raises(SecondFactorAlreadySet):
        account.enrol_second_factor(actor="drita.k", sealed_secret="another")
    account.reset_second_factor(actor="admin")
    assert account.sealed_second_factor is None
    assert isinstance(account.collect_events()[-1], Account.SecondFactorReset)
    account.enrol_second_factor(actor="drita.k", sealed_secret="another")
    assert account.sealed_second_factor == "another"


def test_an_account_without_a_second_factor_has_none_to_reset() -> None:
    with pytest.raises(NoSecondFactor):
        _secretary().reset_second_factor(actor="admin")
