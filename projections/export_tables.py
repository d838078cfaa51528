"""Reading the export's tables from the views, row by row.

Each table is one query whose columns are named as the dictionary names
them; every value is then turned into its dictionary type (a date, a
boolean, a list of codes) by that type alone. Rows are read from the cursor
one at a time, so an export of a hundred thousand cases never holds them all.
A referral's deadline state is judged by the domain's own `deadline_state`,
lent to SQLite for the query.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, date, datetime
from typing import Any

from domain.reference import COMMUNITIES, GENDERS
from projections.datastore import Cursor
from projections.export_dictionary import (
    BOOLEAN,
    CASES,
    CODES,
    DATE,
    DATETIME,
    INTEGER,
    MEETINGS,
    REFERRALS,
    RESPONSES,
    Row,
    Table,
    Value,
)
from projections.paging import Where
from projections.referral_queries import deadline_state_sql

_CASES = (
    "SELECT c.case_id, c.reference, c.municipality, c.category, c.communities, "
    "c.jointly_raised, c.title, s.description, c.language, c.status, c.priority, "
    "c.raised_on, "
    "(SELECT a.meeting_id FROM meeting_cases AS a "
    "WHERE a.case_id = c.case_id AND a.raised = 1) AS meeting_id, "
    "c.accepted_at, c.first_action_on, c.first_referral_on, c.first_response_on, "
    "c.first_substantive_response_on, c.resolved_on, c.reopened_on, "
    "c.open_referrals, c.next_due_on, c.published, c.last_activity_at "
    "FROM cases AS c LEFT JOIN search_cases AS s USING (case_id) "
    "{where} ORDER BY c.raised_on, c.reference"
)
_REFERRALS = (
    "SELECT referral_id, case_id, reference AS case_reference, municipality, "
    "institution_kind, institution_name, request_kind, sent_on, due_on, "
    "original_due_on, extensions, follow_ups, first_response_on, "
    "first_substantive_response_on, "
    "{state} AS deadline_state "
    "FROM referrals {where} ORDER BY sent_on, reference, referral_id"
)
_RESPONSES = (
    "SELECT r.response_id, r.referral_id, r.case_id, f.reference AS case_reference, "
    "r.municipality, r.received_on, r.kind, r.substantive, r.commitment_status, "
    "r.verified_on "
    "FROM responses AS r JOIN referrals AS f USING (referral_id) "
    "{where} ORDER BY r.received_on, f.reference, r.response_id"
)
# A meeting's attendance summed by gender and by community, one column each.
_ATTENDANCE_BY = (
    *(("gender", code) for code in GENDERS),
    *(("community", code) for code in COMMUNITIES),
)
_ATTENDANCE = (
    "(SELECT coalesce(sum(a.count), 0) FROM meeting_attendance AS a "
    "WHERE a.meeting_id = m.meeting_id AND a.{by} = ?) AS attendance_by_{by}_{code}"
)
_AGENDA = (
    "(SELECT count(*) FROM meeting_cases AS a "
    "WHERE a.meeting_id = m.meeting_id AND a.raised = {raised}) AS cases_{what}"
)
_MEETINGS = ", ".join(
    (
        "SELECT m.meeting_id, m.municipality, m.held_on, m.place, m.attendance_total",
        *(_ATTENDANCE.format(by=by, code=code) for by, code in _ATTENDANCE_BY),
        _AGENDA.format(raised=1, what="raised"),
        _AGENDA.format(raised=0, what="discussed"),
        "m.has_minutes FROM meetings AS m {where} ORDER BY m.held_on, m.municipality",
    )
)


def table_rows(
    c: Cursor, *, municipalities: tuple[str, ...], today: date
) -> Iterator[tuple[Table, Iterator[Row]]]:
    """Each table with its rows, read one table after the other.

    A table's rows must be read before the next table is asked for: they
    share the cursor. An empty `municipalities` means every municipality.
    """
    yield CASES, _rows(c, CASES, _CASES, "c.municipality", municipalities)
    yield (
        REFERRALS,
        _rows(
            c,
            REFERRALS,
            _REFERRALS.replace("{state}", deadline_state_sql(c.dialect)),
            "municipality",
            municipalities,
            [today.isoformat()] * 3,
        ),
    )
    yield RESPONSES, _rows(c, RESPONSES, _RESPONSES, "r.municipality", municipalities)
    codes = [code for _, code in _ATTENDANCE_BY]
    yield (
        MEETINGS,
        _rows(c, MEETINGS, _MEETINGS, "m.municipality", municipalities, codes),
    )


def _rows(
    c: Cursor,
    table: Table,
    sql: str,
    municipality: str,
    municipalities: tuple[str, ...],
    params: Sequence[object] = (),
) -> Iterator[Row]:
    """The table's rows, each value of its dictionary type."""
    where = Where()
    where.any_of(municipality, municipalities)
    c.execute(sql.format(where=where.sql), [*params, *where.params])
    found = c.column_names()
    if found != list(table.names):
        raise RuntimeError(f"{table.name}: read {found}, declared {table.names}")
    typed = [_TYPED.get(column.type, _as_is) for column in table.columns]
    for row in c:
        yield tuple(to_type(value) for to_type, value in zip(typed, row, strict=True))


def _as_is(value: Value) -> Value:
    return value


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _datetime(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value).astimezone(UTC) if value else None


def _boolean(value: int | None) -> bool | None:
    return None if value is None else bool(value)


def _integer(value: int | None) -> int | None:
    return None if value is None else int(value)


def _codes(value: str | None) -> tuple[str, ...]:
    return tuple(value.split()) if value else ()


_TYPED: dict[str, Callable[[Any], Value]] = {
    DATE: _date,
    DATETIME: _datetime,
    BOOLEAN: _boolean,
    INTEGER: _integer,
    CODES: _codes,
}
