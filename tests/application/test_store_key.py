"""Whole-store encryption at rest (TRACKER_STORE_KEY): every event and snapshot."""

from __future__ import annotations

from base64 import b64encode
from datetime import date
from pathlib import Path

import pytest

from domain.errors import InvalidValue
from tests.conftest import TODAY
from tracker.application import open_tracker
from tracker.config import Settings

KEY = b64encode(bytes(range(32))).decode()
OTHER_KEY = b64encode(bytes(range(1, 33))).decode()
TITLE = "Landslide above Bresalc school 8830"


def settings_of(home: Path, key: str | None) -> Settings:
    """Settings for a store in `home`, encrypted with `key` if given."""
    environ = {"TRACKER_HOME": str(home)}
    if key is not None:
        environ["TRACKER_STORE_KEY"] = key
    return Settings.from_environment(environ)


def record_a_case(settings: Settings) -> str:
    """Submit a case with 30 notes (so a snapshot is taken); its reference."""
    tracker = open_tracker(settings, clock=lambda: TODAY)
    made = tracker.submit_case(
        actor="secretary", municipality="GRA", title=TITLE,
        description="The slope moved after the rains.", category="natural_hazards",
        communities=["serb", "albanian"], raised_on=date(2025, 12, 1),
    )  # fmt: skip
    for number in range(30):
        tracker.add_note(made.case_id, actor="secretary", text=f"Checked {number}")
    tracker.close()
    return made.reference


def test_with_a_store_key_no_event_or_snapshot_is_readable_at_rest(
    tmp_path: Path,
) -> None:
    home = tmp_path / "home"
    reference = record_a_case(settings_of(home, KEY))
    raw = b"".join(p.read_bytes() for p in home.glob("tracker.sqlite3*"))
    assert TITLE.encode() not in raw
    assert b"Checked 1" not in raw
    tracker = open_tracker(settings_of(home, KEY), clock=lambda: TODAY)
    assert tracker.case(reference).title == TITLE
    assert len(tracker.case(reference).notes) == 30
    tracker.close()


def test_without_a_store_key_the_same_text_is_in_the_file(tmp_path: Path) -> None:
    home = tmp_path / "home"
    record_a_case(settings_of(home, None))
    raw = b"".join(p.read_bytes() for p in home.glob("tracker.sqlite3*"))
    assert TITLE.encode() in raw  # so the test above can see plaintext


@pytest.mark.parametrize(
    ("written_with", "opened_with"), [(KEY, OTHER_KEY), (KEY, None), (None, KEY)]
)
def test_the_wrong_key_is_refused_at_start_with_the_reason(
    tmp_path: Path, written_with: str | None, opened_with: str | None
) -> None:
    home = tmp_path / "home"
    record_a_case(settings_of(home, written_with))
    with pytest.raises(InvalidValue, match="TRACKER_STORE_KEY does not open") as raised:
        open_tracker(settings_of(home, opened_with))
    assert raised.value.field == "TRACKER_STORE_KEY"


@pytest.mark.parametrize("key", ["short", b64encode(bytes(16)).decode(), "!!!"])
def test_a_store_key_must_be_32_bytes_in_base64(tmp_path: Path, key: str) -> None:
    with pytest.raises(InvalidValue, match="32 random bytes in base64"):
        settings_of(tmp_path, key)
