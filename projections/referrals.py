"""Referrals and responses: whom each case was sent to, and what came back.

One row per referral and one per response, kept by the case events. Where a
referral stands on a day (pending, answered, overdue) is judged when asked,
in SQL that says the domain's `deadline_state` once more (a test holds the
two to the same answers), so that filters, counts and rows agree. A
referral's first response is its earliest-dated one, as in the case list. A
referral takes its case's reference and municipality from `referral_cases`,
filled on submission; an amendment cannot change either, so it is not read.
"""

from __future__ import annotations

from typing import Any, ClassVar

from domain.case import Case
from domain.reference import is_substantive
from projections.datastore import Cursor
from projections.view import Handler, View


class ReferralsView(View):
    """One row per referral and per response, with the dates waited on."""

    name = "referrals"
    tables: ClassVar[dict[str, str]] = {
        "referral_cases": """
            CREATE TABLE IF NOT EXISTS referral_cases{s} (
                case_id TEXT PRIMARY KEY,
                reference TEXT NOT NULL,
                municipality TEXT NOT NULL
            )""",
        "referrals": """
            CREATE TABLE IF NOT EXISTS referrals{s} (
                referral_id TEXT PRIMARY KEY,
                case_id TEXT NOT NULL,
                reference TEXT NOT NULL,
                municipality TEXT NOT NULL,
                institution_kind TEXT NOT NULL,
                institution_name TEXT NOT NULL,
                request_kind TEXT NOT NULL,
                sent_on TEXT NOT NULL,
                due_on TEXT NOT NULL,
                original_due_on TEXT NOT NULL,
                extensions INTEGER NOT NULL DEFAULT 0,
                follow_ups INTEGER NOT NULL DEFAULT 0,
                first_response_on TEXT,
                first_substantive_response_on TEXT
            )""",
        "responses": """
            CREATE TABLE IF NOT EXISTS responses{s} (
                response_id TEXT PRIMARY KEY,
                referral_id TEXT NOT NULL,
                case_id TEXT NOT NULL,
                municipality TEXT NOT NULL,
                received_on TEXT NOT NULL,
                kind TEXT NOT NULL,
                substantive INTEGER NOT NULL,
                commitment_status TEXT,
                verified_on TEXT,
                -- The case's version when the response was recorded.
                case_version INTEGER NOT NULL
            )""",
    }
    indexes: ClassVar[dict[str, str]] = {
        "referrals_by_sent": "CREATE INDEX IF NOT EXISTS referrals_by_sent{s} "
        "ON referrals{s} (sent_on, reference)",
        "referrals_by_municipality": "CREATE INDEX IF NOT EXISTS "
        "referrals_by_municipality{s} ON referrals{s} (municipality, sent_on)",
        "referrals_by_case": "CREATE INDEX IF NOT EXISTS referrals_by_case{s} "
        "ON referrals{s} (case_id)",
        "responses_by_referral": "CREATE INDEX IF NOT EXISTS "
        "responses_by_referral{s} ON responses{s} (referral_id, received_on)",
    }
    statements: ClassVar[dict[str, str]] = {
        "case": "INSERT INTO referral_cases{s} VALUES (?, ?, ?)",
        "referral": "INSERT INTO referrals{s} (referral_id, case_id, reference, "
        "municipality, institution_kind, institution_name, request_kind, sent_on, "
        "due_on, original_due_on) "
        "SELECT ?, case_id, reference, municipality, ?, ?, ?, ?, ?, ? "
        "FROM referral_cases{s} WHERE case_id = ?",
        "extended": "UPDATE referrals{s} SET due_on = ?, extensions = extensions + 1 "
        "WHERE referral_id = ?",
        "followed_up": "UPDATE referrals{s} SET follow_ups = follow_ups + 1 "
        "WHERE referral_id = ?",
        "response": "INSERT INTO responses{s} (response_id, referral_id, case_id, "
        "municipality, received_on, kind, substantive, case_version) "
        "SELECT ?, referral_id, case_id, municipality, ?, ?, ?, ? "
        "FROM referrals{s} WHERE referral_id = ?",
        "first_response": "UPDATE referrals{s} SET first_response_on = ? "
        "WHERE referral_id = ? AND "
        "(first_response_on IS NULL OR first_response_on > ?)",
        "first_substantive_response": "UPDATE referrals{s} SET "
        "first_substantive_response_on = ? WHERE referral_id = ? AND "
        "(first_substantive_response_on IS NULL OR first_substantive_response_on > ?)",
        "verified": "UPDATE responses{s} SET commitment_status = ?, verified_on = ? "
        "WHERE response_id = ?",
    }

    def handlers(self) -> dict[type[Any], Handler]:
        """The case events that make, move and answer referrals."""
        return {
            Case.Submitted: self.submitted,
            Case.Referred: self.referred,
            Case.DeadlineExtended: self.deadline_extended,
            Case.FollowedUp: self.followed_up,
            Case.ResponseReceived: self.response_received,
            Case.CommitmentVerified: self.commitment_verified,
        }

    def submitted(self, c: Cursor, e: Case.Submitted) -> None:
        """The case's reference and municipality, for its referrals to carry."""
        c.execute(self.sql["case"], (e.originator_id.hex, e.reference, e.municipality))

    def referred(self, c: Cursor, e: Case.Referred) -> None:
        """A new referral, due on the date its rule gave."""
        c.execute(
            self.sql["referral"],
            (
                e.referral_id.hex, e.institution_kind, e.institution_name,
                e.request_kind, e.sent_on.isoformat(), e.due_on.isoformat(),
                e.due_on.isoformat(), e.originator_id.hex,
            ),
        )  # fmt: skip

    def deadline_extended(self, c: Cursor, e: Case.DeadlineExtended) -> None:
        """A later due date, and one more extension."""
        c.execute(self.sql["extended"], (e.due_on.isoformat(), e.referral_id.hex))

    def followed_up(self, c: Cursor, e: Case.FollowedUp) -> None:
        """The institution chased once more."""
        c.execute(self.sql["followed_up"], (e.referral_id.hex,))

    def response_received(self, c: Cursor, e: Case.ResponseReceived) -> None:
        """A response, and the referral's first (substantive) response dates."""
        substantive = is_substantive(e.kind)
        received_on, referral_id = e.received_on.isoformat(), e.referral_id.hex
        c.execute(
            self.sql["response"],
            (
                e.response_id.hex,
                received_on,
                e.kind,
                int(substantive),
                e.originator_version,
                referral_id,
            ),
        )
        earliest = (received_on, referral_id, received_on)
        c.execute(self.sql["first_response"], earliest)
        if substantive:
            c.execute(self.sql["first_substantive_response"], earliest)

    def commitment_verified(self, c: Cursor, e: Case.CommitmentVerified) -> None:
        """Whether a commitment was kept, and when that was checked."""
        c.execute(
            self.sql["verified"],
            (e.status, e.verified_on.isoformat(), e.response_id.hex),
        )
