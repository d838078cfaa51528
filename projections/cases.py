"""The case list: every case's current status, milestones and deadlines.

One row per case, kept by the events. Status comes from
`domain.case_status.status_after`, the function the `Case` aggregate itself
uses. Overdue is judged when asked: a case is overdue on a day when one of its
referrals without a substantive answer was due before it.
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from eventsourcing.sqlite import SQLiteCursor

from domain.case import Case
from domain.case_status import status_after
from domain.deadlines import very_overdue_on
from domain.reference import is_substantive
from projections.view import Handler, View


class CasesView(View):
    """One row per case, with what lists and dashboards filter on."""

    name = "cases"
    tables: ClassVar[dict[str, str]] = {
        "cases": """
            CREATE TABLE IF NOT EXISTS cases{s} (
                case_id TEXT PRIMARY KEY,
                reference TEXT NOT NULL,
                municipality TEXT NOT NULL,
                year INTEGER NOT NULL,
                category TEXT NOT NULL,
                communities TEXT NOT NULL,
                jointly_raised INTEGER NOT NULL,
                title TEXT NOT NULL,
                language TEXT NOT NULL,
                status TEXT NOT NULL,
                priority TEXT,
                raised_on TEXT NOT NULL,
                accepted_at TEXT,
                first_action_on TEXT,
                first_referral_on TEXT,
                first_response_on TEXT,
                first_substantive_response_on TEXT,
                resolved_on TEXT,
                reopened_on TEXT,
                open_referrals INTEGER NOT NULL DEFAULT 0,
                next_due_on TEXT,
                very_overdue_on TEXT,
                published INTEGER NOT NULL DEFAULT 0,
                last_activity_at TEXT NOT NULL,
                version INTEGER NOT NULL
            )""",
        "case_communities": """
            CREATE TABLE IF NOT EXISTS case_communities{s} (
                community TEXT NOT NULL,
                case_id TEXT NOT NULL,
                PRIMARY KEY (community, case_id)
            ) WITHOUT ROWID""",
        "case_open_referrals": """
            CREATE TABLE IF NOT EXISTS case_open_referrals{s} (
                referral_id TEXT PRIMARY KEY,
                case_id TEXT NOT NULL,
                sent_on TEXT NOT NULL,
                due_on TEXT NOT NULL,
                very_overdue_on TEXT NOT NULL
            )""",
    }
    indexes: ClassVar[dict[str, str]] = {
        "cases_by_place": "CREATE INDEX IF NOT EXISTS cases_by_place{s} "
        "ON cases{s} (municipality, status, raised_on)",
        "cases_by_status": "CREATE INDEX IF NOT EXISTS cases_by_status{s} "
        "ON cases{s} (status, raised_on)",
        "cases_by_category": "CREATE INDEX IF NOT EXISTS cases_by_category{s} "
        "ON cases{s} (category, raised_on)",
        "cases_by_year": "CREATE INDEX IF NOT EXISTS cases_by_year{s} "
        "ON cases{s} (year, municipality)",
        "cases_by_due": "CREATE INDEX IF NOT EXISTS cases_by_due{s} "
        "ON cases{s} (next_due_on)",
        "cases_by_raised": "CREATE INDEX IF NOT EXISTS cases_by_raised{s} "
        "ON cases{s} (raised_on, reference)",
        "open_referrals_by_case": "CREATE INDEX IF NOT EXISTS "
        "open_referrals_by_case{s} ON case_open_referrals{s} (case_id)",
    }
    statements: ClassVar[dict[str, str]] = {
        "insert": "INSERT INTO cases{s} (case_id, reference, municipality, year, "
        "category, communities, jointly_raised, title, language, status, "
        "raised_on, last_activity_at, version) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
        "community": "INSERT OR IGNORE INTO case_communities{s} VALUES (?, ?)",
        "forget_communities": "DELETE FROM case_communities{s} WHERE case_id = ?",
        "status": "SELECT status FROM cases{s} WHERE case_id = ?",
        "open_referrals": "SELECT open_referrals FROM cases{s} WHERE case_id = ?",
        "touch": "UPDATE cases{s} SET last_activity_at = ?, version = ? "
        "WHERE case_id = ?",
        "open_referral": "INSERT OR REPLACE INTO case_open_referrals{s} "
        "VALUES (?, ?, ?, ?, ?)",
        "close_referral": "DELETE FROM case_open_referrals{s} WHERE referral_id = ?",
        "extend_referral": "UPDATE case_open_referrals{s} "
        "SET due_on = ?, very_overdue_on = ? WHERE referral_id = ?",
        "sent_on": "SELECT sent_on FROM case_open_referrals{s} WHERE referral_id = ?",
        "deadlines": "UPDATE cases{s} SET "
        "(open_referrals, next_due_on, very_overdue_on) = "
        "(SELECT COUNT(*), MIN(due_on), MIN(very_overdue_on) "
        "FROM case_open_referrals{s} WHERE case_id = ?) WHERE case_id = ?",
    }

    def handlers(self) -> dict[type[Any], Handler]:
        """What each case event changes in the list."""
        return {
            Case.Submitted: self.submitted,
            Case.Amended: self.amended,
            Case.Accepted: self.accepted,
            Case.Declined: self.set_status,
            Case.MarkedDuplicate: self.set_status,
            Case.AdvocacyActionTaken: self.action_taken,
            Case.Referred: self.referred,
            Case.DeadlineExtended: self.deadline_extended,
            Case.FollowedUp: self.set_status,
            Case.ResponseReceived: self.response_received,
            Case.Resolved: self.resolved,
            Case.Reopened: self.reopened,
            Case.Published: self.published,
            Case.Unpublished: self.published,
            Case.CommitmentVerified: self.touch,
            Case.NoteAdded: self.touch,
            Case.DocumentAttached: self.touch,
            Case.Translated: self.touch,
        }

    # -- what each event writes ----------------------------------------------

    def submitted(self, c: SQLiteCursor, e: Case.Submitted) -> None:
        """A new row, and the communities that raised it."""
        communities = sorted(set(e.communities))
        c.execute(
            self.sql["insert"],
            (
                e.originator_id.hex, e.reference, e.municipality, e.raised_on.year,
                e.category, " ".join(communities), int(len(communities) >= 2),
                e.title, e.language, status_after(None, "Submitted"),
                e.raised_on.isoformat(), e.timestamp.isoformat(),
                e.originator_version,
            ),
        )  # fmt: skip
        self._communities(c, e.originator_id.hex, communities)

    def amended(self, c: SQLiteCursor, e: Case.Amended) -> None:
        """Corrected fields, as the case now has them."""
        case_id, changes = e.originator_id.hex, e.changes
        columns: dict[str, object] = {
            key: changes[key] for key in ("title", "category") if key in changes
        }
        if "raised_on" in changes:
            raised_on: date = changes["raised_on"]
            columns |= {"raised_on": raised_on.isoformat(), "year": raised_on.year}
        if "communities" in changes:
            communities = sorted(set(changes["communities"]))
            columns |= {
                "communities": " ".join(communities),
                "jointly_raised": int(len(communities) >= 2),
            }
            c.execute(self.sql["forget_communities"], (case_id,))
            self._communities(c, case_id, communities)
        self._update(c, case_id, columns)
        self.touch(c, e)

    def accepted(self, c: SQLiteCursor, e: Case.Accepted) -> None:
        """Taken up, with its priority."""
        self.set_status(c, e)
        self._update(
            c,
            e.originator_id.hex,
            {"priority": e.priority, "accepted_at": e.timestamp.isoformat()},
        )

    def action_taken(self, c: SQLiteCursor, e: Case.AdvocacyActionTaken) -> None:
        """Advocacy started; the first action's date."""
        self.set_status(c, e)
        self._first(c, e.originator_id.hex, "first_action_on", e.taken_on)

    def referred(self, c: SQLiteCursor, e: Case.Referred) -> None:
        """An open referral with its due date."""
        c.execute(
            self.sql["open_referral"],
            (
                e.referral_id.hex,
                e.originator_id.hex,
                e.sent_on.isoformat(),
                e.due_on.isoformat(),
                very_overdue_on(e.sent_on, e.due_on).isoformat(),
            ),
        )
        self.set_status(c, e)
        self._first(c, e.originator_id.hex, "first_referral_on", e.sent_on)
        self._deadlines(c, e.originator_id.hex)

    def deadline_extended(self, c: SQLiteCursor, e: Case.DeadlineExtended) -> None:
        """A later due date; very overdue moves with it."""
        c.execute(self.sql["sent_on"], (e.referral_id.hex,))
        found = c.fetchone()
        if found is not None:
            sent_on = date.fromisoformat(found[0])
            c.execute(
                self.sql["extend_referral"],
                (
                    e.due_on.isoformat(),
                    very_overdue_on(sent_on, e.due_on).isoformat(),
                    e.referral_id.hex,
                ),
            )
        self.set_status(c, e)
        self._deadlines(c, e.originator_id.hex)

    def response_received(self, c: SQLiteCursor, e: Case.ResponseReceived) -> None:
        """A substantive answer closes its referral."""
        case_id = e.originator_id.hex
        self._first(c, case_id, "first_response_on", e.received_on)
        if is_substantive(e.kind):
            c.execute(self.sql["close_referral"], (e.referral_id.hex,))
            self._first(c, case_id, "first_substantive_response_on", e.received_on)
        self._deadlines(c, case_id)
        c.execute(self.sql["open_referrals"], (case_id,))
        still_open = bool(c.fetchone()[0])
        self.set_status(c, e, open_referrals=still_open)

    def resolved(self, c: SQLiteCursor, e: Case.Resolved) -> None:
        """Closed with an outcome."""
        self.set_status(c, e, outcome=e.outcome)
        self._update(c, e.originator_id.hex, {"resolved_on": e.resolved_on.isoformat()})

    def reopened(self, c: SQLiteCursor, e: Case.Reopened) -> None:
        """Open again: no longer resolved."""
        self.set_status(c, e)
        self._update(
            c,
            e.originator_id.hex,
            {"resolved_on": None, "reopened_on": e.reopened_on.isoformat()},
        )

    def published(self, c: SQLiteCursor, e: Case.Event) -> None:
        """On or off the public portal."""
        self._update(
            c, e.originator_id.hex, {"published": int(isinstance(e, Case.Published))}
        )
        self.touch(c, e)

    def set_status(self, c: SQLiteCursor, e: Case.Event, **facts: Any) -> None:
        """The status after this event, as the case itself would hold it."""
        case_id = e.originator_id.hex
        c.execute(self.sql["status"], (case_id,))
        status = status_after(c.fetchone()[0], type(e).__name__, **facts)
        self._update(c, case_id, {"status": status})
        self.touch(c, e)

    def touch(self, c: SQLiteCursor, e: Case.Event) -> None:
        """Any event is activity, and a new version."""
        c.execute(
            self.sql["touch"],
            (e.timestamp.isoformat(), e.originator_version, e.originator_id.hex),
        )

    # -- helpers -------------------------------------------------------------

    def _communities(self, c: SQLiteCursor, case_id: str, codes: list[str]) -> None:
        c.executemany(self.sql["community"], [(code, case_id) for code in codes])

    def _update(
        self, c: SQLiteCursor, case_id: str, columns: dict[str, object]
    ) -> None:
        if columns:
            assignments = ", ".join(f"{column} = ?" for column in columns)
            c.execute(
                f"UPDATE cases{self.suffix} SET {assignments} WHERE case_id = ?",
                (*columns.values(), case_id),
            )

    def _first(self, c: SQLiteCursor, case_id: str, column: str, day: date) -> None:
        c.execute(
            f"UPDATE cases{self.suffix} SET {column} = ? WHERE case_id = ? "
            f"AND ({column} IS NULL OR {column} > ?)",
            (day.isoformat(), case_id, day.isoformat()),
        )

    def _deadlines(self, c: SQLiteCursor, case_id: str) -> None:
        c.execute(self.sql["deadlines"], (case_id, case_id))
