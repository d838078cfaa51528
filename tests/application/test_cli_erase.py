"""`tracker erase-person`, run as an administrator runs it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from uuid import uuid4

from click.testing import CliRunner

from domain.personal import submitter_id
from tests.stores import Store
from tracker.application import CaseTracker
from tracker.cli import main
from tracker.config import Settings

REASON = "Asked in person at the forum of 4 January"


def named_case(tracker: CaseTracker) -> str:
    """A case raised by a named person; its reference."""
    return tracker.submit_case(
        actor="secretary", municipality="VIT", title="No water in Binçë",
        description="The village well is dry.", category="public_services",
        communities=["albanian", "croat"], raised_on=date(2025, 12, 1),
        submitter={"name": "Vesna Kolić", "contact": "vesna@example.org"},
    ).reference  # fmt: skip


def erase(
    store: Store, settings: Settings, *args: str, given: str = ""
) -> tuple[int, str]:
    """Run `tracker erase-person ARGS`; the exit code and everything printed."""
    result = CliRunner().invoke(
        main,
        ["erase-person", *args],
        env=store.environ(settings.home),
        input=given,
    )
    return result.exit_code, result.output


def test_erasing_by_case_reference_after_confirmation(
    store: Store, make_tracker: Callable[[], CaseTracker], settings: Settings
) -> None:
    reference = named_case(make_tracker())
    code, output = erase(store, settings, reference, "--reason", REASON, given="y\n")
    assert code == 0, output
    assert f"(of case {reference}): erased" in output
    case = make_tracker().case(reference)
    assert case.submitter is not None
    assert case.submitter.erased
    [erased] = [
        e
        for e in make_tracker().case_history(reference)
        if e.details.get("reason") == REASON
    ]
    assert erased.event == "PersonalDataErased"
    assert erased.actor.startswith("cli")


def test_erasing_by_person_id_twice_says_it_was_done(
    store: Store, make_tracker: Callable[[], CaseTracker], settings: Settings
) -> None:
    tracker = make_tracker()
    reference = named_case(tracker)
    person = str(submitter_id(tracker.case(reference).case_id))
    assert erase(store, settings, person, "--reason", REASON, "--yes")[0] == 0
    code, output = erase(store, settings, person, "--reason", REASON, "--yes")
    assert code == 0
    assert "was erased already" in output


def test_saying_no_erases_nothing(
    store: Store, make_tracker: Callable[[], CaseTracker], settings: Settings
) -> None:
    reference = named_case(make_tracker())
    code, _ = erase(store, settings, reference, "--reason", REASON, given="n\n")
    assert code == 1
    case = make_tracker().case(reference)
    assert case.submitter is not None
    assert case.submitter.name == "Vesna Kolić"


def test_refusals_say_why_and_change_nothing(
    store: Store, make_tracker: Callable[[], CaseTracker], settings: Settings
) -> None:
    tracker = make_tracker()
    reference = named_case(tracker)
    version = tracker.case(reference).version
    unknown = erase(store, settings, str(uuid4()), "--reason", REASON, "--yes")
    assert unknown[0] == 1
    assert "error (person_id): no personal data of" in unknown[1]
    blank = erase(store, settings, reference, "--reason", " ", "--yes")
    assert blank == (1, "error (reason): reason must not be empty\n")
    missing = erase(store, settings, "GRA-2025-999", "--reason", REASON, "--yes")
    assert "error (reference): no case GRA-2025-999" in missing[1]
    assert make_tracker().case(reference).version == version


def test_a_case_without_a_submitter_has_no_one_to_erase(
    store: Store, make_tracker: Callable[[], CaseTracker], settings: Settings
) -> None:
    reference = make_tracker().submit_case(
        actor="secretary", municipality="VIT", title="Dark road",
        description="No lights.", category="infrastructure",
        communities=["albanian"], raised_on=date(2025, 12, 2),
    ).reference  # fmt: skip
    code, output = erase(store, settings, reference, "--reason", REASON, "--yes")
    assert (code, output) == (
        1,
        f"error (person): case {reference} holds no personal data\n",
    )


def test_the_command_is_listed(store: Store, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["--help"], env=store.environ(tmp_path))
    assert "erase-person" in result.output


def test_a_case_holding_only_sensitive_notes_is_erased_by_reference(
    store: Store, make_tracker: Callable[[], CaseTracker], settings: Settings
) -> None:
    tracker = make_tracker()
    made = tracker.submit_case(
        actor="secretary", municipality="VIT", title="A family in danger",
        description="See the notes.", category="domestic_violence",
        communities=["albanian"], raised_on=date(2025, 12, 2),
    )  # fmt: skip
    tracker.add_note(made.case_id, actor="secretary", text="Beaten.", sensitive=True)
    code, output = erase(store, settings, made.reference, "--reason", REASON, "--yes")
    assert code == 0, output
    assert make_tracker().case(made.reference).notes[0].erased
