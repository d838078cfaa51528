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
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from eventsourcing.sqlite import SQLiteCursor

from domain.case import Case
from domain.case_status import status_after
from domain.meeting import Meeting
from domain.reference import is_substantive
from projections.view import Handler, View

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


def _table(name: str, columns: str) -> str:
    return f"CREATE TABLE IF NOT EXISTS {name}{{s}} ({columns})"


class FiguresView(View):
    """Cases, actions, referrals, responses, outcomes and meetings, by date."""

    name = "figures"
    tables: ClassVar[dict[str, str]] = {
        "figure_cases": _table(
            "figure_cases",
            "case_id TEXT PRIMARY KEY, municipality TEXT NOT NULL, "
            "category TEXT NOT NULL, communities INTEGER NOT NULL, "
            "raised_on TEXT NOT NULL",
        ),
        "figure_status_changes": _table(
            "figure_status_changes",
            "case_id TEXT NOT NULL, seq INTEGER NOT NULL, dated_on TEXT, "
            "effective_on TEXT NOT NULL, status TEXT NOT NULL, "
            "PRIMARY KEY (case_id, seq)",
        ),
        "figure_actions": _table(
            "figure_actions",
            "action_id TEXT PRIMARY KEY, case_id TEXT NOT NULL, "
            "municipality TEXT NOT NULL, kind TEXT NOT NULL, taken_on TEXT NOT NULL",
        ),
        "figure_referrals": _table(
            "figure_referrals",
            "referral_id TEXT PRIMARY KEY, case_id TEXT NOT NULL, "
            "municipality TEXT NOT NULL, sent_on TEXT NOT NULL, "
            "due_on TEXT NOT NULL, first_response_on TEXT, "
            "first_substantive_response_on TEXT",
        ),
        "figure_responses": _table(
            "figure_responses",
            "response_id TEXT PRIMARY KEY, referral_id TEXT NOT NULL, "
            "municipality TEXT NOT NULL, kind TEXT NOT NULL, "
            "received_on TEXT NOT NULL",
        ),
        "figure_verifications": _table(
            "figure_verifications",
            "response_id TEXT NOT NULL, seq INTEGER NOT NULL, "
            "status TEXT NOT NULL, verified_on TEXT NOT NULL, "
            "PRIMARY KEY (response_id, seq)",
        ),
        "figure_resolutions": _table(
            "figure_resolutions",
            "case_id TEXT NOT NULL, seq INTEGER NOT NULL, "
            "municipality TEXT NOT NULL, outcome TEXT NOT NULL, "
            "resolved_on TEXT NOT NULL, PRIMARY KEY (case_id, seq)",
        ),
        "figure_meetings": _table(
            "figure_meetings",
            "meeting_id TEXT PRIMARY KEY, municipality TEXT NOT NULL, "
            "held_on TEXT NOT NULL",
        ),
        "figure_attendance": _table(
            "figure_attendance",
            "meeting_id TEXT NOT NULL, gender TEXT NOT NULL, "
            "community TEXT NOT NULL, count INTEGER NOT NULL, "
            "PRIMARY KEY (meeting_id, gender, community)",
        ),
    }
    indexes: ClassVar[dict[str, str]] = {
        "figure_cases_by_raised": "CREATE INDEX IF NOT EXISTS "
        "figure_cases_by_raised{s} ON figure_cases{s} (raised_on)",
        "figure_referrals_by_case": "CREATE INDEX IF NOT EXISTS "
        "figure_referrals_by_case{s} ON figure_referrals{s} (case_id)",
    }
    statements: ClassVar[dict[str, str]] = {
        "case": "INSERT OR REPLACE INTO figure_cases{s} VALUES (?, ?, ?, ?, ?)",
        "municipality": "SELECT municipality FROM figure_cases{s} WHERE case_id = ?",
        "last_status": "SELECT status, effective_on FROM figure_status_changes{s} "
        "WHERE case_id = ? ORDER BY seq DESC LIMIT 1",
        "status": "INSERT OR REPLACE INTO figure_status_changes{s} "
        "VALUES (?, ?, ?, ?, ?)",
        # The submission and the undated events after it, before any dated one.
        "raised_on_moved": "UPDATE figure_status_changes{s} SET effective_on = ? "
        "WHERE case_id = ? AND seq < IFNULL((SELECT MIN(seq) "
        "FROM figure_status_changes{s} WHERE case_id = ? AND dated_on IS NOT NULL), "
        "seq + 1)",
        "action": "INSERT OR REPLACE INTO figure_actions{s} VALUES (?, ?, ?, ?, ?)",
        "referral": "INSERT OR REPLACE INTO figure_referrals{s} "
        "VALUES (?, ?, ?, ?, ?, NULL, NULL)",
        "extended": "UPDATE figure_referrals{s} SET due_on = ? WHERE referral_id = ?",
        "response": "INSERT OR REPLACE INTO figure_responses{s} VALUES (?, ?, ?, ?, ?)",
        "first_response": "UPDATE figure_referrals{s} SET "
        "first_response_on = MIN(IFNULL(first_response_on, ?1), ?1) "
        "WHERE referral_id = ?2",
        "first_substantive": "UPDATE figure_referrals{s} SET "
        "first_substantive_response_on = "
        "MIN(IFNULL(first_substantive_response_on, ?1), ?1) WHERE referral_id = ?2",
        "open_referrals": "SELECT EXISTS (SELECT 1 FROM figure_referrals{s} "
        "WHERE case_id = ? AND first_substantive_response_on IS NULL)",
        "verification": "INSERT OR REPLACE INTO figure_verifications{s} "
        "VALUES (?, ?, ?, ?)",
        "resolution": "INSERT OR REPLACE INTO figure_resolutions{s} "
        "VALUES (?, ?, ?, ?, ?)",
        "meeting": "INSERT OR REPLACE INTO figure_meetings{s} VALUES (?, ?, ?)",
        "forget_attendance": "DELETE FROM figure_attendance{s} WHERE meeting_id = ?",
        "attendance": "INSERT INTO figure_attendance{s} VALUES (?, ?, ?, ?)",
    }

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

    # -- cases ----------------------------------------------------------------

    def submitted(self, c: SQLiteCursor, e: Case.Submitted) -> None:
        """A case, where and when it was raised, by how many communities."""
        c.execute(
            self.sql["case"],
            (
                e.originator_id.hex,
                e.municipality,
                e.category,
                len(set(e.communities)),
                e.raised_on.isoformat(),
            ),
        )
        self.status_changed(c, e)

    def amended(self, c: SQLiteCursor, e: Case.Amended) -> None:
        """Corrected category, communities or raised-on date."""
        case_id, changes = e.originator_id.hex, e.changes
        columns: dict[str, object] = {}
        if "category" in changes:
            columns["category"] = changes["category"]
        if "communities" in changes:
            columns["communities"] = len(set(changes["communities"]))
        if "raised_on" in changes:
            raised_on = changes["raised_on"].isoformat()
            columns["raised_on"] = raised_on
            c.execute(self.sql["raised_on_moved"], (raised_on, case_id, case_id))
        if columns:
            assignments = ", ".join(f"{column} = ?" for column in columns)
            c.execute(
                f"UPDATE figure_cases{self.suffix} SET {assignments} WHERE case_id = ?",
                (*columns.values(), case_id),
            )
        self.status_changed(c, e)

    def action_taken(self, c: SQLiteCursor, e: Case.AdvocacyActionTaken) -> None:
        """An advocacy action of a kind, on a day."""
        place = self._municipality(c, e)
        row = (e.action_id.hex, e.originator_id.hex, place, e.kind, e.taken_on)
        c.execute(self.sql["action"], _iso(row))
        self.status_changed(c, e)

    def referred(self, c: SQLiteCursor, e: Case.Referred) -> None:
        """A referral sent, with its due date."""
        place = self._municipality(c, e)
        row = (e.referral_id.hex, e.originator_id.hex, place, e.sent_on, e.due_on)
        c.execute(self.sql["referral"], _iso(row))
        self.status_changed(c, e)

    def deadline_extended(self, c: SQLiteCursor, e: Case.DeadlineExtended) -> None:
        """A referral's later due date."""
        c.execute(self.sql["extended"], (e.due_on.isoformat(), e.referral_id.hex))
        self.status_changed(c, e)

    def response_received(self, c: SQLiteCursor, e: Case.ResponseReceived) -> None:
        """A response; the earliest (substantive) one answers its referral."""
        place = self._municipality(c, e)
        row = (e.response_id.hex, e.referral_id.hex, place, e.kind, e.received_on)
        c.execute(self.sql["response"], _iso(row))
        day = (e.received_on.isoformat(), e.referral_id.hex)
        c.execute(self.sql["first_response"], day)
        if is_substantive(e.kind):
            c.execute(self.sql["first_substantive"], day)
        c.execute(self.sql["open_referrals"], (e.originator_id.hex,))
        self.status_changed(c, e, open_referrals=bool(c.fetchone()[0]))

    def commitment_verified(self, c: SQLiteCursor, e: Case.CommitmentVerified) -> None:
        """One verification of a commitment; a later one may say otherwise."""
        row = (e.response_id.hex, e.originator_version, e.status, e.verified_on)
        c.execute(self.sql["verification"], _iso(row))
        self.status_changed(c, e)

    def resolved(self, c: SQLiteCursor, e: Case.Resolved) -> None:
        """Every resolution counts, a reopened case's second one too."""
        case_id, place = e.originator_id.hex, self._municipality(c, e)
        row = (case_id, e.originator_version, place, e.outcome, e.resolved_on)
        c.execute(self.sql["resolution"], _iso(row))
        self.status_changed(c, e, outcome=e.outcome)

    def status_changed(self, c: SQLiteCursor, e: Case.Event, **facts: Any) -> None:
        """The case's status after this event, and the event's effective date."""
        case_id = e.originator_id.hex
        c.execute(self.sql["last_status"], (case_id,))
        last = c.fetchone()
        previous, effective_on = (last[0], last[1]) if last else (None, None)
        dated_on = _happened_on(e)
        if isinstance(e, Case.Submitted):
            effective_on = e.raised_on.isoformat()
        status = status_after(previous, type(e).__name__, **facts)
        row = (case_id, e.originator_version, dated_on, dated_on or effective_on)
        c.execute(self.sql["status"], (*row, status))

    # -- meetings -------------------------------------------------------------

    def meeting_held(self, c: SQLiteCursor, e: Meeting.Held) -> None:
        """A meeting, where and when."""
        row = (e.originator_id.hex, e.municipality, e.held_on.isoformat())
        c.execute(self.sql["meeting"], row)

    def attendance_counted(self, c: SQLiteCursor, e: Meeting.AttendanceCounted) -> None:
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

    def _municipality(self, c: SQLiteCursor, e: Case.Event) -> str:
        c.execute(self.sql["municipality"], (e.originator_id.hex,))
        return str(c.fetchone()[0])


def _happened_on(e: Case.Event) -> str | None:
    attribute = HAPPENED_ON.get(type(e))
    return getattr(e, attribute).isoformat() if attribute else None


def _iso(row: tuple[object, ...]) -> tuple[object, ...]:
    return tuple(v.isoformat() if isinstance(v, date) else v for v in row)
