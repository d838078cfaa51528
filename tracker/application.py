"""The one Application: a command for every step of a case's life, and queries.

Commands take plain values and return an id, a reference or the new version.
Each loads the aggregate, lets it decide, and saves in one transaction. The
clock is read here, never in the domain, so tests can fix "today".
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, ClassVar
from uuid import UUID, uuid4

from argon2 import PasswordHasher
from cryptography.exceptions import InvalidTag
from eventsourcing.persistence import JSONTranscoder

from domain.case import Case
from domain.case_records import RECORD_TYPES
from domain.case_register import CaseRegister
from domain.deadlines import (
    DEFAULT_RULES,
    DeadlineRule,
    HolidayCalendar,
    parse_rules,
)
from domain.errors import InvalidValue
from domain.meeting import Meeting
from tracker.advocacy import AdvocacyCommands
from tracker.api_tokens import TokenCommands
from tracker.calendar import KosovoHolidays
from tracker.config import Settings
from tracker.erasure import ErasureCommands
from tracker.errors import (
    CaseAlreadyExists,
    CaseNotFound,
    ConcurrentChange,
    MeetingInOtherMunicipality,
    MeetingNotFound,
)
from tracker.importing import ImportCommands
from tracker.meetings import MeetingCommands
from tracker.outcomes import OutcomeCommands
from tracker.personal_keys import PersonalKeys
from tracker.queries import CaseQueries
from tracker.saved import SavedAggregates
from tracker.store import tables_made_alone
from tracker.transcodings import DateAsISO, PersonalDataSealed, RecordAsDict
from tracker.views import SubmittedCase

# Long streams are read from a snapshot plus the events after it.
SNAPSHOT_INTERVAL = 25
REGISTER_SNAPSHOT_INTERVAL = 50
# Attempts at numbering a case when other writers keep taking the next number.
NUMBERING_ATTEMPTS = 50


class CaseTracker(
    ErasureCommands,
    CaseQueries,
    MeetingCommands,
    AdvocacyCommands,
    OutcomeCommands,
    TokenCommands,
    ImportCommands,
):
    """Forum cases, meetings and the accounts of the people who record them."""

    name = "tracker"
    snapshotting_intervals: ClassVar[dict[type[Any], int]] = {
        Case: SNAPSHOT_INTERVAL,
        Meeting: SNAPSHOT_INTERVAL,
        CaseRegister: REGISTER_SNAPSHOT_INTERVAL,
    }

    def __init__(
        self,
        env: dict[str, str] | None = None,
        *,
        clock: Callable[[], date] = date.today,
        holidays: HolidayCalendar | None = None,
        deadline_rules: dict[str, DeadlineRule] | None = None,
        saved: SavedAggregates | None = None,
        password_hasher: PasswordHasher | None = None,
        personal_keys: PersonalKeys | None = None,
    ) -> None:
        # Before the store is built: its transcoder seals with these keys.
        self.personal_keys = personal_keys or PersonalKeys.in_memory()
        super().__init__(env)
        # argon2id with the library's defaults (RFC 9106's second choice).
        self.password_hasher = password_hasher or PasswordHasher()
        self.saved = saved if saved is not None else SavedAggregates()
        self.clock = clock
        self.holidays = holidays or KosovoHolidays()
        self.deadline_rules = deadline_rules or dict(DEFAULT_RULES)
        self.numbering_retries = 0

    def close(self) -> None:
        """Let go of the store and the keys."""
        super().close()
        self.personal_keys.close()

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        """Teach the store dates and the case's record values."""
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())
        transcoder.register(PersonalDataSealed(self.personal_keys))
        for record_type in RECORD_TYPES:
            transcoder.register(RecordAsDict(record_type))

    # -- submission ---------------------------------------------------------

    def submit_case(
        self,
        *,
        actor: str,
        municipality: str,
        title: str,
        description: str,
        category: str,
        communities: list[str] | tuple[str, ...],
        raised_on: date,
        language: str = "sq",
        meeting_id: UUID | None = None,
        location: str | None = None,
        submitter: dict[str, str] | None = None,
        case_id: UUID | None = None,
    ) -> SubmittedCase:
        """Log a community issue and give it the next reference of its year."""
        self.require_past(raised_on, "raised_on")
        # Only a caller-chosen id (a retried submission) can already exist.
        repeated = case_id is not None
        case_id = case_id or uuid4()
        if repeated and self.exists(case_id):
            raise CaseAlreadyExists(f"case {case_id} was submitted already")

        def attempt() -> SubmittedCase:
            register = self._register(municipality, raised_on.year)
            meeting = self._meeting_raising(meeting_id, municipality, raised_on)
            reference = register.number(case_id)
            case = Case.submit(
                case_id=case_id,
                actor=actor,
                reference=reference,
                municipality_code=municipality,
                title=title,
                description=description,
                category=category,
                communities=communities,
                raised_on=raised_on,
                language=language,
                meeting_id=meeting_id,
                location=location,
                submitter=submitter,
            )
            if meeting is not None:
                meeting.raise_case(
                    actor=actor,
                    case_id=case_id,
                    reference=reference,
                    case_municipality=municipality,
                )
            try:
                self.save_all(register, case, meeting)
            except ConcurrentChange:
                if repeated and self.exists(case_id):
                    raise CaseAlreadyExists(
                        f"case {case_id} was submitted already"
                    ) from None
                raise
            return SubmittedCase(case.id, reference, case.version)

        return self.numbered(attempt, attempts=NUMBERING_ATTEMPTS)

    def _register(self, municipality: str, year: int) -> CaseRegister:
        register_id = CaseRegister.create_id(municipality, year)
        # As this process numbered last; if another numbered since, the save
        # is refused, the copy forgotten, and the next attempt reads the store.
        try:
            return self.current(register_id, CaseRegister, CaseNotFound)
        except CaseNotFound:
            return CaseRegister(municipality=municipality, year=year)

    def _meeting_raising(
        self, meeting_id: UUID | None, municipality: str, raised_on: date
    ) -> Meeting | None:
        if meeting_id is None:
            return None
        meeting = self.current(meeting_id, Meeting, MeetingNotFound)
        if meeting.municipality != municipality:
            raise MeetingInOtherMunicipality(
                "the meeting was held in another municipality", field="meeting"
            )
        if meeting.held_on != raised_on:
            raise MeetingInOtherMunicipality(
                f"a case raised at this meeting is raised on "
                f"{meeting.held_on.isoformat()}",
                field="raised_on",
            )
        return meeting

    # -- changing a case ----------------------------------------------------

    def amend_case(
        self,
        case_id: UUID,
        *,
        actor: str,
        reason: str,
        changes: dict[str, Any],
        expected_version: int | None = None,
    ) -> int:
        """Correct submitted fields, with the reason."""
        if "raised_on" in changes:
            self.require_past(changes["raised_on"], "raised_on")
        return self.change_case(
            case_id,
            lambda c: c.amend(actor=actor, reason=reason, changes=changes),
            expected_version,
        )

    def translate_case(
        self,
        case_id: UUID,
        *,
        actor: str,
        language: str,
        title: str,
        description: str,
        expected_version: int | None = None,
    ) -> int:
        """Add the case's text in another language."""
        return self.change_case(
            case_id,
            lambda c: c.translate(
                actor=actor, language=language, title=title, description=description
            ),
            expected_version,
        )

    def accept_case(
        self,
        case_id: UUID,
        *,
        actor: str,
        priority: str = "normal",
        expected_version: int | None = None,
    ) -> int:
        """Take a new case up for advocacy."""
        return self.change_case(
            case_id,
            lambda c: c.accept(actor=actor, priority=priority),
            expected_version,
        )

    def decline_case(
        self,
        case_id: UUID,
        *,
        actor: str,
        reason: str,
        expected_version: int | None = None,
    ) -> int:
        """Decline a new case, with the reason."""
        return self.change_case(
            case_id, lambda c: c.decline(actor=actor, reason=reason), expected_version
        )

    def mark_duplicate(
        self,
        case_id: UUID,
        *,
        actor: str,
        duplicate_of: UUID | str,
        expected_version: int | None = None,
    ) -> int:
        """Close a new case as a duplicate of another (by id or reference)."""
        original = self.load(self.case_id(duplicate_of), Case, CaseNotFound)
        return self.change_case(
            case_id,
            lambda c: c.mark_duplicate(
                actor=actor,
                duplicate_of=original.id,
                duplicate_of_reference=original.reference,
            ),
            expected_version,
        )


def open_tracker(
    settings: Settings | None = None,
    *,
    clock: Callable[[], date] = date.today,
    password_hasher: PasswordHasher | None = None,
) -> CaseTracker:
    """Build the tracker the settings describe, creating its home if needed."""
    settings = settings or Settings.from_environment()
    settings.home.mkdir(parents=True, exist_ok=True)
    with tables_made_alone(settings.database_url):
        tracker = CaseTracker(
            settings.eventsourcing_env(),
            clock=clock,
            deadline_rules=parse_rules(settings.deadline_rules),
            password_hasher=password_hasher,
            personal_keys=PersonalKeys(settings.personal_keys_path),
        )
    try:
        require_store_key_fits(tracker)
    except InvalidValue:
        tracker.close()
        raise
    return tracker


def require_store_key_fits(tracker: CaseTracker) -> None:
    """Refuse to start when TRACKER_STORE_KEY (or its absence) cannot read the store."""
    first = tracker.recorder.select_notifications(start=1, limit=1)
    if not first:
        return
    try:
        tracker.mapper.to_domain_event(first[0])
    except (ValueError, InvalidTag):  # a wrong key, or text read as ciphertext
        raise InvalidValue(
            "TRACKER_STORE_KEY does not open this store: give the key it was "
            "written with (or none, if it was written without one)",
            field="TRACKER_STORE_KEY",
        ) from None
