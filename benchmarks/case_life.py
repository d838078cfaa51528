"""One case's life in the benchmark's forum history, drawn within the rules.

The case is built with the domain as the commands build it (the register
numbers it, the deadline rules date its referrals, each decision checks
its own rules); each step's events go to the history's batch. `run` is a
*life*: it yields the day of each step and takes the step when resumed.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta
from typing import TYPE_CHECKING
from uuid import UUID

from domain.case import Case
from domain.deadlines import due_date, latest_extension
from domain.meeting import Meeting
from domain.reference import (
    ADVOCACY_ACTION_KINDS,
    COMMITMENT_STATUSES,
    OUTCOMES,
    PRIORITIES,
    is_substantive,
)
from tracker.demo import RESPONSE_WEIGHTS
from tracker.demo_texts import INSTITUTIONS, ISSUES, RESPONSE_SUMMARIES

if TYPE_CHECKING:
    from benchmarks.forum_history import Forum, History

LAST_DAY = date(2025, 12, 31)
SECRETARY, ADVOCATE = "secretary", "advocate"
REQUEST_KINDS = ("general_request", "general_request", "petition", "public_documents")

Life = Iterator[date]


class CaseLife:
    """One case's life, drawn at random within the rules, a step at a time."""

    def __init__(self, history: History, forum: Forum, rng: random.Random) -> None:
        self.history, self.forum, self.rng = history, forum, rng
        self.tracker = history.tracker
        self.day = LAST_DAY

    def later(self, low: int, high: int) -> date:
        """The day of the next step, some days after the last."""
        self.day += timedelta(days=self.rng.randint(low, high))
        return self.day

    def record(self, case: Case) -> None:
        """Hand the step's events to the batch."""
        self.history.batch.record(case)

    def run(self, raised_on: date, meeting: Meeting | None) -> Life:
        """Submitted, maybe translated or amended, triaged, advocated for."""
        self.day = raised_on
        yield raised_on
        case = self.submit(meeting)
        if self.rng.random() < 0.4:
            yield self.later(0, 5)
            case.translate(
                actor=SECRETARY, language="en", title=case.title, description="-"
            )
            self.record(case)
        if self.rng.random() < 0.05:
            yield self.later(1, 10)
            case.amend(actor=SECRETARY, reason="Typo.", changes={"title": "Amended"})
            self.record(case)
        yield self.later(3, 20)
        yield from self.triage(case)

    def submit(self, meeting: Meeting | None) -> Case:
        """Numbered by the register, raised at the meeting if there was one."""
        rng, forum = self.rng, self.forum
        category, sq, sr, _, text = rng.choice(ISSUES)
        place = rng.choice(forum.places)
        communities = rng.sample(forum.communities, 2 if rng.random() < 0.55 else 1)
        serb = communities[0] == "serb"
        register = forum.register(self.day.year)
        case_id = new_id(rng)
        reference = register.number(case_id)
        case = Case.submit(
            case_id=case_id,
            actor=SECRETARY,
            reference=reference,
            municipality_code=forum.code,
            title=(sr if serb else sq).format(place=place),
            description=text.format(place=place),
            category=category,
            communities=communities,
            raised_on=self.day,
            language="sr" if serb else "sq",
            meeting_id=meeting.id if meeting else None,
            location=place,
        )
        if meeting is not None:
            meeting.raise_case(
                actor=SECRETARY,
                case_id=case_id,
                reference=reference,
                case_municipality=forum.code,
            )
        self.history.batch.record(register, case, meeting)
        self.history.report.cases += 1
        forum.recent.append((case_id, reference))
        return case

    def triage(self, case: Case) -> Life:
        """Left waiting, declined, a duplicate, or accepted for advocacy."""
        draw = self.rng.random()
        if draw < 0.06:
            return
        if draw < 0.14:
            case.decline(actor=ADVOCATE, reason="Outside the forum's mandate.")
            self.record(case)
            if self.rng.random() < 0.25:
                yield from self.reopen(case, 20, 90)
                yield from self.advocate(case)
            return
        original = self.forum.recent[0]
        if draw < 0.19 and original[0] != case.id:
            case.mark_duplicate(
                actor=ADVOCATE,
                duplicate_of=original[0],
                duplicate_of_reference=original[1],
            )
            self.record(case)
            return
        priority = self.rng.choice((*PRIORITIES, "normal"))
        case.accept(actor=ADVOCATE, priority=priority)
        self.record(case)
        yield from self.advocate(case)

    def advocate(self, case: Case) -> Life:
        """Actions, notes, referrals, and for half the cases an outcome."""
        for _ in range(self.rng.randint(1, 3)):
            kind = self.rng.choice(ADVOCACY_ACTION_KINDS)
            yield self.later(2, 25)
            case.take_action(
                actor=ADVOCATE,
                action_id=new_id(self.rng),
                kind=kind,
                taken_on=self.day,
                description=f"Forum {kind.replace('_', ' ')} on the issue.",
                communities=case.communities,
                signatures=self.rng.randint(20, 400) if kind == "petition" else None,
            )
            self.record(case)
        if self.rng.random() < 0.3:
            yield self.later(1, 10)
            self.note(case)
        if self.rng.random() < 0.85:
            for _ in range(self.rng.choice((1, 1, 1, 2))):
                yield from self.referral(case)
        if self.rng.random() < 0.55:
            yield from self.resolve(case)

    def referral(self, case: Case) -> Life:
        """Sent, perhaps chased or extended, answered up to twice or never."""
        kind, name = self.rng.choice(INSTITUTIONS)
        request = self.rng.choice(REQUEST_KINDS)
        rule = self.tracker.deadline_rules[request]
        referral_id = new_id(self.rng)
        yield self.later(3, 30)
        due_on = due_date(rule, self.day, self.tracker.holidays)
        case.refer(
            actor=ADVOCATE,
            referral_id=referral_id,
            institution_kind=kind,
            institution_name=name,
            request_kind=request,
            sent_on=self.day,
            due_on=due_on,
        )
        self.record(case)
        if self.rng.random() < 0.3:
            yield self.later(10, 40)
            case.follow_up(
                actor=ADVOCATE,
                referral_id=referral_id,
                followed_up_on=self.day,
                channel=self.rng.choice(("letter", "phone", "meeting")),
                note="Asked when an answer can be expected.",
            )
            self.record(case)
        latest = latest_extension(rule, due_on, self.tracker.holidays)
        if latest is not None and self.rng.random() < 0.12:
            yield self.later(0, 5)
            case.extend_deadline(
                actor=ADVOCATE,
                referral_id=referral_id,
                due_on=latest,
                reason="The institution asked for more time.",
                latest_allowed=latest,
            )
            self.record(case)
        if self.rng.random() < 0.2:
            return  # never answered
        yield from self.responses(case, referral_id)

    def responses(self, case: Case, referral_id: UUID) -> Life:
        """Up to two answers; a commitment is often checked later."""
        for _ in range(2):
            kind = self.rng.choices(
                list(RESPONSE_WEIGHTS), weights=list(RESPONSE_WEIGHTS.values())
            )[0]
            response_id = new_id(self.rng)
            yield self.later(2, 50)
            case.record_response(
                actor=ADVOCATE,
                response_id=response_id,
                referral_id=referral_id,
                received_on=self.day,
                kind=kind,
                summary=RESPONSE_SUMMARIES[kind],
            )
            self.record(case)
            if kind == "commitment" and self.rng.random() < 0.75:
                yield self.later(20, 120)
                case.verify_commitment(
                    actor=ADVOCATE,
                    response_id=response_id,
                    status=self.rng.choice(COMMITMENT_STATUSES),
                    verified_on=self.day,
                    evidence="Forum members visited the site.",
                )
                self.record(case)
            if is_substantive(kind):
                return

    def resolve(self, case: Case) -> Life:
        """An outcome, perhaps published, sometimes reopened, and a note."""
        yield self.later(5, 60)
        outcome = self.rng.choice((*OUTCOMES, "resolved"))
        case.resolve(
            actor=ADVOCATE, outcome=outcome, resolved_on=self.day, summary="Closed."
        )
        self.record(case)
        if self.rng.random() < 0.4:
            yield self.later(1, 15)
            fields = ["title", "category", "municipality", "status"]
            case.publish(
                actor=ADVOCATE, fields=fields, title=case.title, description="-"
            )
            self.record(case)
        if self.rng.random() < 0.08:
            yield from self.reopen(case, 30, 120)
        yield self.later(0, 30)
        self.note(case)

    def reopen(self, case: Case, low: int, high: int) -> Life:
        """Open the closed case again, some days later."""
        yield self.later(low, high)
        case.reopen(actor=ADVOCATE, reopened_on=self.day, reason="It came back.")
        self.record(case)

    def note(self, case: Case) -> None:
        """A note on the file (the step's day is already taken)."""
        case.add_note(
            actor=ADVOCATE,
            note_id=new_id(self.rng),
            text="Evidence kept by the forum.",
        )
        self.record(case)


def new_id(rng: random.Random) -> UUID:
    """A random id drawn from the seed, so a seed always gives the same ids."""
    return UUID(int=rng.getrandbits(128), version=4)
