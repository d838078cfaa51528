"""The figures read model: the dated facts the accountability report counts.

Every table keeps the dates users entered (raised on, sent, received, ...),
never the day a thing was typed in, so `projections.figure_queries` can count
"as of" any day without replaying events. The tables are the view's own (not
shared with the case list), so it can be rebuilt alone.

``figure_status_changes`` holds a case's status after each of its events (from
`domain.case_status.status_after`, as the aggregate computes it) with the
event's *effective date*: its own date if it carries one, else the previous
event's effective date; the submission's is the case's raised-on date, so an
amended raised-on date moves the undated events that follow it.

A case's row also holds what its next event needs (its status and effective
date, its referrals still without a substantive answer), and the latest
effective date of all its events: as of a day on or after it, the case's
status is its current one, so the report need not look through its
history (`projections.figure_tally`). The row is kept in
memory between batches with the referrals' rows (`projections.rows`); the
other tables only grow, a batch's new rows written together at its end.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, ClassVar

from domain.case import Case
from domain.case_status import status_after
from domain.meeting import Meeting
from domain.reference import is_substantive
from projections.datastore import Cursor, ViewsDatabase
from projections.figure_tables import INDEXES, TABLES
from projections.rows import Row, Rows
from projections.view import Handler, Positioned, View

# The date an event says it happened on, for the events that carry one.
HAPPENED_ON: dict[type[Case.Event], str] = {
    Case.AdvocacyActionTaken: "taken_on",
    Case.Referred: "sent_on",
    Case.FollowedUp: "followed_up_on",
    Case.ResponseReceived: "received_on",
    Case.CommitmentVerified: "verified_on",
    Case.Resolved: "resolved_on",
    Case.Reopened: "reopened_on",
}
# Case events that change no figure but the case's status.
STATUS_ONLY: tuple[type[Case.Event], ...] = (
    Case.Accepted,
    Case.Declined,
    Case.MarkedDuplicate,
    Case.FollowedUp,
    Case.Reopened,
    Case.Translated,
    Case.NoteAdded,
    Case.DocumentAttached,
    Case.Published,
    Case.Unpublished,
)


class FiguresView(View):
    """Cases, actions, referrals, responses, outcomes and meetings, by date."""

    name = "figures"
    tables: ClassVar[dict[str, str]] = TABLES
    indexes: ClassVar[dict[str, str]] = INDEXES
    statements: ClassVar[dict[str, str]] = {
        "status": "INSERT INTO figure_status_changes{s} VALUES (?, ?, ?, ?, ?)",
        # The submission and the undated events after it, before any dated one.
        "raised_on_moved": "UPDATE figure_status_changes{s} SET effective_on = ? "
        "WHERE case_id = ? AND seq < COALESCE((SELECT MIN(seq) "
        "FROM figure_status_changes{s} WHERE case_id = ? AND dated_on IS NOT NULL), "
        "seq + 1)",
        "latest": "SELECT MAX(effective_on) FROM figure_status_changes{s} "
        "WHERE case_id = ?",
        "deadline": "INSERT INTO figure_deadlines{s} VALUES (?, ?, ?, ?)",
        "action": "INSERT INTO figure_actions{s} VALUES (?, ?, ?, ?, ?)",
        "response": "INSERT INTO figure_responses{s} "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        "verification": "INSERT INTO figure_verifications{s} VALUES (?, ?, ?, ?)",
        "resolution": "INSERT INTO figure_resolutions{s} VALUES (?, ?, ?, ?, ?)",
        "meeting": "INSERT INTO figure_meetings{s} VALUES (?, ?, ?) "
        "ON CONFLICT (meeting_id) DO UPDATE SET "
        "municipality = excluded.municipality, held_on = excluded.held_on",
        "forget_attendance": "DELETE FROM figure_attendance{s} WHERE meeting_id = ?",
        "attendance": "INSERT INTO figure_attendance{s} VALUES (?, ?, ?, ?)",
    }
    # Tables that only grow: a batch's rows for them are written at its end.
    GROWING = (
        "status", "deadline", "action", "response", "verification", "resolution"
    )  # fmt: skip

    def __init__(self, database: ViewsDatabase, *, suffix: str = "") -> None:
        super().__init__(database, suffix=suffix)
        self.cases = Rows(
            f"figure_cases{suffix}", "case_id",
            ("case_id", "reference", "municipality", "category", "communities",
             "raised_on", "status", "effective_on", "latest_on", "dated",
             "open_referrals"),
        )  # fmt: skip
        self.referrals = Rows(
            f"figure_referrals{suffix}", "referral_id",
            ("referral_id", "case_id", "municipality", "institution_kind",
             "institution", "sent_on", "due_on", "extended_on",
             "first_response_on", "first_substantive_response_on"),
        )  # fmt: skip
        self._growing: dict[str, list[tuple[object, ...]]] = {
            key: [] for key in self.GROWING
        }

    def rows(self) -> list[Rows]:
        """Cases and referrals, kept in memory between batches."""
        return [self.cases, self.referrals]

    def handlers(self) -> dict[type[Any], Handler]:
        """What each case and meeting event adds to the figures' tables."""
        return {
            **dict.fromkeys(STATUS_ONLY, self.status_changed),
            Case.Submitted: self.submitted,
            Case.Amended: self.amended,
            Case.AdvocacyActionTaken: self.action_taken,
            Case.Referred: self.referred,
            Case.DeadlineExtended: self.deadline_extended,
            Case.ResponseReceived: self.response_received,
            Case.CommitmentVerified: self.commitment_verified,
            Case.Resolved: self.resolved,
            Meeting.Held: self.meeting_held,
            Meeting.AttendanceCounted: self.attendance_counted,
        }

    def prepare(self, c: Cursor, events: Sequence[Positioned]) -> None:
        """Read the rows of the cases and referrals these events are about."""
        cases = [e for _, e in events if isinstance(e, Case.Event)]
        self.cases.load(
            c, (e.originator_id.hex for e in cases if not isinstance(e, Case.Submitted))
        )
        self.referrals.load(
            c,
            (
                e.referral_id.hex
                for e in cases
                if isinstance(e, (Case.DeadlineExtended, Case.ResponseReceived))
            ),
        )

    def finish(self, c: Cursor) -> None:
        """Write the changed rows and the rows the growing tables gained."""
        super().finish(c)
        self._write_growing(c)

    def forget(self) -> None:
        """A failed batch adds no rows either."""
        super().forget()
        for rows in self._growing.values():
            rows.clear()

    def _write_growing(self, c: Cursor) -> None:
        for key, rows in self._growing.items():
            c.executemany(self.sql[key], rows)
            rows.clear()

    # -- cases ----------------------------------------------------------------

    def submitted(self, c: Cursor, e: Case.Submitted) -> None:
        """A case, where and when it was raised, by how many communities."""
        raised_on = e.raised_on.isoformat()
        self.cases.add(
            case_id=e.originator_id.hex, reference=e.reference,
            municipality=e.municipality, category=e.category,
            communities=len(set(e.communities)),
            raised_on=raised_on, effective_on=raised_on, latest_on=raised_on,
            dated=0, open_referrals="[]",
        )  # fmt: skip
        self.status_changed(c, e)

    def amended(self, c: Cursor, e: Case.Amended) -> None:
        """Corrected category, communities or raised-on date."""
        row, changes = self._case(e), e.changes
        if "category" in changes:
            row.set(category=changes["category"])
        if "communities" in changes:
            row.set(communities=len(set(changes["communities"])))
        if "raised_on" in changes:
            raised_on = changes["raised_on"].isoformat()
            row.set(raised_on=raised_on)
            if not row["dated"]:
                row.set(effective_on=raised_on)
            # The rows it moves may still be waiting to be written.
            self._write_growing(c)
            c.execute(self.sql["raised_on_moved"], (raised_on, row.key, row.key))
            c.execute(self.sql["latest"], (row.key,))
            row.set(latest_on=c.fetchone()[0])
        self.status_changed(c, e)

    def action_taken(self, c: Cursor, e: Case.AdvocacyActionTaken) -> None:
        """An advocacy action of a kind, on a day."""
        row = self._case(e)
        self._grow(
            "action", e.action_id.hex, row.key, row["municipality"], e.kind,
            e.taken_on.isoformat(),
        )  # fmt: skip
        self.status_changed(c, e)

    def referred(self, c: Cursor, e: Case.Referred) -> None:
        """A referral sent, with its due date."""
        row = self._case(e)
        self.referrals.add(
            referral_id=e.referral_id.hex, case_id=row.key,
            municipality=row["municipality"], institution_kind=e.institution_kind,
            institution=e.institution_name, sent_on=e.sent_on.isoformat(),
            due_on=e.due_on.isoformat(),
        )  # fmt: skip
        self._grow(
            "deadline", e.referral_id.hex, e.originator_version,
            e.sent_on.isoformat(), e.due_on.isoformat(),
        )  # fmt: skip
        row.set(open_referrals=json.dumps([*_open(row), e.referral_id.hex]))
        self.status_changed(c, e)

    def deadline_extended(self, c: Cursor, e: Case.DeadlineExtended) -> None:
        """A referral's later due date, from the extension's effective date on.

        The extension carries no date of its own: it counts from the date of
        the event before it, so a report for a period that ended before then
        still judges the referral by the due date it had.
        """
        row, due_on = self._case(e), e.due_on.isoformat()
        effective_on = row["effective_on"]
        referral = self.referrals.get(e.referral_id.hex)
        if referral is not None:
            latest = max(referral["extended_on"] or effective_on, effective_on)
            referral.set(due_on=due_on, extended_on=latest)
        self._grow(
            "deadline", e.referral_id.hex, e.originator_version, effective_on, due_on
        )
        self.status_changed(c, e)

    def response_received(self, c: Cursor, e: Case.ResponseReceived) -> None:
        """A response; the earliest (substantive) one answers its referral."""
        row, received_on = self._case(e), e.received_on.isoformat()
        referral = self.referrals.get(e.referral_id.hex)
        institution = (
            (referral["institution_kind"], referral["institution"])
            if referral is not None
            else ("", "")
        )
        self._grow(
            "response", received_on, row["reference"], e.response_id.hex,
            e.referral_id.hex, row["municipality"], e.kind,
            int(is_substantive(e.kind)), *institution,
        )  # fmt: skip
        if referral is not None:
            referral.earliest("first_response_on", received_on)
            if is_substantive(e.kind):
                referral.earliest("first_substantive_response_on", received_on)
        if is_substantive(e.kind):
            still_open = [r for r in _open(row) if r != e.referral_id.hex]
            row.set(open_referrals=json.dumps(still_open))
        self.status_changed(c, e, open_referrals=bool(_open(row)))

    def commitment_verified(self, c: Cursor, e: Case.CommitmentVerified) -> None:
        """One verification of a commitment; a later one may say otherwise."""
        self._grow(
            "verification", e.response_id.hex, e.originator_version, e.status,
            e.verified_on.isoformat(),
        )  # fmt: skip
        self.status_changed(c, e)

    def resolved(self, c: Cursor, e: Case.Resolved) -> None:
        """Every resolution counts, a reopened case's second one too."""
        row = self._case(e)
        self._grow(
            "resolution", row.key, e.originator_version, row["municipality"],
            e.outcome, e.resolved_on.isoformat(),
        )  # fmt: skip
        self.status_changed(c, e, outcome=e.outcome)

    def status_changed(self, c: Cursor, e: Case.Event, **facts: Any) -> None:
        """The case's status after this event, and the event's effective date."""
        row = self._case(e)
        status = status_after(row["status"], type(e).__name__, **facts)
        dated_on = _happened_on(e)
        effective_on = dated_on or row["effective_on"]
        row.set(
            status=status,
            effective_on=effective_on,
            latest_on=max(row["latest_on"], effective_on),
        )
        if dated_on is not None:
            row.set(dated=1)
        self._grow(
            "status", row.key, e.originator_version, dated_on, effective_on, status
        )

    # -- meetings -------------------------------------------------------------

    def meeting_held(self, c: Cursor, e: Meeting.Held) -> None:
        """A meeting, where and when."""
        row = (e.originator_id.hex, e.municipality, e.held_on.isoformat())
        c.execute(self.sql["meeting"], row)

    def attendance_counted(self, c: Cursor, e: Meeting.AttendanceCounted) -> None:
        """The meeting's whole attendance grid, replacing any earlier count."""
        meeting_id = e.originator_id.hex
        c.execute(self.sql["forget_attendance"], (meeting_id,))
        c.executemany(
            self.sql["attendance"],
            [
                (meeting_id, r["gender"], r["community"], r["count"])
                for r in e.attendance
            ],
        )

    # -- helpers --------------------------------------------------------------

    def _case(self, e: Case.Event) -> Row:
        return self.cases[e.originator_id.hex]

    def _grow(self, table: str, *values: object) -> None:
        """A new row (SQL values) for a growing table, written at the end."""
        self._growing[table].append(values)


def _open(row: Row) -> list[str]:
    """The case's referrals still without a substantive answer."""
    open_referrals: list[str] = json.loads(row["open_referrals"])
    return open_referrals


def _happened_on(e: Case.Event) -> str | None:
    attribute = HAPPENED_ON.get(type(e))
    return getattr(e, attribute).isoformat() if attribute else None
