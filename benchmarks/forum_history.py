"""Three years of forum work, 2023–2025, saved straight into a tracker's store.

The projections benchmark needs a million events; the application's commands
write about 1,500 a second, so this builds the same aggregates with the
domain in memory (register numbering, deadline rules and every decision's
checks included, as `benchmarks/bench_commands.build_steps` does) and saves
thousands of events per transaction.

Every case and every meeting is a *life*: a generator that yields the day of
its next step and takes the step when it is resumed. A `Timeline` resumes
all of them in the order of their days, so the log holds events in the order
things happened, one case's events spread among everybody else's, as in a
real store. The history stops at the number of events asked for (in
December 2025), cutting the last lives short as the present cuts real ones.
A case's life is in `benchmarks/case_life.py`; the forums and their meetings
are here.
"""

from __future__ import annotations

import heapq
import random
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from uuid import UUID

from eventsourcing.domain import Aggregate, CanMutateAggregate

from benchmarks.case_life import LAST_DAY, SECRETARY, CaseLife, Life, new_id
from domain.case_register import CaseRegister
from domain.meeting import Meeting
from domain.reference import COMMUNITIES, GENDERS, MUNICIPALITIES
from tracker.application import CaseTracker
from tracker.demo import FORUM_COMMUNITIES, next_weekday
from tracker.demo_texts import PLACES

FIRST_YEAR = 2023
MONTHS = [
    date(y, m, 1) for y in range(FIRST_YEAR, LAST_DAY.year + 1) for m in range(1, 13)
]
# Events per case on average, its register's numbering and the meeting
# events included; measured on generated stores (8.6 at a million).
EVENTS_PER_CASE = 8.6
# Cases are planned for a few more events than asked, so the history reaches
# the count asked for before its last day rather than falling short of it.
MARGIN = 1.03
EVENTS_PER_SAVE = 2_000
# Where a case's first community is Serb, so its text is written in Serbian.
SERB_MAJORITY = ("GRA", "KLO", "LEP", "MIN", "NBR", "PAR", "RAN", "STR", "ZUB", "ZVE")


@dataclass
class HistoryReport:
    """What was saved: events, cases, meetings, and the day the history ended."""

    events: int = 0
    cases: int = 0
    meetings: int = 0
    last_day: date = date(FIRST_YEAR, 1, 1)


class Timeline:
    """Every life's next step, taken in the order of their days."""

    def __init__(self) -> None:
        self._steps: list[tuple[date, int, Life]] = []
        self._started = 0

    def start(self, life: Life) -> None:
        """Take a life's steps up to its first day, and wait for that day."""
        day = next(life, None)
        if day is not None and day <= LAST_DAY:
            self._started += 1
            heapq.heappush(self._steps, (day, self._started, life))

    def run(self, stop: Callable[[], bool]) -> date:
        """Take steps day by day until none is left or `stop` says so."""
        day = date(FIRST_YEAR, 1, 1)
        while self._steps and not stop():
            day, _, life = heapq.heappop(self._steps)
            self.start(life)
        return day


class Batch:
    """Events in the order they happened, saved many to a transaction."""

    def __init__(self, tracker: CaseTracker, limit: int) -> None:
        self.tracker, self.limit, self.saved = tracker, limit, 0
        self.events: list[CanMutateAggregate[UUID]] = []
        self.aggregates: dict[UUID, Aggregate] = {}

    def record(self, *aggregates: Aggregate | None) -> None:
        """Take the aggregates' new events; save when there are enough."""
        for aggregate in aggregates:
            if aggregate is not None:
                self.events.extend(aggregate.collect_events())
                self.aggregates[aggregate.id] = aggregate
        if len(self.events) >= min(EVENTS_PER_SAVE, self.limit - self.saved):
            self.flush()

    def flush(self) -> None:
        """Save what was recorded, up to the limit, in one transaction."""
        events = self.events[: self.limit - self.saved]
        if events:
            # The aggregates carry no pending events: save() takes their types,
            # so snapshots are taken as the application takes them.
            self.tracker.save(*events, *self.aggregates.values())
        self.saved += len(events)
        self.events, self.aggregates = [], {}

    @property
    def full(self) -> bool:
        """Whether every event asked for is saved."""
        return self.saved >= self.limit


@dataclass
class Forum:
    """One municipality's forum: who sits in it, its registers, recent cases."""

    code: str
    communities: tuple[str, ...]
    places: tuple[str, ...]
    cases_a_month: float
    registers: dict[int, CaseRegister] = field(default_factory=dict)
    recent: deque[tuple[UUID, str]] = field(default_factory=lambda: deque(maxlen=40))

    def register(self, year: int) -> CaseRegister:
        """The register numbering this year's cases."""
        if year not in self.registers:
            self.registers[year] = CaseRegister(municipality=self.code, year=year)
        return self.registers[year]


class History:
    """The forums of all 38 municipalities, and the lives of their cases."""

    def __init__(self, tracker: CaseTracker, events: int, seed: int) -> None:
        self.tracker = tracker
        self.rng = random.Random(seed)
        self.batch = Batch(tracker, events)
        self.timeline = Timeline()
        self.report = HistoryReport()
        # Forums differ sixfold in how many cases they raise.
        weights = [self.rng.randint(1, 6) for _ in MUNICIPALITIES]
        cases = events * MARGIN / EVENTS_PER_CASE
        self.forums = [
            Forum(
                m.code,
                self._communities(m.code),
                PLACES.get(m.code, (m.sq, m.sr_latn)),
                cases * weight / sum(weights) / len(MONTHS),
            )
            for m, weight in zip(MUNICIPALITIES, weights, strict=True)
        ]

    def _communities(self, code: str) -> tuple[str, ...]:
        if code in FORUM_COMMUNITIES:
            return FORUM_COMMUNITIES[code]
        first = "serb" if code in SERB_MAJORITY else "albanian"
        others = [c for c in COMMUNITIES if c not in (first, "other")]
        return (first, *self.rng.sample(others, self.rng.randint(1, 3)))

    def run(self) -> HistoryReport:
        """Live the three years until the events asked for are saved."""
        for forum in self.forums:
            self.timeline.start(self.forum_life(forum))
        self.report.last_day = self.timeline.run(lambda: self.batch.full)
        self.batch.flush()
        self.report.events = self.batch.saved
        return self.report

    def forum_life(self, forum: Forum) -> Life:
        """Each month a meeting, and cases raised there and on other days."""
        rng = random.Random(self.rng.random())
        for first in MONTHS:
            yield first
            count = round(forum.cases_a_month * rng.uniform(0.6, 1.4))
            at_meeting = sum(rng.random() < 0.25 for _ in range(count))
            held_on = next_weekday(first.replace(day=rng.randint(8, 22)))
            self.timeline.start(self.meeting_life(forum, held_on, at_meeting, rng))
            length = ((first + timedelta(days=31)).replace(day=1) - first).days
            for _ in range(count - at_meeting):
                raised_on = first + timedelta(days=rng.randrange(length))
                life = CaseLife(self, forum, random.Random(rng.random()))
                self.timeline.start(life.run(raised_on, None))

    def meeting_life(
        self, forum: Forum, held_on: date, raised_there: int, rng: random.Random
    ) -> Life:
        """Held, attendance counted, cases discussed and raised, minutes."""
        yield held_on
        meeting = Meeting.hold(
            meeting_id=new_id(rng),
            actor=SECRETARY,
            municipality_code=forum.code,
            held_on=held_on,
            place=f"Municipal hall, {rng.choice(forum.places)}",
        )
        meeting.count_attendance(
            actor=SECRETARY,
            attendance=[
                {"gender": g, "community": c, "count": rng.randint(0, 6)}
                for g in GENDERS[:2]
                for c in forum.communities
            ],
        )
        for case_id, reference in rng.sample(forum.recent, min(3, len(forum.recent))):
            meeting.discuss_case(
                actor=SECRETARY,
                case_id=case_id,
                reference=reference,
                case_municipality=forum.code,
            )
        self.batch.record(meeting)
        self.report.meetings += 1
        for _ in range(raised_there):
            life = CaseLife(self, forum, random.Random(rng.random()))
            self.timeline.start(life.run(held_on, meeting))
        yield held_on + timedelta(days=rng.randint(2, 10))
        meeting.record_minutes(actor=SECRETARY, minutes="Cases heard; next steps.")
        self.batch.record(meeting)


def generate(tracker: CaseTracker, events: int, seed: int = 1) -> HistoryReport:
    """Save a history of `events` events (fewer only if 2025 ends first)."""
    return History(tracker, events, seed).run()
