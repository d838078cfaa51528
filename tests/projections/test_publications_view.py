"""Published cases show what a coordinator published, and nothing else."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from domain.reference import PUBLISHABLE_FIELDS
from projections.publication_queries import (
    PublicationFilter,
    PublishedCase,
    Step,
    find_published,
    published_case,
)
from projections.publications import PublicationsView
from projections.views import Views
from tests.application.builders import referred, submit
from tests.conftest import TODAY
from tests.projections.tables import dump
from tests.stores import Store
from tracker.application import CaseTracker

PUBLIC_TITLE = "Sewage in the river"
PUBLIC_DESCRIPTION = "Sewage flows into the river near a school."
EVERY_FIELD = list(PUBLISHABLE_FIELDS)


@pytest.fixture
def publications(store: Store, tracker: CaseTracker, tmp_path: Path) -> Iterator[Views]:
    """Only the published cases, in their own file."""
    views = store.views(tracker, tmp_path / "views.sqlite3", kinds=[PublicationsView])
    yield views
    views.close()


def publish(tracker: CaseTracker, case_id: UUID, **overrides: Any) -> None:
    """Publish a case with redacted text; override the fields or the text."""
    fields: dict[str, Any] = {
        "actor": "coordinator",
        "fields": EVERY_FIELD,
        "title": PUBLIC_TITLE,
        "description": PUBLIC_DESCRIPTION,
    }
    fields.update(overrides)
    tracker.publish_case(case_id, **fields)


def shown(views: Views, reference: str) -> PublishedCase | None:
    """The published case of that reference, if it is published."""
    with views.reading() as c:
        return published_case(c, reference)


def listed(views: Views, wanted: PublicationFilter) -> list[str]:
    """The references of the published cases a filter finds, newest first."""
    with views.reading() as c:
        return [p.reference for p in find_published(c, wanted, per_page=1000).rows]


def test_a_published_case_shows_the_redacted_text_not_its_own(
    tracker: CaseTracker, publications: Views
) -> None:
    case = submit(tracker, location="Near the school", submitter={"name": "Ana"})

    publish(tracker, case.case_id)

    found = shown(publications, case.reference)
    assert found is not None
    assert (found.title, found.description) == (PUBLIC_TITLE, PUBLIC_DESCRIPTION)
    assert found.fields == PUBLISHABLE_FIELDS
    assert (found.municipality, found.category, found.status) == (
        "STR",
        "environment",
        "submitted",
    )
    assert found.communities == ("albanian", "serb")
    assert found.location == "Near the school"
    assert found.raised_on == date(2025, 3, 3)
    assert found.published_at == found.updated_at


def test_a_case_never_published_is_not_there(
    tracker: CaseTracker, publications: Views
) -> None:
    case = submit(tracker)

    assert shown(publications, case.reference) is None
    assert listed(publications, PublicationFilter()) == []


def test_an_unpublished_case_is_removed(
    tracker: CaseTracker, publications: Views
) -> None:
    case = submit(tracker)
    publish(tracker, case.case_id)
    assert shown(publications, case.reference) is not None

    tracker.unpublish_case(case.case_id, actor="coordinator", reason="Named a person")

    assert shown(publications, case.reference) is None
    assert listed(publications, PublicationFilter()) == []


def test_a_field_the_publication_does_not_name_is_not_shown(
    tracker: CaseTracker, publications: Views
) -> None:
    case = submit(tracker, location="Near the school")

    publish(tracker, case.case_id, fields=["title", "description"])

    found = shown(publications, case.reference)
    assert found is not None
    assert found.fields == ("title", "description")
    assert found.title == PUBLIC_TITLE
    hidden = (
        found.category, found.communities, found.municipality, found.location,
        found.status, found.timeline, found.responses,
    )  # fmt: skip
    assert hidden == (None,) * len(hidden)
    by_place = PublicationFilter(municipalities=("STR",))
    assert listed(publications, by_place) == []


def test_every_publishable_field_has_a_column() -> None:
    assert set(PUBLISHABLE_FIELDS) <= set(PublicationsView.public_columns)


def test_a_status_change_after_publication_updates_the_row(
    tracker: CaseTracker, publications: Views
) -> None:
    case = submit(tracker)
    publish(tracker, case.case_id)
    before = shown(publications, case.reference)

    tracker.accept_case(case.case_id, actor="advocate")

    after = shown(publications, case.reference)
    assert before is not None
    assert after is not None
    assert after.status == "accepted"
    assert after.updated_at > before.updated_at
    assert after.published_at == before.published_at


def test_a_change_the_public_cannot_see_leaves_the_row_as_it_was(
    tracker: CaseTracker, publications: Views
) -> None:
    case = submit(tracker)
    publish(tracker, case.case_id, fields=["title", "description", "category"])
    before = shown(publications, case.reference)

    tracker.accept_case(case.case_id, actor="advocate")
    tracker.add_note(case.case_id, actor="advocate", text="Called the office")

    assert shown(publications, case.reference) == before


def test_the_timeline_and_responses_show_dated_steps_without_text(
    tracker: CaseTracker, publications: Views
) -> None:
    case_id, referral = referred(tracker)
    tracker.record_response(
        case_id, referral.referral_id, actor="advocate", received_on=date(2025, 4, 1),
        kind="commitment", summary="The mayor will build a sewer.",
    )  # fmt: skip
    publish(tracker, case_id)

    found = shown(publications, tracker.case(case_id).reference)

    assert found is not None
    assert found.status == "answered"
    assert found.timeline is not None
    assert [s.step for s in found.timeline] == [
        "Submitted", "Accepted", "Referred", "ResponseReceived",
    ]  # fmt: skip
    assert found.timeline[2] == Step(date(2025, 3, 10), "Referred", "mayor")
    assert found.responses == (
        Step(date(2025, 4, 1), "ResponseReceived", "commitment"),
    )


def test_publishing_again_replaces_the_fields_and_text(
    tracker: CaseTracker, publications: Views
) -> None:
    case = submit(tracker)
    publish(tracker, case.case_id)

    publish(tracker, case.case_id, fields=["title", "description"], title="Redone")

    found = shown(publications, case.reference)
    assert found is not None
    assert (found.title, found.fields, found.status) == (
        "Redone",
        ("title", "description"),
        None,
    )


def test_no_secret_reaches_the_view(tracker: CaseTracker, publications: Views) -> None:
    secrets = ["SECRET-TITLE", "SECRET-TEXT", "SECRET-NAME", "SECRET-PHONE"]
    published = submit(
        tracker, title="SECRET-TITLE", description="SECRET-TEXT",
        submitter={"name": "SECRET-NAME", "contact": "SECRET-PHONE"},
    )  # fmt: skip
    publish(tracker, published.case_id)
    tracker.add_note(published.case_id, actor="advocate", text="SECRET-NOTE")
    hidden = submit(tracker, title="SECRET-HIDDEN", description="SECRET-HIDDEN-TEXT")
    publish(tracker, hidden.case_id)
    tracker.unpublish_case(hidden.case_id, actor="coordinator", reason="Too soon")
    publications.catch_up()

    content = repr(dump(publications))

    for secret in [*secrets, "SECRET-NOTE", "SECRET-HIDDEN"]:
        assert secret not in content
    assert listed(publications, PublicationFilter()) == [published.reference]


def test_filters_narrow_the_published_cases(
    tracker: CaseTracker, publications: Views
) -> None:
    river = submit(tracker, raised_on=date(2025, 3, 3))
    road = submit(
        tracker, municipality="GRA", category="infrastructure",
        raised_on=date(2025, 6, 1),
    )  # fmt: skip
    clinic = submit(tracker, raised_on=date(2025, 9, 1))
    for case in (river, road, clinic):
        publish(tracker, case.case_id)
    tracker.decline_case(clinic.case_id, actor="advocate", reason="Out of scope")

    assert listed(publications, PublicationFilter()) == [
        clinic.reference, road.reference, river.reference,
    ]  # fmt: skip
    assert listed(publications, PublicationFilter(municipalities=("GRA",))) == [
        road.reference
    ]
    assert listed(publications, PublicationFilter(categories=("environment",))) == [
        clinic.reference, river.reference,
    ]  # fmt: skip
    assert listed(publications, PublicationFilter(statuses=("declined",))) == [
        clinic.reference
    ]
    assert listed(
        publications,
        PublicationFilter(raised_from=date(2025, 6, 1), raised_until=date(2025, 8, 31)),
    ) == [road.reference]
    assert listed(
        publications, PublicationFilter(references=(river.reference, "NONE-1"))
    ) == [river.reference]


def test_pages_of_published_cases_go_up_to_a_thousand(
    tracker: CaseTracker, publications: Views
) -> None:
    for day in (1, 2, 3):
        publish(tracker, submit(tracker, raised_on=date(2025, 5, day)).case_id)

    with publications.reading() as c:
        second = find_published(c, PublicationFilter(), page=2, per_page=2)
        big = find_published(c, PublicationFilter(), per_page=5000)

    assert (len(second.rows), second.total, second.pages) == (1, 3, 2)
    assert second.rows[0].raised_on == date(2025, 5, 1)
    assert big.per_page == 1000


def test_every_demo_publication_agrees_with_its_case(
    store: Store, demo_tracker: CaseTracker, tmp_path: Path
) -> None:
    views = store.views(
        demo_tracker, tmp_path / "views.sqlite3", kinds=[PublicationsView]
    )
    published = {
        case.reference: case
        for case in demo_tracker.cases(on=TODAY)
        if case.publication is not None
    }

    with views.reading() as c:
        rows = find_published(c, PublicationFilter(), per_page=1000).rows

    assert published
    assert {row.reference for row in rows} == set(published)
    for row in rows:
        case = published[row.reference]
        assert case.publication is not None
        assert row.title == case.publication.title
        assert row.status == (case.status if "status" in row.fields else None)
        assert row.category == case.category


def test_a_rebuild_gives_the_published_cases_a_catch_up_gives(
    store: Store, demo_tracker: CaseTracker, tmp_path: Path
) -> None:
    views = store.views(
        demo_tracker, tmp_path / "views.sqlite3", kinds=[PublicationsView]
    )
    views.catch_up()
    before = dump(views)

    views.rebuild("publications")

    assert dump(views) == before
