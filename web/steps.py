"""Each step of a case's life on the web: who may take it, its form, its command.

A step's `perform` makes exactly one application call, with the version the
form was opened on, so a change made meanwhile by someone else is refused
(`ConcurrentChange`) instead of being overwritten.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from tracker.application import CaseTracker
from tracker.views import CaseView
from web import access
from web import case_forms as forms

Perform = Callable[[CaseTracker, CaseView, Any, str, int], object]


@dataclass(frozen=True)
class Step:
    """One step a case can take: its title, who may take it, how."""

    name: str
    title: LazyString
    permission: str
    form: type[forms.StepForm]
    # None where another page takes the step (a document's upload).
    perform: Perform | None


def fresh_form(step: Step, case: CaseView, tracker: CaseTracker) -> forms.StepForm:
    """A step's form as the case page first shows it."""
    form = step.form(formdata=None)
    form.offer(case, tracker)
    form.fill(case, tracker.clock())
    return form


def _uuid(text: str) -> UUID:
    return UUID(hex=text)


def _amend(
    t: CaseTracker, case: CaseView, f: forms.AmendForm, actor: str, v: int
) -> int:
    # The form holds every field; the domain keeps only those that change.
    changes = {
        "title": f.title.data,
        "description": f.description.data,
        "category": f.category.data,
        "communities": tuple(f.communities.data or ()),
        "raised_on": f.raised_on.data,
        "location": f.location.data or None,
    }
    return t.amend_case(
        case.case_id, actor=actor, reason=f.reason.data or "", changes=changes,
        expected_version=v,
    )  # fmt: skip


STEPS: dict[str, Step] = {
    step.name: step
    for step in (
        Step("accept", _l("Accept for advocacy"), access.TRIAGE, forms.AcceptForm,
             lambda t, c, f, a, v: t.accept_case(
                 c.case_id, actor=a, priority=f.priority.data, expected_version=v)),
        Step("decline", _l("Decline"), access.TRIAGE, forms.DeclineForm,
             lambda t, c, f, a, v: t.decline_case(
                 c.case_id, actor=a, reason=f.reason.data, expected_version=v)),
        Step("mark_duplicate", _l("Mark as duplicate"), access.TRIAGE,
             forms.DuplicateForm,
             lambda t, c, f, a, v: t.mark_duplicate(
                 c.case_id, actor=a,
                 duplicate_of=access.seen_case_id(f.duplicate_of.data.strip()),
                 expected_version=v)),
        Step("take_action", _l("Record an advocacy action"), access.ACT,
             forms.ActionForm,
             lambda t, c, f, a, v: t.take_action(
                 c.case_id, actor=a, kind=f.kind.data, taken_on=f.taken_on.data,
                 description=f.description.data,
                 communities=tuple(f.communities.data or ()),
                 signatures=f.signatures.data, expected_version=v)),
        Step("refer", _l("Refer to an institution"), access.REFER, forms.ReferForm,
             lambda t, c, f, a, v: t.refer_case(
                 c.case_id, actor=a, institution_kind=f.institution_kind.data,
                 institution_name=f.institution_name.data,
                 request_kind=f.request_kind.data, sent_on=f.sent_on.data,
                 expected_version=v)),
        Step("record_response", _l("Record a response"), access.RESPOND,
             forms.ResponseForm,
             lambda t, c, f, a, v: t.record_response(
                 c.case_id, _uuid(f.referral_id.data), actor=a,
                 received_on=f.received_on.data, kind=f.kind.data,
                 summary=f.summary.data, expected_version=v)),
        Step("follow_up", _l("Record a follow-up"), access.REFER, forms.FollowUpForm,
             lambda t, c, f, a, v: t.follow_up(
                 c.case_id, _uuid(f.referral_id.data), actor=a,
                 followed_up_on=f.followed_up_on.data, channel=f.channel.data,
                 note=f.note.data or "", expected_version=v)),
        Step("extend_deadline", _l("Extend a deadline"), access.REFER,
             forms.ExtendForm,
             lambda t, c, f, a, v: t.extend_deadline(
                 c.case_id, _uuid(f.referral_id.data), actor=a, due_on=f.due_on.data,
                 reason=f.reason.data, expected_version=v)),
        Step("verify_commitment", _l("Verify a commitment"), access.REFER,
             forms.VerifyForm,
             lambda t, c, f, a, v: t.verify_commitment(
                 c.case_id, _uuid(f.response_id.data), actor=a, status=f.status.data,
                 verified_on=f.verified_on.data, evidence=f.evidence.data,
                 expected_version=v)),
        Step("resolve", _l("Resolve"), access.RESOLVE, forms.ResolveForm,
             lambda t, c, f, a, v: t.resolve_case(
                 c.case_id, actor=a, outcome=f.outcome.data,
                 resolved_on=f.resolved_on.data, summary=f.summary.data,
                 expected_version=v)),
        Step("reopen", _l("Reopen"), access.RESOLVE, forms.ReopenForm,
             lambda t, c, f, a, v: t.reopen_case(
                 c.case_id, actor=a, reopened_on=f.reopened_on.data,
                 reason=f.reason.data, expected_version=v)),
        Step("amend", _l("Correct the case"), access.SUBMIT, forms.AmendForm, _amend),
        Step("translate", _l("Add a translation"), access.SUBMIT,
             forms.TranslateForm,
             lambda t, c, f, a, v: t.translate_case(
                 c.case_id, actor=a, language=f.language.data, title=f.title.data,
                 description=f.description.data, expected_version=v)),
        Step("add_note", _l("Add a note"), access.NOTE, forms.NoteForm,
             lambda t, c, f, a, v: t.add_note(
                 c.case_id, actor=a, text=f.text.data,
                 sensitive=bool(f.sensitive.data), expected_version=v)),
        Step("attach_document", _l("Attach a document"), access.NOTE,
             forms.DocumentForm, None),
        Step("publish", _l("Publish"), access.PUBLISH, forms.PublishForm,
             lambda t, c, f, a, v: t.publish_case(
                 c.case_id, actor=a, fields=tuple(f.fields.data or ()),
                 title=f.title.data, description=f.description.data,
                 expected_version=v)),
        Step("unpublish", _l("Take off the public portal"), access.PUBLISH,
             forms.UnpublishForm,
             lambda t, c, f, a, v: t.unpublish_case(
                 c.case_id, actor=a, reason=f.reason.data, expected_version=v)),
    )
}  # fmt: skip
