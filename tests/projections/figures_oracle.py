"""The accountability figures counted a second way: by replaying every event.

No view and no SQL: each case's and meeting's events are read from the
tracker's log, kept as plain Python histories, and counted with the same
definitions `projections.figure_queries` documents. Shared with the view:
the result's dataclass, and the domain's own rules `status_after` and
`is_substantive` (so statuses are not checked independently here; the
hand-counted figures of `test_figures` check those).
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from domain.case import Case
from domain.case_status import status_after
from domain.meeting import Meeting
from domain.reference import is_substantive
from projections.accountability import GovernmentResponse
from projections.figure_queries import AccountabilityFigures
from tracker.application import CaseTracker

PAGE = 500


@dataclass
class ResponseHistory:
    """A response, and every verification of it in the order recorded."""

    kind: str
    received_on: date
    verifications: list[tuple[str, date]] = field(default_factory=list)
    referral: ReferralHistory | None = None

    def fulfilled_by(self, end: date) -> bool:
        """Whether its latest-recorded verification dated by `end` says fulfilled."""
        known = [status for status, on in self.verifications if on <= end]
        return bool(known) and known[-1] == "fulfilled"


@dataclass
class ReferralHistory:
    """A referral: when sent, every due date from when it held, every response."""

    sent_on: date
    due_on: date
    responses: list[ResponseHistory] = field(default_factory=list)
    institution: tuple[str, str] = ("", "")
    # (the day an extension took effect, its due date), in recorded order.
    extensions: list[tuple[date, date]] = field(default_factory=list)

    def due_as_of(self, end: date) -> date:
        """The due date set last, in recorded order, by what took effect by `end`."""
        held = [due for effective, due in self.extensions if effective <= end]
        return held[-1] if held else self.due_on

    def first_answer_by(self, end: date, *, substantive: bool) -> date | None:
        """The earliest (substantive) response dated on or before `end`."""
        days = [
            r.received_on
            for r in self.responses
            if r.received_on <= end and (is_substantive(r.kind) or not substantive)
        ]
        return min(days, default=None)

    @property
    def is_open(self) -> bool:
        """No substantive response recorded yet."""
        return not any(is_substantive(r.kind) for r in self.responses)


@dataclass
class CaseHistory:
    """One case as its events tell it, with its status after each event."""

    municipality: str
    category: str
    communities: set[str]
    raised_on: date
    reference: str = ""
    # (the date the event carries, or None; the status after it), in order.
    steps: list[tuple[date | None, str]] = field(default_factory=list)
    actions: list[tuple[str, date]] = field(default_factory=list)
    referrals: dict[UUID, ReferralHistory] = field(default_factory=dict)
    responses: dict[UUID, ResponseHistory] = field(default_factory=dict)
    resolutions: list[tuple[str, date]] = field(default_factory=list)

    def status_on(self, end: date) -> str | None:
        """The status after the last event whose effective date is by `end`."""
        status, effective = None, self.raised_on
        for dated, after in self.steps:
            effective = dated or effective
            if effective <= end:
                status = after
        return status

    def effective_now(self) -> date:
        """The effective date of the last event followed so far."""
        dated = [on for on, _ in self.steps if on is not None]
        return dated[-1] if dated else self.raised_on

    def apply(self, event: Any) -> None:
        """Follow one more event of this case."""
        name = type(event).__name__
        facts: dict[str, Any] = {}
        dated: date | None = None
        if isinstance(event, Case.Amended):
            self._amend(event.changes)
        elif isinstance(event, Case.AdvocacyActionTaken):
            self.actions.append((event.kind, event.taken_on))
            dated = event.taken_on
        elif isinstance(event, Case.Referred):
            self.referrals[event.referral_id] = ReferralHistory(
                event.sent_on,
                event.due_on,
                institution=(event.institution_kind, event.institution_name),
            )
            dated = event.sent_on
        elif isinstance(event, Case.DeadlineExtended):
            # An extension carries no date: it takes effect with the event before.
            extension = (self.effective_now(), event.due_on)
            self.referrals[event.referral_id].extensions.append(extension)
        elif isinstance(event, Case.FollowedUp):
            dated = event.followed_up_on
        elif isinstance(event, Case.ResponseReceived):
            referral = self.referrals[event.referral_id]
            response = ResponseHistory(event.kind, event.received_on, referral=referral)
            self.responses[event.response_id] = response
            referral.responses.append(response)
            facts["open_referrals"] = any(r.is_open for r in self.referrals.values())
            dated = event.received_on
        elif isinstance(event, Case.CommitmentVerified):
            verification = (event.status, event.verified_on)
            self.responses[event.response_id].verifications.append(verification)
            dated = event.verified_on
        elif isinstance(event, Case.Resolved):
            self.resolutions.append((event.outcome, event.resolved_on))
            facts["outcome"] = event.outcome
            dated = event.resolved_on
        elif isinstance(event, Case.Reopened):
            dated = event.reopened_on
        previous = self.steps[-1][1] if self.steps else None
        self.steps.append((dated, status_after(previous, name, **facts)))

    def _amend(self, changes: dict[str, Any]) -> None:
        self.category = changes.get("category", self.category)
        self.communities = set(changes.get("communities", self.communities))
        self.raised_on = changes.get("raised_on", self.raised_on)


@dataclass
class MeetingHistory:
    """A meeting and its attendance grid as last counted."""

    municipality: str
    held_on: date
    attendance: list[tuple[str, str, int]] = field(default_factory=list)


@dataclass
class History:
    """Every case and meeting in a tracker, read from its events."""

    cases: dict[UUID, CaseHistory] = field(default_factory=dict)
    meetings: dict[UUID, MeetingHistory] = field(default_factory=dict)

    @classmethod
    def read(cls, tracker: CaseTracker) -> History:
        """Replay the whole log, page by page."""
        history = cls()
        start = 1
        while True:
            page = tracker.recorder.select_notifications(start, PAGE)
            for notification in page:
                history.apply(tracker.mapper.to_domain_event(notification))
            if len(page) < PAGE:
                return history
            start = page[-1].id + 1

    def apply(self, event: Any) -> None:
        """Follow one event of the log; other aggregates are not counted."""
        key = event.originator_id
        if isinstance(event, Case.Submitted):
            self.cases[key] = CaseHistory(
                event.municipality,
                event.category,
                set(event.communities),
                event.raised_on,
                event.reference,
            )
        if isinstance(event, Case.Event):
            self.cases[key].apply(event)
        elif isinstance(event, Meeting.Held):
            self.meetings[key] = MeetingHistory(event.municipality, event.held_on)
        elif isinstance(event, Meeting.AttendanceCounted):
            self.meetings[key].attendance = [
                (str(r["gender"]), str(r["community"]), int(str(r["count"])))
                for r in event.attendance
            ]

    def figures(
        self, *, start: date, end: date, municipality: str | None = None
    ) -> AccountabilityFigures:
        """The §6 figures for the period, counted from the histories."""

        def within(day: date) -> bool:
            return start <= day <= end

        cases = [
            case
            for case in self.cases.values()
            if municipality in (None, case.municipality)
        ]
        raised = [case for case in cases if within(case.raised_on)]
        joint = sum(1 for case in raised if len(case.communities) >= 2)
        actions = Counter(k for case in cases for k, on in case.actions if within(on))
        referrals = [r for case in cases for r in case.referrals.values()]
        made = [r for r in referrals if within(r.sent_on)]
        first = [_days(r, r.first_answer_by(end, substantive=False)) for r in made]
        answered = [_days(r, r.first_answer_by(end, substantive=True)) for r in made]
        responses = [r for case in cases for r in case.responses.values()]
        in_period = [r for r in responses if within(r.received_on)]
        by_kind = Counter(r.kind for r in in_period)
        commitments = [r for r in in_period if r.kind == "commitment"]
        outcomes = Counter(
            outcome for case in cases for outcome, on in case.resolutions if within(on)
        )
        meetings = [
            m
            for m in self.meetings.values()
            if within(m.held_on) and municipality in (None, m.municipality)
        ]
        grid = [cell for m in meetings for cell in m.attendance]
        by_gender: Counter[str] = Counter()
        by_community: Counter[str] = Counter()
        for gender, community, count in grid:
            by_gender[gender] += count
            by_community[community] += count
        return AccountabilityFigures(
            period_start=start,
            period_end=end,
            municipality=municipality,
            cases_raised=len(raised),
            cases_jointly_raised=joint,
            joint_share=joint / len(raised) if raised else None,
            cases_by_category=_plain(Counter(case.category for case in raised)),
            cases_by_status=_plain(Counter(str(c.status_on(end)) for c in raised)),
            advocacy_actions=sum(actions.values()),
            advocacy_actions_by_kind=_plain(actions),
            referrals_made=len(made),
            responses_received=len(in_period),
            responses_by_kind=_plain(by_kind),
            government_responses=sum(1 for r in in_period if is_substantive(r.kind)),
            response_rate=(
                sum(1 for d in answered if d is not None) / len(made) if made else None
            ),
            median_days_to_first_response=_median(first),
            median_days_to_substantive_response=_median(answered),
            overdue_referrals=sum(
                1
                for r in referrals
                if r.sent_on <= end
                and r.due_as_of(end) < end
                and r.first_answer_by(end, substantive=True) is None
            ),
            commitments_made=len(commitments),
            commitments_fulfilled=sum(1 for r in commitments if r.fulfilled_by(end)),
            cases_resolved=outcomes["resolved"],
            cases_partially_resolved=outcomes["partially_resolved"],
            cases_unresolved=outcomes["unresolved"],
            meetings_held=len(meetings),
            meeting_attendance_total=sum(count for _, _, count in grid),
            attendance_by_gender=_plain(by_gender),
            attendance_by_community=_plain(by_community),
        )


def government_responses(
    history: History, *, start: date, end: date, municipality: str | None = None
) -> list[GovernmentResponse]:
    """The substantive responses dated in the period, by date then reference."""
    found = [
        GovernmentResponse(
            reference=case.reference,
            municipality=case.municipality,
            institution_kind=response.referral.institution[0],
            institution=response.referral.institution[1],
            kind=response.kind,
            received_on=response.received_on.isoformat(),
        )
        for case in history.cases.values()
        if municipality in (None, case.municipality)
        for response in case.responses.values()
        if response.referral is not None
        and is_substantive(response.kind)
        and start <= response.received_on <= end
    ]
    return sorted(found, key=lambda r: (r.received_on, r.reference))


def _days(referral: ReferralHistory, answered_on: date | None) -> int | None:
    return None if answered_on is None else (answered_on - referral.sent_on).days


def _median(days: list[int | None]) -> float | None:
    known = [d for d in days if d is not None]
    return statistics.median(known) if known else None


def _plain(counts: Counter[str]) -> dict[str, int]:
    return {key: n for key, n in sorted(counts.items()) if n}
