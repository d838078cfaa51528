"""The referrals' SQL judges deadlines as `domain.deadlines` does, on both stores."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.deadlines import deadline_state, is_overdue
from projections.datastore import Cursor
from projections.referral_queries import deadline_state_sql, is_overdue_sql
from projections.views import Views
from tests.stores import Store
from tracker.application import CaseTracker

DAY = st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 12, 31))


@pytest.fixture
def cursor(store: Store, tracker: CaseTracker, tmp_path: Path) -> Iterator[Cursor]:
    """A cursor on the views database, its referrals table made."""
    views: Views = store.views(tracker, tmp_path / "views.sqlite3")
    with views.datastore.transaction(commit=False) as c:
        yield c
    views.close()


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    sent_on=DAY,
    allowed=st.integers(min_value=0, max_value=60),
    answered_after=st.none() | st.integers(min_value=0, max_value=150),
    on_after=st.integers(min_value=-10, max_value=200),
)
def test_the_sql_judges_each_referral_as_the_domain_does(
    cursor: Cursor,
    sent_on: date,
    allowed: int,
    answered_after: int | None,
    on_after: int,
) -> None:
    due_on = sent_on + timedelta(days=allowed)
    answered = None if answered_after is None else sent_on + timedelta(answered_after)
    on = sent_on + timedelta(days=on_after)
    day = on.isoformat()
    cursor.execute(
        f"SELECT {deadline_state_sql(cursor.dialect)}, "
        f"CASE WHEN {is_overdue_sql()} THEN 1 ELSE 0 END "
        "FROM (SELECT ? AS sent_on, ? AS due_on, "
        "? AS first_substantive_response_on) AS referral",
        (
            day, day, day, day, day,
            sent_on.isoformat(), due_on.isoformat(),
            answered.isoformat() if answered else None,
        ),
    )  # fmt: skip
    state, overdue = cursor.fetchone()
    judged = {"sent_on": sent_on, "due_on": due_on, "on": on}
    assert state == deadline_state(substantive_response_on=answered, **judged)
    assert bool(overdue) == is_overdue(substantive_response_on=answered, **judged)
