"""``tracker erase-person``: make a person's data unreadable everywhere."""

from __future__ import annotations

from uuid import UUID

import click

from tracker.application import CaseTracker
from tracker.cli_support import command_actor, command_tracker, reported
from tracker.erasure import PersonNotFound


@click.command("erase-person")
@click.argument("person")
@click.option(
    "--reason",
    required=True,
    help="Why (kept in the case's history and the audit log: no personal data).",
)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@reported
def erase_person(person: str, reason: str, yes: bool) -> None:
    """Erase PERSON's data: a person id, or a case reference (its submitter
    and its sensitive notes).

    The person's key is destroyed, so their name and contact can no longer
    be read from any event, snapshot or backup. The case and every figure
    stay; the history records who erased, when and why. It cannot be undone.
    """
    tracker = command_tracker()
    person_id = person_of(tracker, person)
    case = tracker.case(tracker.person_holder(person_id))
    if not yes:
        click.confirm(
            f"Erase for good the personal data of person {person_id} "
            f"(the person case {case.reference} is about)?",
            abort=True,
        )
    erasure = tracker.erase_person(person_id, actor=command_actor(), reason=reason)
    done = "erased" if erasure.key_destroyed else "was erased already"
    click.echo(f"Person {person_id} (of case {erasure.reference}): {done}.")


def person_of(tracker: CaseTracker, person: str) -> UUID:
    """A person id given as such, or the person a case (by reference) is about."""
    try:
        return UUID(person)
    except ValueError:
        pass
    case = tracker.case(person)
    if case.personal_data == "none":
        raise PersonNotFound(f"case {person} holds no personal data", field="person")
    return case.person_id
