"""Second factors: secrets sealed under a server key, codes once, ±1 step."""

from __future__ import annotations

import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import uuid4

import pyotp
import pytest

from domain.account import Account
from tests.application.test_audit import PASSWORD
from tracker.application import CaseTracker
from tracker.second_factor import (
    SecondFactorKey,
    SecondFactors,
    SecondFactorUnreadable,
    matching_step,
    new_secret,
    provisioning_uri,
)
from tracker.session_store import SQLiteSessionStore

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
AT = datetime(2026, 1, 15, 9, 0, 10, tzinfo=UTC)


def test_the_key_is_made_once_readable_only_by_its_owner(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "second-factor.key"
    key = SecondFactorKey(path)
    account = uuid4()
    sealed = key.seal(SECRET, account)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert SECRET not in sealed
    assert SecondFactorKey(path).open(sealed, account) == SECRET
    assert key.seal(SECRET, account) != sealed  # a fresh nonce every time


def test_a_sealed_secret_opens_only_for_its_account_and_key(tmp_path: Path) -> None:
    key = SecondFactorKey(tmp_path / "a.key")
    account = uuid4()
    sealed = key.seal(SECRET, account)
    for other_key, other_account in (
        (key, uuid4()),
        (SecondFactorKey(tmp_path / "b.key"), account),
    ):
        with pytest.raises(SecondFactorUnreadable) as refused:
            other_key.open(sealed, other_account)
        assert refused.value.field == "code"
    with pytest.raises(SecondFactorUnreadable):
        key.open("aesgcm1:not-base64!", account)


def test_a_code_matches_its_step_and_one_either_side_only() -> None:
    totp = pyotp.TOTP(SECRET)
    step = totp.timecode(AT)
    for offset in (-1, 0, 1):
        code = totp.at(AT + timedelta(seconds=30 * offset))
        assert matching_step(SECRET, code, AT) == step + offset
    for offset in (-2, 2):
        assert (
            matching_step(SECRET, totp.at(AT + timedelta(seconds=30 * offset)), AT)
            is None
        )


def test_a_new_secret_is_160_bits_and_the_app_gets_it_by_address() -> None:
    secret = new_secret()
    assert len(secret) == 32
    assert new_secret() != secret
    uri = provisioning_uri(secret, "arben")
    assert uri.startswith("otpauth://totp/CFPI%20case%20tracker:arben?secret=")
    assert f"secret={secret}" in uri


@pytest.fixture
def factors(tracker: CaseTracker, tmp_path: Path) -> SecondFactors:
    """Second factors over the tracker, with a clock fixed at `AT`."""
    store = SQLiteSessionStore(tmp_path / "sessions.sqlite3")
    return SecondFactors(
        tracker, SecondFactorKey(tmp_path / "k.key"), store, lambda: AT
    )


def test_enrolment_keeps_the_secret_sealed_once_a_code_proves_it(
    tracker: CaseTracker, factors: SecondFactors
) -> None:
    account_id = tracker.create_account(
        actor="admin", username="arben", password=PASSWORD, role="admin"
    )
    arben = tracker.account(account_id)
    sealed = factors.start_enrolment(account_id)
    secret = factors.secret(sealed, account_id)
    code = pyotp.TOTP(secret).at(AT)
    wrong = "000000" if code != "000000" else "111111"
    assert not factors.enrol(arben, sealed, wrong)
    assert not tracker.account(account_id).second_factor
    assert factors.enrol(arben, sealed, code, address="192.0.2.9")
    assert tracker.account(account_id).second_factor
    recorded = tracker.events.get(account_id)
    (enrolled,) = [e for e in recorded if isinstance(e, Account.SecondFactorEnrolled)]
    assert secret not in str(vars(enrolled))
    # The code that confirmed it cannot sign in a second time.
    assert not factors.check(tracker.account(account_id), code)
    later = pyotp.TOTP(secret).at(AT + timedelta(seconds=30))
    assert factors.check(tracker.account(account_id), later)
    assert not factors.check(tracker.account(account_id), later)


def test_a_code_is_six_digits_and_an_account_without_a_factor_has_none(
    tracker: CaseTracker, factors: SecondFactors
) -> None:
    account_id = tracker.create_account(
        actor="admin", username="arben", password=PASSWORD, role="advocate"
    )
    assert not factors.check(tracker.account(account_id), pyotp.TOTP(SECRET).at(AT))
    sealed = factors.key.seal(SECRET, account_id)
    tracker.enrol_second_factor(account_id, actor="arben", sealed_secret=sealed)
    for typed in ("", "12345", "1234567", "12 456", "abcdef"):
        assert not factors.check(tracker.account(account_id), typed)
    assert factors.check(tracker.account(account_id), pyotp.TOTP(SECRET).at(AT))
