"""How long sessions last: 30 minutes unused, 12 hours at most, or as set."""

from __future__ import annotations

import pytest

from domain.errors import InvalidValue
from tracker.config import Settings


def test_sessions_last_30_idle_minutes_and_12_hours_unless_set() -> None:
    settings = Settings.from_environment({})
    assert (settings.session_idle_minutes, settings.session_max_hours) == (30, 12)
    set_ = Settings.from_environment(
        {"TRACKER_SESSION_IDLE_MINUTES": "15", "TRACKER_SESSION_MAX_HOURS": " 8 "}
    )
    assert (set_.session_idle_minutes, set_.session_max_hours) == (15, 8)


@pytest.mark.parametrize(
    "name", ["TRACKER_SESSION_IDLE_MINUTES", "TRACKER_SESSION_MAX_HOURS"]
)
@pytest.mark.parametrize("value", ["0", "-5", "half an hour", "1.5"])
def test_a_session_limit_is_a_whole_number_above_zero(name: str, value: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        Settings.from_environment({name: value})
    assert refused.value.field == name
    assert "whole number above 0" in refused.value.message


def test_the_second_factor_key_is_kept_under_keys_in_tracker_home() -> None:
    settings = Settings.from_environment({"TRACKER_HOME": "/srv/cfpi"})
    assert str(settings.second_factor_key_path) == "/srv/cfpi/keys/second-factor.key"
