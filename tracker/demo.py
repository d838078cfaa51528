"""Demo data: seven forums, 2023–2025, meetings and cases with full lives.

Everything goes through the application's commands, so demo data obeys every
rule real data does. The same seed gives the same data: ids are derived from
the seed, and a case or meeting that exists already is skipped, so running
the demo twice adds nothing (and an interrupted run resumes).
"""

from __future__ import annotations

import contextlib
import hashlib
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from uuid import NAMESPACE_URL, UUID, uuid5

from domain.reference import ADVOCACY_ACTION_KINDS, COMMUNITIES, GENDERS
from tracker.application import CaseTracker
from tracker.demo_texts import INSTITUTIONS, ISSUES, PLACES, RESPONSE_SUMMARIES
from tracker.errors import CaseAlreadyExists

FIRST_YEAR, LAST_YEAR = 2023, 2025
# Nothing in the demo happens after this day, whatever day it is loaded.
DEMO_END = date(LAST_YEAR, 12, 31)
MEETING_MONTHS = (1, 3, 5, 7, 9, 11)
SECRETARY, ADVOCATE = "demo-secretary", "demo-advocate"

FORUM_COMMUNITIES: dict[str, tuple[str, ...]] = {
    "STR": ("serb", "albanian"),
    "VIT": ("albanian", "serb", "croat", "roma"),
    "KAM": ("albanian", "serb", "roma"),
    "LIP": ("albanian", "serb", "ashkali", "roma", "croat"),
    "MIS": ("albanian", "bosniak", "ashkali", "roma", "turkish"),
    "MIN": ("serb", "albanian", "bosniak", "gorani", "turkish"),
    "GRA": ("serb", "albanian", "roma"),
}
RESPONSE_WEIGHTS = {
    "acknowledgement": 14,
    "information": 12,
    "commitment": 20,
    "policy_change": 6,
    "concrete_action": 14,
    "partial": 8,
    "refusal": 8,
    "redirected": 4,
}


@dataclass
class DemoReport:
    """What a demo run did."""

    meetings_added: int = 0
    cases_added: int = 0
    skipped: int = 0


class StopLifecycle(Exception):
    """The next step of a case would happen after the demo's end."""


def load_demo(
    tracker: CaseTracker,
    *,
    seed: int = 1,
    progress: Callable[[str], None] | None = None,
) -> DemoReport:
    """Load the demo forums' meetings and cases (idempotent for a seed)."""
    report = DemoReport()
    for code in FORUM_COMMUNITIES:
        # Demo data, not secrets.
        rng = random.Random(f"{seed}:{code}")  # noqa: S311  # nosec B311
        forum = DemoForum(tracker, rng, seed, code, report)
        forum.load()
        if progress:
            progress(code)
    return report


class DemoForum:
    """One municipality's forum: its meetings, and the cases raised at them."""

    def __init__(
        self,
        tracker: CaseTracker,
        rng: random.Random,
        seed: int,
        code: str,
        report: DemoReport,
    ) -> None:
        self.tracker, self.rng, self.seed, self.code = tracker, rng, seed, code
        self.report = report
        self.case_ids: list[UUID] = []

    def demo_id(self, kind: str, number: int) -> UUID:
        """A predictable id: same seed, same municipality, same thing."""
        return uuid5(
            NAMESPACE_URL, f"cfpi-demo:{self.seed}:{self.code}:{kind}:{number}"
        )

    def load(self) -> None:
        """Hold every meeting of the forum and raise its cases."""
        number = 0
        for year in range(FIRST_YEAR, LAST_YEAR + 1):
            for month in MEETING_MONTHS:
                held_on = next_weekday(date(year, month, self.rng.randint(8, 22)))
                meeting_id = self._meeting(held_on, year * 100 + month)
                for _ in range(self.rng.choice((2, 3, 3, 3, 4))):
                    number += 1
                    self._case(number, meeting_id, held_on)

    def _meeting(self, held_on: date, key: int) -> UUID:
        meeting_id = self.demo_id("meeting", key)
        # Draw the attendance even when skipping, so the random sequence
        # (and so every later case) is the same on a re-run.
        attendance = [
            {"gender": g, "community": c, "count": self.rng.randint(0, 4)}
            for g in GENDERS[:2]
            for c in FORUM_COMMUNITIES[self.code]
        ]
        place = f"Municipal hall, {self.rng.choice(PLACES[self.code])}"
        if self.tracker.exists(meeting_id):
            self.report.skipped += 1
            return meeting_id
        self.tracker.record_meeting(
            actor=SECRETARY,
            municipality=self.code,
            held_on=held_on,
            place=place,
            attendance=attendance,
            meeting_id=meeting_id,
        )
        self.report.meetings_added += 1
        return meeting_id

    def _case(self, number: int, meeting_id: UUID, raised_on: date) -> None:
        case_id = self.demo_id("case", number)
        lifecycle = DemoLifecycle(
            self,
            case_id,
            raised_on,
            # Demo data, not secrets.
            random.Random(self.rng.random()),  # noqa: S311  # nosec B311
        )
        self.case_ids.append(case_id)
        try:
            lifecycle.submit(meeting_id)
        except CaseAlreadyExists:
            self.report.skipped += 1
            return
        self.report.cases_added += 1
        with contextlib.suppress(StopLifecycle):
            lifecycle.run()


class DemoLifecycle:
    """One case's life, drawn at random but always within the rules."""

    def __init__(
        self, forum: DemoForum, case_id: UUID, raised_on: date, rng: random.Random
    ) -> None:
        self.forum, self.case_id, self.rng = forum, case_id, rng
        self.tracker = forum.tracker
        self.today = raised_on
        self.communities = self._communities()
        # The case's words as submitted; publication shows them.
        self.title = self.description = ""

    def later(self, low: int, high: int) -> date:
        """Move the case's own clock on; stop at the demo's end."""
        self.today += timedelta(days=self.rng.randint(low, high))
        if self.today > DEMO_END:
            raise StopLifecycle
        return self.today

    def _communities(self) -> list[str]:
        forum = FORUM_COMMUNITIES[self.forum.code]
        joint = self.rng.random() < 0.55
        return sorted(self.rng.sample(forum, 2 if joint else 1), key=COMMUNITIES.index)

    def submit(self, meeting_id: UUID) -> None:
        """Raise the case at the meeting, in the writer's language."""
        category, sq, sr, en, text = self.rng.choice(ISSUES)
        place = self.rng.choice(PLACES[self.forum.code])
        serb_text = self.communities[0] == "serb"
        self.title = (sr if serb_text else sq).format(place=place)
        self.description = text.format(place=place)
        self.tracker.submit_case(
            case_id=self.case_id,
            actor=SECRETARY,
            municipality=self.forum.code,
            title=self.title,
            description=self.description,
            category=category,
            communities=self.communities,
            raised_on=self.today,
            language="sr" if serb_text else "sq",
            meeting_id=meeting_id,
            location=place,
            submitter=(
                {"name": f"Demo Resident {self.rng.randint(1, 999)}"}
                if self.rng.random() < 0.3
                else None
            ),
        )
        if self.rng.random() < 0.5:
            self.tracker.translate_case(
                self.case_id,
                actor=SECRETARY,
                language="en",
                title=en.format(place=place),
                description=text.format(place=place),
            )

    def run(self) -> None:
        """Triage, advocate, refer, get answers, resolve — or stop on the way."""
        draw = self.rng.random()
        self.later(3, 20)
        if draw < 0.06:
            return  # still waiting for triage
        if draw < 0.14:
            self.tracker.decline_case(
                self.case_id, actor=ADVOCATE, reason="Outside the forum's mandate."
            )
            self._maybe_reopen()
            return
        if draw < 0.19 and len(self.forum.case_ids) > 1:
            original = self.rng.choice(self.forum.case_ids[:-1])
            self.tracker.mark_duplicate(
                self.case_id, actor=ADVOCATE, duplicate_of=original
            )
            return
        self.tracker.accept_case(
            self.case_id,
            actor=ADVOCATE,
            priority=self.rng.choice(("low", "normal", "normal", "high", "urgent")),
        )
        self._advocate()

    def _maybe_reopen(self) -> None:
        if self._reopened(0.25, (20, 90), "New evidence brought by the forum."):
            self._advocate()

    def _reopened(self, chance: float, days: tuple[int, int], reason: str) -> bool:
        """Reopen the case with that chance, some days later."""
        if self.rng.random() >= chance:
            return False
        self.tracker.reopen_case(
            self.case_id, actor=ADVOCATE, reopened_on=self.later(*days), reason=reason
        )
        return True

    def _advocate(self) -> None:
        for _ in range(self.rng.randint(1, 3)):
            kind = self.rng.choice(ADVOCACY_ACTION_KINDS)
            self.tracker.take_action(
                self.case_id,
                actor=ADVOCATE,
                kind=kind,
                taken_on=self.later(2, 25),
                description=f"Forum {kind.replace('_', ' ')} on the issue.",
                communities=self.communities,
                signatures=self.rng.randint(20, 400) if kind == "petition" else None,
            )
        if self.rng.random() < 0.8:
            for _ in range(self.rng.choice((1, 1, 1, 2))):
                self._referral()
        if self.rng.random() < 0.5:
            self._resolve()

    def _referral(self) -> None:
        kind, name = self.rng.choice(INSTITUTIONS)
        request = self.rng.choice(
            ("general_request", "general_request", "petition", "public_documents")
        )
        made = self.tracker.refer_case(
            self.case_id,
            actor=ADVOCATE,
            institution_kind=kind,
            institution_name=name,
            request_kind=request,
            sent_on=self.later(3, 30),
        )
        if self.rng.random() < 0.35:
            self.tracker.follow_up(
                self.case_id,
                made.referral_id,
                actor=ADVOCATE,
                followed_up_on=self.later(10, 40),
                channel=self.rng.choice(("letter", "phone", "meeting")),
                note="Asked when an answer can be expected.",
            )
        if self.rng.random() < 0.25:
            return  # never answered: overdue
        for _ in range(2):
            response_kind = self.rng.choices(
                list(RESPONSE_WEIGHTS), weights=list(RESPONSE_WEIGHTS.values())
            )[0]
            response_id = self.tracker.record_response(
                self.case_id,
                made.referral_id,
                actor=ADVOCATE,
                received_on=self.later(2, 50),
                kind=response_kind,
                summary=RESPONSE_SUMMARIES[response_kind],
            )
            if response_kind == "commitment" and self.rng.random() < 0.75:
                self.tracker.verify_commitment(
                    self.case_id,
                    response_id,
                    actor=ADVOCATE,
                    status=self.rng.choice(
                        (
                            "fulfilled",
                            "fulfilled",
                            "partially_fulfilled",
                            "not_fulfilled",
                        )
                    ),
                    verified_on=self.later(20, 120),
                    evidence="Forum members visited the site.",
                )
            if response_kind not in ("acknowledgement", "redirected"):
                return

    def _resolve(self) -> None:
        outcome = self.rng.choice(
            ("resolved", "resolved", "partially_resolved", "unresolved")
        )
        self.tracker.resolve_case(
            self.case_id,
            actor=ADVOCATE,
            outcome=outcome,
            resolved_on=self.later(5, 60),
            summary=f"Case closed as {outcome.replace('_', ' ')}.",
        )
        if self.rng.random() < 0.4:
            self.tracker.publish_case(
                self.case_id,
                actor=ADVOCATE,
                fields=[
                    "title",
                    "description",
                    "category",
                    "communities",
                    "municipality",
                    "status",
                ],
                title=self.title,
                description=self.description,
            )
        self._reopened(0.08, (30, 120), "The problem came back.")
        self.tracker.add_note(
            self.case_id,
            actor=ADVOCATE,
            text=f"Evidence file {self._evidence_code()} kept by the forum.",
        )

    def _evidence_code(self) -> str:
        return hashlib.sha256(self.case_id.bytes).hexdigest()[:8]


def next_weekday(day: date) -> date:
    """The day itself, or the Monday after it if it falls on a weekend."""
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day
