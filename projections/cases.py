"""The case list: every case's current status, milestones and deadlines.

One row per case, kept by the events. Status comes from
`domain.case_status.status_after`, the function the `Case` aggregate itself
uses. Overdue is judged when asked: a case is overdue on a day when one of its
referrals without a substantive answer was due before it.

The rows are kept in memory between batches (`projections.rows`): an event
changes its case's row there, and each changed row is written once per
transaction.
A case's open referrals (sent, due and very overdue dates) are part of its
row, as JSON, so no event needs more than its own case's row.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Any, ClassVar

from domain.case import Case
from domain.case_status import status_after
from domain.deadlines import very_overdue_on
from domain.reference import is_substantive
from projections.datastore import Cursor, ViewsDatabase
from projections.rows import Row, Rows
from projections.view import Handler, Positioned, View


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
                open_referral_dates TEXT NOT NULL DEFAULT '{{}}',
                next_due_on TEXT,
                very_overdue_on TEXT,
                published INTEGER NOT NULL DEFAULT 0,
                last_activity_at TEXT NOT NULL,
                version INTEGER NOT NULL
            )""",
        # Each community that raised a case, with the case's place in the
        # list, so a list by community is read in order from this table alone.
        "case_communities": """
            CREATE TABLE IF NOT EXISTS case_communities{s} (
                community TEXT NOT NULL,
                raised_on TEXT NOT NULL,
                reference TEXT NOT NULL,
                case_id TEXT NOT NULL,
                PRIMARY KEY (community, raised_on, reference)
            ) WITHOUT ROWID""",
    }
    indexes: ClassVar[dict[str, str]] = {
        "cases_by_place": "CREATE INDEX IF NOT EXISTS cases_by_place{s} "
        "ON cases{s} (municipality, status, raised_on)",
        "cases_by_status": "CREATE INDEX IF NOT EXISTS cases_by_status{s} "
        "ON cases{s} (status, raised_on)",
        "cases_by_category": "CREATE INDEX IF NOT EXISTS cases_by_category{s} "
        "ON cases{s} (category, raised_on, reference)",
        "cases_by_due": "CREATE INDEX IF NOT EXISTS cases_by_due{s} "
        "ON cases{s} (next_due_on)",
        "cases_by_raised": "CREATE INDEX IF NOT EXISTS cases_by_raised{s} "
        "ON cases{s} (raised_on, reference)",
        "cases_by_activity": "CREATE INDEX IF NOT EXISTS cases_by_activity{s} "
        "ON cases{s} (last_activity_at)",
    }
    statements: ClassVar[dict[str, str]] = {
        "community": "INSERT INTO case_communities{s} VALUES (?, ?, ?, ?)",
        "unlist": "DELETE FROM case_communities{s} "
        "WHERE community = ? AND raised_on = ? AND reference = ?",
    }
    columns: ClassVar[tuple[str, ...]] = (
        "case_id", "reference", "municipality", "year", "category", "communities",
        "jointly_raised", "title", "language", "status", "priority", "raised_on",
        "accepted_at", "first_action_on", "first_referral_on", "first_response_on",
        "first_substantive_response_on", "resolved_on", "reopened_on",
        "open_referrals", "open_referral_dates", "next_due_on", "very_overdue_on",
        "published", "last_activity_at", "version",
    )  # fmt: skip

    def __init__(self, database: ViewsDatabase, *, suffix: str = "") -> None:
        super().__init__(database, suffix=suffix)
        self.cases = Rows(f"cases{suffix}", "case_id", self.columns)
        # Cases whose communities were given in this batch (submitted or
        # amended), and the listings an amendment took out of the table.
        self._listed: dict[str, Row] = {}
        self._unlisted: list[tuple[str, str, str]] = []

    def rows(self) -> list[Rows]:
        """The case rows, kept in memory between batches."""
        return [self.cases]

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
            Case.PersonalDataErased: self.touch,
        }

    def prepare(self, c: Cursor, events: Sequence[Positioned]) -> None:
        """Read the rows of the cases these events are about, in one query."""
        self.cases.load(
            c,
            (
                e.originator_id.hex
                for _, e in events
                if not isinstance(e, Case.Submitted)
            ),
        )

    def finish(self, c: Cursor) -> None:
        """Write the changed rows, and the communities given in this batch."""
        super().finish(c)
        c.executemany(self.sql["unlist"], self._unlisted)
        c.executemany(
            self.sql["community"],
            [
                (community, row["raised_on"], row["reference"], case_id)
                for case_id, row in self._listed.items()
                for community in row["communities"].split()
            ],
        )
        self._listed, self._unlisted = {}, []

    def forget(self) -> None:
        """A failed batch lists no communities either."""
        super().forget()
        self._listed, self._unlisted = {}, []

    # -- what each event changes ---------------------------------------------

    def submitted(self, c: Cursor, e: Case.Submitted) -> None:
        """A new row, and the communities that raised it."""
        communities = sorted(set(e.communities))
        row = self.cases.add(
            case_id=e.originator_id.hex, reference=e.reference,
            municipality=e.municipality, year=e.raised_on.year, category=e.category,
            communities=" ".join(communities),
            jointly_raised=int(len(communities) >= 2), title=e.title,
            language=e.language, status=status_after(None, "Submitted"),
            raised_on=e.raised_on.isoformat(), open_referrals=0,
            open_referral_dates="{}", published=0,
            last_activity_at=e.timestamp.isoformat(), version=e.originator_version,
        )  # fmt: skip
        self._listed[row["case_id"]] = row

    def amended(self, c: Cursor, e: Case.Amended) -> None:
        """Corrected fields, as the case now has them."""
        row, changes = self._row(e), e.changes
        if ("raised_on" in changes or "communities" in changes) and not row.new:
            # By its primary key: while rebuilding there is no other index.
            self._unlisted += [
                (community, row["raised_on"], row["reference"])
                for community in row["communities"].split()
            ]
        row.set(
            **{key: changes[key] for key in ("title", "category") if key in changes}
        )
        if "raised_on" in changes:
            raised_on: date = changes["raised_on"]
            row.set(raised_on=raised_on.isoformat(), year=raised_on.year)
        if "communities" in changes:
            communities = sorted(set(changes["communities"]))
            row.set(
                communities=" ".join(communities),
                jointly_raised=int(len(communities) >= 2),
            )
        if "raised_on" in changes or "communities" in changes:
            self._listed[row["case_id"]] = row
        _touch(row, e)

    def accepted(self, c: Cursor, e: Case.Accepted) -> None:
        """Taken up, with its priority."""
        row = self._row(e)
        _step(row, e)
        row.set(priority=e.priority, accepted_at=e.timestamp.isoformat())

    def action_taken(self, c: Cursor, e: Case.AdvocacyActionTaken) -> None:
        """Advocacy started; the first action's date."""
        row = self._row(e)
        _step(row, e)
        row.earliest("first_action_on", e.taken_on.isoformat())

    def referred(self, c: Cursor, e: Case.Referred) -> None:
        """An open referral with its due date."""
        row = self._row(e)
        dates = json.loads(row["open_referral_dates"])
        dates[e.referral_id.hex] = _due(e.sent_on, e.due_on)
        _open_referrals(row, dates)
        _step(row, e)
        row.earliest("first_referral_on", e.sent_on.isoformat())

    def deadline_extended(self, c: Cursor, e: Case.DeadlineExtended) -> None:
        """A later due date; very overdue moves with it."""
        row = self._row(e)
        dates = json.loads(row["open_referral_dates"])
        referral = dates.get(e.referral_id.hex)
        if referral is not None:
            dates[e.referral_id.hex] = _due(date.fromisoformat(referral[0]), e.due_on)
            _open_referrals(row, dates)
        _step(row, e)

    def response_received(self, c: Cursor, e: Case.ResponseReceived) -> None:
        """A substantive answer closes its referral."""
        row = self._row(e)
        received_on = e.received_on.isoformat()
        row.earliest("first_response_on", received_on)
        if is_substantive(e.kind):
            dates = json.loads(row["open_referral_dates"])
            dates.pop(e.referral_id.hex, None)
            _open_referrals(row, dates)
            row.earliest("first_substantive_response_on", received_on)
        _step(row, e, open_referrals=bool(row["open_referrals"]))

    def resolved(self, c: Cursor, e: Case.Resolved) -> None:
        """Closed with an outcome."""
        row = self._row(e)
        _step(row, e, outcome=e.outcome)
        row.set(resolved_on=e.resolved_on.isoformat())

    def reopened(self, c: Cursor, e: Case.Reopened) -> None:
        """Open again: no longer resolved."""
        row = self._row(e)
        _step(row, e)
        row.set(resolved_on=None, reopened_on=e.reopened_on.isoformat())

    def published(self, c: Cursor, e: Case.Event) -> None:
        """On or off the public portal."""
        row = self._row(e)
        row.set(published=int(isinstance(e, Case.Published)))
        _touch(row, e)

    def set_status(self, c: Cursor, e: Case.Event) -> None:
        """The status after this event, as the case itself would hold it."""
        _step(self._row(e), e)

    def touch(self, c: Cursor, e: Case.Event) -> None:
        """An event that changes nothing listed but the activity and version."""
        _touch(self._row(e), e)

    def _row(self, e: Case.Event) -> Row:
        return self.cases[e.originator_id.hex]


def _step(row: Row, e: Case.Event, **facts: Any) -> None:
    """The status after this event, as the case itself would hold it; activity."""
    row.set(
        status=status_after(row["status"], type(e).__name__, **facts),
        last_activity_at=e.timestamp.isoformat(),
        version=e.originator_version,
    )


def _touch(row: Row, e: Case.Event) -> None:
    """Any event is activity, and a new version."""
    row.set(last_activity_at=e.timestamp.isoformat(), version=e.originator_version)


def _open_referrals(row: Row, dates: dict[str, list[str]]) -> None:
    """The referrals still open, and the earliest of their deadlines."""
    row.set(
        open_referral_dates=json.dumps(dates),
        open_referrals=len(dates),
        next_due_on=min((due for _, due, _ in dates.values()), default=None),
        very_overdue_on=min((very for _, _, very in dates.values()), default=None),
    )


def _due(sent_on: date, due_on: date) -> list[str]:
    """A referral's sent, due and very overdue dates (ISO), as its row keeps them."""
    return [
        sent_on.isoformat(),
        due_on.isoformat(),
        very_overdue_on(sent_on, due_on).isoformat(),
    ]
