"""Accounts through the application: argon2id hashes, sign-in, the record."""

from __future__ import annotations

import pytest
from argon2 import Type

from domain.account import Account
from domain.errors import InvalidValue
from tracker.accounts import UsernameTaken
from tracker.application import CaseTracker, open_tracker
from tracker.config import Settings
from tracker.passwords import GuessablePassword

PASSWORD = "correct horse battery"


def test_only_an_argon2id_hash_of_the_password_is_stored(tracker: CaseTracker) -> None:
    account_id = tracker.create_account(
        actor="cli", username="drita", password=PASSWORD, role="admin"
    )
    created = next(iter(tracker.events.get(account_id)))
    assert isinstance(created, Account.Created)
    assert created.password_hash.startswith("$argon2id$")
    assert PASSWORD not in created.password_hash


def test_sign_in_needs_the_right_password(tracker: CaseTracker) -> None:
    tracker.create_account(
        actor="cli", username="drita", password=PASSWORD, role="viewer"
    )
    assert tracker.sign_in("drita", "wrong password!!") is None
    assert tracker.sign_in("nobody", PASSWORD) is None
    assert tracker.sign_in("not a name", PASSWORD) is None
    signed_in = tracker.sign_in("Drita", PASSWORD)
    assert signed_in is not None
    assert signed_in.role == "viewer"


def test_a_disabled_account_cannot_sign_in(tracker: CaseTracker) -> None:
    account_id = tracker.create_account(
        actor="cli", username="drita", password=PASSWORD, role="viewer"
    )
    tracker.disable_account(account_id, actor="admin", reason="left")
    assert tracker.sign_in("drita", PASSWORD) is None
    tracker.enable_account(account_id, actor="admin")
    assert tracker.sign_in("drita", PASSWORD) is not None


def test_a_short_password_or_a_taken_name_is_refused(tracker: CaseTracker) -> None:
    with pytest.raises(InvalidValue) as short:
        tracker.create_account(
            actor="cli", username="drita", password="short", role="admin"
        )
    assert short.value.field == "password"
    tracker.create_account(
        actor="cli", username="drita", password=PASSWORD, role="admin"
    )
    with pytest.raises(UsernameTaken):
        tracker.create_account(
            actor="cli", username="DRITA", password=PASSWORD, role="viewer"
        )


@pytest.mark.parametrize(
    "guessable",
    [
        "password1234",  # among the commonest passwords
        "qwertyuiop12",  # a keyboard run
        "123456789012",  # a sequence
        "drita.drita.",  # the username, twice
        "Drita12345678",  # the username and a sequence
        "dritadrita2024",  # the username twice and a year
        "aaaaaaaaaaaa",  # one letter
    ],
)
def test_a_password_easy_to_guess_is_refused(
    tracker: CaseTracker, guessable: str
) -> None:
    with pytest.raises(GuessablePassword) as refused:
        tracker.create_account(
            actor="cli", username="drita", password=guessable, role="admin"
        )
    assert refused.value.field == "password"
    assert not tracker.exists(Account.create_id("drita"))


def test_a_changed_password_must_be_hard_to_guess_too(tracker: CaseTracker) -> None:
    account_id = tracker.create_account(
        actor="cli", username="drita", password=PASSWORD, role="admin"
    )
    with pytest.raises(GuessablePassword):
        tracker.change_password(account_id, actor="drita", password="password1234")
    tracker.change_password(
        account_id, actor="drita", password="river bridge lantern 1987"
    )
    assert tracker.sign_in("drita", "river bridge lantern 1987") is not None


def test_accounts_are_listed_by_name_with_their_grants(tracker: CaseTracker) -> None:
    for name in ("zana", "arben"):
        tracker.create_account(
            actor="cli", username=name, password=PASSWORD, role="viewer"
        )
    arben = tracker.account("arben")
    tracker.change_access(
        arben.account_id, actor="zana", role="secretary", municipalities=["GRA"]
    )
    assert [(a.username, a.role, a.municipalities) for a in tracker.accounts()] == [
        ("arben", "secretary", ("GRA",)),
        ("zana", "viewer", ()),
    ]
    grants = list(tracker.events.get(arben.account_id))
    assert [type(e).__name__ for e in grants] == ["Created", "AccessChanged"]
    assert isinstance(grants[-1], Account.AccessChanged)
    assert grants[-1].actor == "zana"


def test_an_accounts_history_says_who_granted_what_without_the_hash(
    tracker: CaseTracker,
) -> None:
    account_id = tracker.create_account(
        actor="cli", username="drita", password=PASSWORD, role="viewer"
    )
    tracker.change_access(account_id, actor="zana", role="advocate", municipalities=[])
    history = tracker.account_history(account_id)
    assert [(e.event, e.actor) for e in history] == [
        ("Created", "cli"),
        ("AccessChanged", "zana"),
    ]
    assert history[1].details["role"] == "advocate"
    assert all("password_hash" not in e.details for e in history)


def test_passwords_are_hashed_with_argon2id_at_least_as_owasp_asks(
    settings: Settings,
) -> None:
    # OWASP's password storage advice (ASVS 2.4): argon2id, at least 19 MiB,
    # 2 passes, 1 lane. The tests use a cheaper hasher; the product does not.
    tracker = open_tracker(settings)
    try:
        hasher = tracker.password_hasher
        assert hasher.type is Type.ID
        assert hasher.memory_cost >= 19 * 1024
        assert hasher.time_cost >= 2
        assert hasher.parallelism >= 1
        assert tracker.password_hasher.hash("x").startswith("$argon2id$")
    finally:
        tracker.close()
