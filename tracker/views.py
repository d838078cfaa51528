"""What queries return: plain, frozen data, never a live aggregate."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from domain.account import Account
from domain.case import Case
from domain.case_records import (
    AdvocacyAction,
    Document,
    Note,
    Publication,
    Resolution,
    Response,
    Translation,
)
from domain.case_steps import CaseSituation
from domain.deadlines import DeadlineState, deadline_state, very_overdue_on
from domain.meeting import Meeting
from domain.personal import PersonalData


@dataclass(frozen=True)
class SubmittedCase:
    """What a submission returns: the new case's id, reference and version."""

    case_id: UUID
    reference: str
    version: int


@dataclass(frozen=True)
class ReferralMade:
    """What a referral returns: its id and the due date its rule gave."""

    referral_id: UUID
    due_on: date
    version: int


@dataclass(frozen=True)
class SubmitterView:
    """Who raised a case (personal data), or that their data was erased."""

    person_id: UUID
    name: str | None
    contact: str | None
    erased: bool


def submitter_view(submitter: PersonalData) -> SubmitterView:
    """A person's data on a case as plain values."""
    return SubmitterView(
        person_id=submitter.person_id,
        name=submitter.get("name"),
        contact=submitter.get("contact"),
        erased=submitter.erased,
    )


@dataclass(frozen=True)
class NoteView:
    """A note; a sensitive one's text is personal data, gone once erased."""

    note_id: UUID
    text: str | None
    sensitive: bool
    erased: bool


def note_view(note: Note) -> NoteView:
    """A note as plain values."""
    if isinstance(note.text, PersonalData):
        sealed = note.text
        return NoteView(note.note_id, sealed.get("text"), True, sealed.erased)
    return NoteView(note.note_id, note.text, False, False)


@dataclass(frozen=True)
class ReferralView:
    """A referral with its deadline state as of a given day."""

    referral_id: UUID
    institution_kind: str
    institution_name: str
    request_kind: str
    sent_on: date
    due_on: date
    original_due_on: date
    very_overdue_on: date
    follow_ups: int
    first_response_on: date | None
    substantive_response_on: date | None
    deadline_state: DeadlineState


@dataclass(frozen=True)
class CaseView:
    """A case's current state, as plain values."""

    case_id: UUID
    reference: str
    version: int
    status: str
    municipality: str
    title: str
    description: str
    category: str
    communities: tuple[str, ...]
    jointly_raised: bool
    raised_on: date
    language: str
    location: str | None
    meeting_id: UUID | None
    submitter: SubmitterView | None
    # The person the case is about, and whether their data is "none",
    # "held" (a submitter or sensitive notes) or "erased".
    person_id: UUID
    personal_data: str
    priority: str | None
    decline_reason: str | None
    duplicate_of: UUID | None
    translations: tuple[Translation, ...]
    actions: tuple[AdvocacyAction, ...]
    referrals: tuple[ReferralView, ...]
    responses: tuple[Response, ...]
    notes: tuple[NoteView, ...]
    documents: tuple[Document, ...]
    resolution: Resolution | None
    reopened_times: int
    publication: Publication | None
    created_at: datetime
    last_activity_at: datetime

    def as_dict(self) -> dict[str, Any]:
        """The view as nested dicts and lists (for JSON and the terminal)."""
        return asdict(self)


@dataclass(frozen=True)
class MeetingView:
    """A meeting's state, as plain values."""

    meeting_id: UUID
    version: int
    municipality: str
    held_on: date
    place: str
    attendance: dict[str, int]
    attendance_total: int
    attendance_by_gender: dict[str, int]
    attendance_by_community: dict[str, int]
    cases_discussed: tuple[UUID, ...]
    cases_raised: tuple[UUID, ...]
    minutes: str | None


@dataclass(frozen=True)
class TimelineEntry:
    """One event of a case's history: what, who, when (recorded) and details."""

    version: int
    event: str
    actor: str
    recorded_at: datetime
    details: dict[str, Any]
    # The details that are a person's data (DESIGN §7): shown only to staff
    # who record cases, and "erased" once the person is.
    personal: tuple[str, ...] = ()


def case_view(case: Case, *, on: date) -> CaseView:
    """Freeze a case's state; deadline states are as of ``on``."""
    return CaseView(
        case_id=case.id,
        reference=case.reference,
        version=case.version,
        status=case.status,
        municipality=case.municipality,
        title=case.title,
        description=case.description,
        category=case.category,
        communities=tuple(case.communities),
        jointly_raised=case.is_jointly_raised,
        raised_on=case.raised_on,
        language=case.language,
        location=case.location,
        meeting_id=case.meeting_id,
        submitter=submitter_view(case.submitter) if case.submitter else None,
        person_id=case.person_id,
        personal_data=(
            "erased"
            if case.personal_data_erased
            else "held"
            if case.personal_data
            else "none"
        ),
        priority=case.priority,
        decline_reason=case.decline_reason,
        duplicate_of=case.duplicate_of,
        translations=tuple(case.translations.values()),
        actions=tuple(case.actions),
        referrals=tuple(
            ReferralView(
                referral_id=r.referral_id,
                institution_kind=r.institution_kind,
                institution_name=r.institution_name,
                request_kind=r.request_kind,
                sent_on=r.sent_on,
                due_on=r.due_on,
                original_due_on=r.original_due_on,
                very_overdue_on=very_overdue_on(r.sent_on, r.due_on),
                follow_ups=r.follow_ups,
                first_response_on=r.first_response_on,
                substantive_response_on=r.substantive_response_on,
                deadline_state=deadline_state(
                    sent_on=r.sent_on,
                    due_on=r.due_on,
                    substantive_response_on=r.substantive_response_on,
                    on=on,
                ),
            )
            for r in case.referrals.values()
        ),
        responses=tuple(case.responses.values()),
        notes=tuple(note_view(n) for n in case.notes),
        documents=tuple(case.documents.values()),
        resolution=case.resolution,
        reopened_times=case.reopened_times,
        publication=case.publication,
        created_at=case.created_on,
        last_activity_at=case.modified_on,
    )


def meeting_view(meeting: Meeting) -> MeetingView:
    """Freeze a meeting's state."""
    return MeetingView(
        meeting_id=meeting.id,
        version=meeting.version,
        municipality=meeting.municipality,
        held_on=meeting.held_on,
        place=meeting.place,
        attendance=dict(meeting.attendance),
        attendance_total=meeting.attendance_total,
        attendance_by_gender=meeting.attendance_by("gender"),
        attendance_by_community=meeting.attendance_by("community"),
        cases_discussed=tuple(meeting.cases_discussed),
        cases_raised=tuple(meeting.cases_raised),
        minutes=meeting.minutes,
    )


# The library's bookkeeping and the who/when, shown apart from the details;
# and an account's password hash, never shown.
_NOT_DETAILS = frozenset(
    {
        "originator_id",
        "originator_version",
        "originator_topic",
        "timestamp",
        "actor",
        "password_hash",
    }
)


def timeline_entry(domain_event: Case.Event | Account.Event) -> TimelineEntry:
    """Describe one stored case or account event for a person."""
    details = {
        k: _plain(v) for k, v in vars(domain_event).items() if k not in _NOT_DETAILS
    }
    return TimelineEntry(
        version=domain_event.originator_version,
        event=type(domain_event).__name__,
        actor=domain_event.actor,
        recorded_at=domain_event.timestamp,
        details=details,
        personal=tuple(
            k for k, v in vars(domain_event).items() if isinstance(v, PersonalData)
        ),
    )


def _plain(value: object) -> object:
    """Personal data as a dict: its person, whether erased, and its fields."""
    if isinstance(value, PersonalData):
        return {"person_id": value.person_id, "erased": value.erased, **value.fields}
    return value


def situation(case: CaseView) -> CaseSituation:
    """What decides a case's next steps (`domain.case_steps.next_steps`)."""
    return CaseSituation(
        status=case.status,
        open_referrals=sum(1 for r in case.referrals if r.deadline_state != "answered"),
        commitments=sum(1 for r in case.responses if r.kind == "commitment"),
        published=case.publication is not None,
    )
