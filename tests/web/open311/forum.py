"""A forum's cases for the Open311 tests: some published, secrets everywhere.

`record_forum` logs five cases through the tracker's commands: three
published (with every field, all but the location, only the text), one
never published and one unpublished, with unique strings (`SECRETS`) put
where only staff may look: original text, submitter, notes, actions, an
institution and its answer, an unpublished location, withdrawn text and the
reason for withdrawing it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from flask.testing import FlaskClient

from domain.reference import PUBLISHABLE_FIELDS
from tracker.application import CaseTracker

BASE = "/open311/v2"
PUBLIC_TITLE = "Sewage in the river"
PUBLIC_DESCRIPTION = "Sewage flows into the river near a school."
FORMATS = ("json", "xml")
LOCALES = ("sq", "sr_Latn", "sr_Cyrl", "en")
# Unique strings put where the public must never see them.
SECRETS = (
    "SECRET-ORIGINAL-TITLE", "SECRET-ORIGINAL-TEXT", "SECRET-NAME",
    "SECRET-CONTACT", "SECRET-NOTE", "SECRET-ACTION", "SECRET-LOCATION",
    "SECRET-NEVER-TITLE", "SECRET-NEVER-TEXT", "SECRET-WITHDRAWN",
    "SECRET-REASON", "SECRET-INSTITUTION", "SECRET-ANSWER",
)  # fmt: skip


@dataclass(frozen=True)
class Forum:
    """The references of the cases a forum logged, published or not."""

    river: str  # published, every field; answered (open)
    road: str  # published, all but the location; declined (closed)
    clinic: str  # published: title and description only
    never: str  # never published
    withdrawn: str  # published, then unpublished


def submitted(tracker: CaseTracker, **fields: Any) -> tuple[UUID, str]:
    """A case submitted with these fields over plausible ones."""
    given: dict[str, Any] = {
        "actor": "secretary", "municipality": "STR", "title": "Polluted river",
        "description": "Sewage in the river.", "category": "environment",
        "communities": ["serb", "albanian"], "raised_on": date(2025, 3, 3),
        "language": "en",
    }  # fmt: skip
    given.update(fields)
    case = tracker.submit_case(**given)
    return case.case_id, case.reference


def publish(
    tracker: CaseTracker, case_id: UUID, fields: Sequence[str], **text: str
) -> None:
    """Publish a case with redacted text."""
    tracker.publish_case(
        case_id, actor="coordinator", fields=list(fields),
        title=text.get("title", PUBLIC_TITLE),
        description=text.get("description", PUBLIC_DESCRIPTION),
    )  # fmt: skip


def record_forum(tracker: CaseTracker) -> Forum:
    """Five cases, three published, with secrets where only staff may look."""
    river_id, river = submitted(
        tracker, title="SECRET-ORIGINAL-TITLE", description="SECRET-ORIGINAL-TEXT",
        submitter={"name": "SECRET-NAME", "contact": "SECRET-CONTACT"},
        location="Near the school",
    )  # fmt: skip
    tracker.accept_case(river_id, actor="advocate")
    tracker.take_action(
        river_id, actor="advocate", kind="letter", taken_on=date(2025, 3, 5),
        description="SECRET-ACTION", communities=["serb"],
    )  # fmt: skip
    tracker.add_note(river_id, actor="advocate", text="SECRET-NOTE")
    referral = tracker.refer_case(
        river_id, actor="advocate", institution_kind="mayor",
        institution_name="SECRET-INSTITUTION", request_kind="general_request",
        sent_on=date(2025, 3, 10),
    )  # fmt: skip
    tracker.record_response(
        river_id, referral.referral_id, actor="advocate", received_on=date(2025, 4, 1),
        kind="commitment", summary="SECRET-ANSWER",
    )  # fmt: skip
    publish(tracker, river_id, PUBLISHABLE_FIELDS)
    road_id, road = submitted(
        tracker, municipality="GRA", category="infrastructure",
        raised_on=date(2025, 6, 1), location="SECRET-LOCATION",
    )  # fmt: skip
    publish(tracker, road_id, [f for f in PUBLISHABLE_FIELDS if f != "location"])
    tracker.decline_case(road_id, actor="advocate", reason="Not a forum matter")
    clinic_id, clinic = submitted(
        tracker, municipality="GRA", category="public_services",
        raised_on=date(2025, 9, 1), location="SECRET-LOCATION",
    )  # fmt: skip
    publish(tracker, clinic_id, ["title", "description"], title="Clinic closed")
    _, never = submitted(
        tracker, title="SECRET-NEVER-TITLE", description="SECRET-NEVER-TEXT"
    )
    withdrawn_id, withdrawn = submitted(tracker, raised_on=date(2025, 4, 1))
    publish(tracker, withdrawn_id, PUBLISHABLE_FIELDS, title="SECRET-WITHDRAWN")
    tracker.unpublish_case(withdrawn_id, actor="coordinator", reason="SECRET-REASON")
    return Forum(river, road, clinic, never, withdrawn)


def read(client: FlaskClient, path: str, **params: str) -> Any:
    """A JSON answer that must have succeeded."""
    answer = client.get(f"{BASE}/{path}", query_string=params)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return json.loads(answer.get_data(as_text=True))


def ids(client: FlaskClient, **params: str) -> list[str]:
    """The service request ids that requests.json answers, in its order."""
    return [r["service_request_id"] for r in read(client, "requests.json", **params)]
