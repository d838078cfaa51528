"""The forms of a case's life: one per step, fields named as the domain names them.

Field names are the domain's own (``sent_on``, ``referral_id``), so a
refusal that names a field lands next to that input. Choices are filled in
per request, in the reader's language (`web.labels`).
"""

from __future__ import annotations

import re
from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    FileField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)

from domain.reference import (
    ADVOCACY_ACTION_KINDS,
    CATEGORIES,
    COMMITMENT_STATUSES,
    COMMUNITIES,
    FOLLOW_UP_CHANNELS,
    INSTITUTION_KINDS,
    LANGUAGES,
    OUTCOMES,
    PRIORITIES,
    PUBLISHABLE_FIELDS,
    RESPONSE_KINDS,
)
from tracker.application import CaseTracker
from tracker.views import CaseView
from web.form_base import Count, Form, MultiCheckboxField
from web.i18n import day
from web.labels import choices

TITLE = 300
TEXT = 20_000


def _required() -> list[object]:
    return [DataRequired()]


# The version a page gave its form: digits, and one the case has reached (a
# later one would be refused as "changed meanwhile" with no change to show).
_VERSION = re.compile(r"[0-9]{1,9}")
_EXPIRED = _l("This form has expired. Reload the page and send it again.")


class StepForm(Form):
    """Every step carries the case version it was opened on."""

    version = HiddenField()
    # The case's version now, once `offer` was told the case.
    current: int | None = None

    def offer(self, case: CaseView, tracker: CaseTracker) -> None:
        """Fill the choices for this case, in the reader's language."""
        self.current = case.version
        self.offer_choices(case, tracker)

    def offer_choices(self, case: CaseView, tracker: CaseTracker) -> None:
        """The step's own choices (none here)."""

    def validate_version(self, field: HiddenField) -> None:
        """A version the page could have given (none stands for the current one)."""
        typed = field.data or ""
        if typed and not (
            _VERSION.fullmatch(typed)
            and (self.current is None or int(typed) <= self.current)
        ):
            raise ValidationError(_EXPIRED)

    def fill(self, case: CaseView, today: date) -> None:
        """A fresh form's starting values: the case's version, and today's date."""
        self.version.data = str(case.version)
        for field in self:
            if isinstance(field, DateField) and field.data is None:
                field.data = today


def open_referrals(case: CaseView) -> list[tuple[str, str]]:
    """The referrals still waiting for an answer, as a select's options."""
    return [
        (
            r.referral_id.hex,
            f"{r.institution_name} · {day(r.sent_on)} → {day(r.due_on)}",
        )
        for r in case.referrals
        if r.deadline_state != "answered"
    ]


def commitments(case: CaseView) -> list[tuple[str, str]]:
    """The commitments an institution made, as a select's options."""
    return [
        (r.response_id.hex, f"{day(r.received_on)} · {r.summary[:60]}")
        for r in case.responses
        if r.kind == "commitment"
    ]


class NewCaseForm(Form):
    """A community issue, as a secretary logs it."""

    municipality = SelectField(_l("Municipality"), validators=_required())
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=TITLE)])
    description = TextAreaField(
        _l("Description"), validators=[DataRequired(), Length(max=TEXT)]
    )
    category = SelectField(_l("Category"), validators=_required())
    communities = MultiCheckboxField(
        _l("Communities raising it"), validators=_required()
    )
    raised_on = DateField(_l("Raised on"), validators=[InputRequired()])
    language = SelectField(_l("Language of the text"), validators=_required())
    location = StringField(_l("Location or village"), validators=[Length(max=200)])
    meeting = HiddenField()
    submitter_name = StringField(
        _l("Submitter's name (personal data)"), validators=[Length(max=200)]
    )
    submitter_contact = StringField(
        _l("Submitter's contact (personal data)"), validators=[Length(max=200)]
    )

    def offer(self, municipalities: list[tuple[str, str]]) -> NewCaseForm:
        """Fill the choices, in the reader's language."""
        self.municipality.choices = municipalities
        self.category.choices = choices("categories", CATEGORIES)
        self.communities.choices = choices("communities", COMMUNITIES)
        self.language.choices = choices("languages", LANGUAGES)
        return self


class AcceptForm(StepForm):
    priority = SelectField(_l("Priority"), default="normal")

    def offer_choices(self, case: CaseView, tracker: CaseTracker) -> None:
        self.priority.choices = choices("priorities", PRIORITIES)


class DeclineForm(StepForm):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=TEXT)])


class DuplicateForm(StepForm):
    duplicate_of = StringField(
        _l("Reference of the case it duplicates"),
        validators=[DataRequired(), Length(max=40)],
    )


class ActionForm(StepForm):
    kind = SelectField(_l("Kind of action"))
    taken_on = DateField(_l("Date"), validators=[InputRequired()])
    description = TextAreaField(
        _l("What was done"), validators=[DataRequired(), Length(max=TEXT)]
    )
    communities = MultiCheckboxField(_l("Communities taking part"))
    signatures = Count(_l("Signatures (for a petition)"), validators=[Optional()])

    def offer_choices(self, case: CaseView, tracker: CaseTracker) -> None:
        self.kind.choices = choices("advocacy_action_kinds", ADVOCACY_ACTION_KINDS)
        self.communities.choices = choices("communities", COMMUNITIES)


class ReferForm(StepForm):
    institution_kind = SelectField(_l("Institution"))
    institution_name = StringField(
        _l("Name of the institution or office"),
        validators=[DataRequired(), Length(max=300)],
    )
    request_kind = SelectField(_l("Kind of request"))
    sent_on = DateField(_l("Sent on"), validators=[InputRequired()])

    def offer_choices(self, case: CaseView, tracker: CaseTracker) -> None:
        self.institution_kind.choices = choices("institution_kinds", INSTITUTION_KINDS)
        self.request_kind.choices = choices(
            "request_kinds", tuple(tracker.deadline_rules)
        )


class ResponseForm(StepForm):
    referral_id = SelectField(_l("Referral"))
    received_on = DateField(_l("Received on"), validators=[InputRequired()])
    kind = SelectField(_l("Kind of response"))
    summary = TextAreaField(
        _l("What the institution answered"),
        validators=[DataRequired(), Length(max=TEXT)],
    )

    def offer_choices(self, case: CaseView, tracker: CaseTracker) -> None:
        self.referral_id.choices = open_referrals(case)
        self.kind.choices = choices("response_kinds", RESPONSE_KINDS)


class FollowUpForm(StepForm):
    referral_id = SelectField(_l("Referral"))
    followed_up_on = DateField(_l("Date"), validators=[InputRequired()])
    channel = SelectField(_l("Channel"))
    note = TextAreaField(_l("Note"), validators=[Length(max=TEXT)])

    def offer_choices(self, case: CaseView, tracker: CaseTracker) -> None:
        self.referral_id.choices = open_referrals(case)
        self.channel.choices = choices("follow_up_channels", FOLLOW_UP_CHANNELS)


class ExtendForm(StepForm):
    referral_id = SelectField(_l("Referral"))
    due_on = DateField(_l("New due date"), validators=[InputRequired()])
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=TEXT)])

    def offer_choices(self, case: CaseView, tracker: CaseTracker) -> None:
        self.referral_id.choices = open_referrals(case)


class VerifyForm(StepForm):
    response_id = SelectField(_l("Commitment"))
    status = SelectField(_l("Was it kept?"))
    verified_on = DateField(_l("Checked on"), validators=[InputRequired()])
    evidence = TextAreaField(
        _l("Evidence"), validators=[DataRequired(), Length(max=TEXT)]
    )

    def offer_choices(self, case: CaseView, tracker: CaseTracker) -> None:
        self.response_id.choices = commitments(case)
        self.status.choices = choices("commitment_statuses", COMMITMENT_STATUSES)


class ResolveForm(StepForm):
    outcome = SelectField(_l("Outcome"))
    resolved_on = DateField(_l("Date"), validators=[InputRequired()])
    summary = TextAreaField(
        _l("Summary"), validators=[DataRequired(), Length(max=TEXT)]
    )

    def offer_choices(self, case: CaseView, tracker: CaseTracker) -> None:
        self.outcome.choices = choices("outcomes", OUTCOMES)


class ReopenForm(StepForm):
    reopened_on = DateField(_l("Date"), validators=[InputRequired()])
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=TEXT)])


class AmendForm(StepForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=TITLE)])
    description = TextAreaField(
        _l("Description"), validators=[DataRequired(), Length(max=TEXT)]
    )
    category = SelectField(_l("Category"))
    communities = MultiCheckboxField(
        _l("Communities raising it"), validators=_required()
    )
    raised_on = DateField(_l("Raised on"), validators=[InputRequired()])
    location = StringField(_l("Location or village"), validators=[Length(max=200)])
    reason = TextAreaField(
        _l("Reason for the change"), validators=[DataRequired(), Length(max=TEXT)]
    )

    def fill(self, case: CaseView, today: date) -> None:
        """Start from the case as it stands: only what is changed is amended."""
        self.title.data = case.title
        self.description.data = case.description
        self.category.data = case.category
        self.communities.data = list(case.communities)
        self.raised_on.data = case.raised_on
        self.location.data = case.location or ""
        super().fill(case, today)

    def offer_choices(self, case: CaseView, tracker: CaseTracker) -> None:
        self.category.choices = choices("categories", CATEGORIES)
        self.communities.choices = choices("communities", COMMUNITIES)


class TranslateForm(StepForm):
    language = SelectField(_l("Language"))
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=TITLE)])
    description = TextAreaField(
        _l("Description"), validators=[DataRequired(), Length(max=TEXT)]
    )

    def offer_choices(self, case: CaseView, tracker: CaseTracker) -> None:
        self.language.choices = choices("languages", LANGUAGES)


class NoteForm(StepForm):
    text = TextAreaField(_l("Note"), validators=[DataRequired(), Length(max=TEXT)])
    sensitive = BooleanField(
        _l("Sensitive: about what happened to a person (e.g. violence at home)")
    )


class DocumentForm(StepForm):
    file = FileField(_l("File (PDF, image, office document or text; up to 10 MB)"))


class PublishForm(StepForm):
    fields = MultiCheckboxField(_l("Fields to publish"), validators=_required())
    title = StringField(
        _l("Public title (redacted)"), validators=[DataRequired(), Length(max=TITLE)]
    )
    description = TextAreaField(
        _l("Public description (redacted: no names, no personal data)"),
        validators=[DataRequired(), Length(max=TEXT)],
    )

    def offer_choices(self, case: CaseView, tracker: CaseTracker) -> None:
        self.fields.choices = choices("publishable_fields", PUBLISHABLE_FIELDS)


class UnpublishForm(StepForm):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=TEXT)])
