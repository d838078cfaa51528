"""Published cases: what a coordinator made public, and nothing else.

One row per case published now, in ``publications``. A row shows the
reference and the raised-on date (they name the case), the list of
published fields, and each publishable field only if that list names it: a
field left out is NULL. Title and description are the redacted ones of the
publication. Unpublishing removes the row. The portal, the Open311
endpoints and open data read only this table, so nothing else can reach them.

To build a row when a case is published, the view keeps, for every case,
what a publication may show, in ``publication_facts``: codes, dates and the
location, never the case's own title, description, submitter or notes.
``updated_at`` is when the public row last changed: a status change counts
when the status is published, a new step when the timeline is.

The queries a public page makes are in `projections.publication_queries`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any, ClassVar

from domain.case import Case
from domain.case_status import status_after
from domain.reference import is_substantive
from projections.datastore import Cursor, ViewsDatabase
from projections.rows import Row, Rows
from projections.view import Handler, Positioned, View

# The events that are steps of a case: where each keeps its date, and its
# kind (of action, response, ...). A step without a date is not shown.
STEPS: dict[type[Case.Event], tuple[str | None, str | None]] = {
    Case.Accepted: ("timestamp", None),
    Case.Declined: ("timestamp", None),
    Case.MarkedDuplicate: ("timestamp", None),
    Case.AdvocacyActionTaken: ("taken_on", "kind"),
    Case.Referred: ("sent_on", "institution_kind"),
    Case.DeadlineExtended: (None, None),
    Case.FollowedUp: ("followed_up_on", "channel"),
    Case.ResponseReceived: ("received_on", "kind"),
    Case.CommitmentVerified: ("verified_on", "status"),
    Case.Resolved: ("resolved_on", "outcome"),
    Case.Reopened: ("reopened_on", None),
}


class PublicationsView(View):
    """One row per published case, holding only what was published."""

    name = "publications"
    tables: ClassVar[dict[str, str]] = {
        "publication_facts": """
            CREATE TABLE IF NOT EXISTS publication_facts{s} (
                case_id TEXT PRIMARY KEY,
                reference TEXT NOT NULL,
                raised_on TEXT NOT NULL,
                category TEXT NOT NULL,
                communities TEXT NOT NULL,
                municipality TEXT NOT NULL,
                location TEXT,
                status TEXT NOT NULL,
                steps TEXT NOT NULL,
                open_referrals TEXT NOT NULL,
                fields TEXT,
                title TEXT,
                description TEXT,
                published_at TEXT,
                updated_at TEXT
            )""",
        "publications": """
            CREATE TABLE IF NOT EXISTS publications{s} (
                case_id TEXT PRIMARY KEY,
                reference TEXT NOT NULL,
                raised_on TEXT NOT NULL,
                fields TEXT NOT NULL,
                title TEXT,
                description TEXT,
                category TEXT,
                communities TEXT,
                municipality TEXT,
                location TEXT,
                status TEXT,
                timeline TEXT,
                responses TEXT,
                published_at TEXT NOT NULL,
                updated_at TEXT NOT NULL
            )""",
    }
    indexes: ClassVar[dict[str, str]] = {
        "publications_by_raised": "CREATE INDEX IF NOT EXISTS "
        "publications_by_raised{s} ON publications{s} (raised_on, reference)",
        "publications_by_reference": "CREATE INDEX IF NOT EXISTS "
        "publications_by_reference{s} ON publications{s} (reference)",
    }
    public_columns: ClassVar[tuple[str, ...]] = (
        "case_id", "reference", "raised_on", "fields", "title", "description",
        "category", "communities", "municipality", "location", "status",
        "timeline", "responses", "published_at", "updated_at",
    )  # fmt: skip
    statements: ClassVar[dict[str, str]] = {
        "withdraw": "DELETE FROM publications{s} WHERE case_id = ?",
        "show": f"INSERT INTO publications{{s}} ({', '.join(public_columns)}) "  # nosec B608
        f"VALUES ({', '.join('?' for _ in public_columns)})",
    }

    def __init__(self, database: ViewsDatabase, *, suffix: str = "") -> None:
        super().__init__(database, suffix=suffix)
        self.facts = Rows(
            f"publication_facts{suffix}",
            "case_id",
            (
                "case_id", "reference", "raised_on", "category", "communities",
                "municipality", "location", "status", "steps", "open_referrals",
                "fields", "title", "description", "published_at", "updated_at",
            ),
        )  # fmt: skip
        # Cases whose public row changed in this transaction.
        self._changed: set[str] = set()

    def rows(self) -> list[Rows]:
        """What is known of each case, kept in memory between batches."""
        return [self.facts]

    def handlers(self) -> dict[type[Any], Handler]:
        """What each case event changes in what may be published."""
        return {
            Case.Submitted: self.submitted,
            Case.Amended: self.amended,
            Case.Published: self.published,
            Case.Unpublished: self.unpublished,
            **dict.fromkeys(STEPS, self.stepped),
        }

    def prepare(self, c: Cursor, events: Sequence[Positioned]) -> None:
        """Read what is known of the cases these events are about, in one query."""
        self.facts.load(
            c,
            (
                e.originator_id.hex
                for _, e in events
                if not isinstance(e, Case.Submitted)
            ),
        )

    def finish(self, c: Cursor) -> None:
        """Write the changed public rows, then what is known of each case."""
        changed = sorted(self._changed)
        c.executemany(self.sql["withdraw"], [(key,) for key in changed])
        shown = [self.facts[key].values for key in changed]
        c.executemany(
            self.sql["show"],
            [_public_row(facts) for facts in shown if facts["fields"] is not None],
        )
        self._changed = set()
        super().finish(c)

    def forget(self) -> None:
        """A failed batch changes no public row either."""
        super().forget()
        self._changed = set()

    # -- what each event changes ---------------------------------------------

    def submitted(self, c: Cursor, e: Case.Submitted) -> None:
        """A new case: not published."""
        self.facts.add(
            case_id=e.originator_id.hex, reference=e.reference,
            raised_on=e.raised_on.isoformat(), category=e.category,
            communities=_communities(e.communities), municipality=e.municipality,
            location=e.location, status=status_after(None, "Submitted"),
            steps="[]", open_referrals="[]",
        )  # fmt: skip

    def amended(self, c: Cursor, e: Case.Amended) -> None:
        """Corrected fields; the case's own title and description are not kept."""
        changes = e.changes
        columns: dict[str, Any] = {
            key: changes[key] for key in ("category", "location") if key in changes
        }
        if "communities" in changes:
            columns["communities"] = _communities(changes["communities"])
        if "raised_on" in changes:
            columns["raised_on"] = changes["raised_on"].isoformat()
        self._change(self._row(e), e, **columns)

    def stepped(self, c: Cursor, e: Case.Event) -> None:
        """A step of the case: on its timeline, and the status after it."""
        row = self._row(e)
        when, what = STEPS[type(e)]
        kind = getattr(e, what) if what else None
        steps = json.loads(row["steps"])
        if when is not None:
            steps.append([_day(getattr(e, when)), type(e).__name__, kind])
        referrals = _open_referrals(json.loads(row["open_referrals"]), e)
        status = status_after(
            row["status"], type(e).__name__,
            open_referrals=bool(referrals),
            outcome=kind,  # read only for a resolution, whose kind is its outcome
        )  # fmt: skip
        self._change(
            row, e, status=status, steps=json.dumps(steps),
            open_referrals=json.dumps(referrals),
        )  # fmt: skip

    def published(self, c: Cursor, e: Case.Published) -> None:
        """Public now, or again with other fields or text."""
        row = self._row(e)
        at = e.timestamp.isoformat()
        row.set(
            fields=" ".join(e.fields), title=e.title, description=e.description,
            published_at=at, updated_at=at,
        )  # fmt: skip
        self._changed.add(row.key)

    def unpublished(self, c: Cursor, e: Case.Unpublished) -> None:
        """No longer public: the row goes."""
        row = self._row(e)
        row.set(
            fields=None, title=None, description=None, published_at=None,
            updated_at=None,
        )  # fmt: skip
        self._changed.add(row.key)

    def _change(self, row: Row, e: Case.Event, **columns: Any) -> None:
        """Change what is known of a case; a public row that shows it follows."""
        if row["fields"] is None:
            row.set(**columns)
            return
        before = _public_row(row.values)
        row.set(**columns)
        if _public_row(row.values) != before:
            row.set(updated_at=e.timestamp.isoformat())
            self._changed.add(row.key)

    def _row(self, e: Case.Event) -> Row:
        return self.facts[e.originator_id.hex]


def _public_row(facts: Mapping[str, Any]) -> tuple[Any, ...]:
    """A published case's row, in `PublicationsView.public_columns` order.

    A publishable field is shown only if the publication names it.
    """
    named = set(facts["fields"].split())
    steps = [[facts["raised_on"], "Submitted", None], *json.loads(facts["steps"])]
    publishable = {
        "title": facts["title"],
        "description": facts["description"],
        "category": facts["category"],
        "communities": facts["communities"],
        "municipality": facts["municipality"],
        "location": facts["location"],
        "status": facts["status"],
        "timeline": json.dumps(steps),
        "responses": json.dumps([s for s in steps if s[1] == "ResponseReceived"]),
    }
    return (
        facts["case_id"], facts["reference"], facts["raised_on"], facts["fields"],
        *(value if field in named else None for field, value in publishable.items()),
        facts["published_at"], facts["updated_at"],
    )  # fmt: skip


def _open_referrals(referrals: list[str], e: Case.Event) -> list[str]:
    """The case's referrals without a substantive answer, after this event."""
    if isinstance(e, Case.Referred):
        return [*referrals, e.referral_id.hex]
    if isinstance(e, Case.ResponseReceived) and is_substantive(e.kind):
        return [r for r in referrals if r != e.referral_id.hex]
    return referrals


def _communities(communities: Sequence[str]) -> str:
    return " ".join(sorted(set(communities)))


def _day(value: date | datetime) -> str:
    """An ISO date; an event's timestamp counts by its date."""
    return (value.date() if isinstance(value, datetime) else value).isoformat()
