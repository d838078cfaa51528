"""The audit log: recording what a request did, and the admins' page to read it."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, SelectField, StringField
from wtforms.validators import Length, NumberRange, Optional, ValidationError

from domain.audit import AUDIT_KINDS
from projections.audit import AuditFilter, find_audit_entries
from web import access
from web.form_base import Form
from web.labels import choices
from web.services import services

audit = Blueprint("audit", __name__, url_prefix="/admin/audit")


def client_address() -> str | None:
    """The address this request came from, as the server saw it."""
    return request.remote_addr


def record(kind: str, *, actor: str, **details: str) -> None:
    """Add an entry to the audit log, with this request's address."""
    services().tracker.record_audit(
        kind, actor=actor, details=details, address=client_address()
    )


def tried(username: str) -> str:
    """A username as typed, folded as sign-in folds it, for the audit log."""
    return username.strip().casefold()[:40] or "-"


class AuditFilterForm(Form):
    """What the audit log is narrowed to (a GET form: the URL can be shared)."""

    class Meta:
        csrf = False

    kind = SelectField(_l("What happened"), default="")
    username = StringField(
        _l("Username (who acted, or whose account)"),
        validators=[Optional(), Length(max=100)],
    )
    since = DateField(_l("From (UTC day)"), validators=[Optional()])
    until = DateField(_l("To (UTC day)"), validators=[Optional()])
    page = IntegerField(validators=[Optional(), NumberRange(1, 100_000)], default=1)

    def offer(self) -> AuditFilterForm:
        """Fill the kinds in the reader's language."""
        self.kind.choices = [("", _l("Any")), *choices("audit_kinds", AUDIT_KINDS)]
        return self

    def validate_until(self, field: DateField) -> None:
        """The last day is not before the first."""
        first: date | None = self.since.data
        if first and field.data and field.data < first:
            raise ValidationError(_l("The last day is before the first."))

    def wanted(self) -> AuditFilter:
        """The filter the form describes."""
        return AuditFilter(
            kind=self.kind.data or None,
            username=(self.username.data or "").strip() or None,
            since=self.since.data,
            until=self.until.data,
        )


@audit.route("")
@access.requires(access.AUDIT)
def audit_log() -> ResponseReturnValue:
    """The audit log, newest first, filtered, one page at a time."""
    form = AuditFilterForm(formdata=request.args).offer()
    if not form.validate():
        return render_template("admin/audit.html", form=form, found=None), 422
    with services().views.reading() as c:
        found = find_audit_entries(c, form.wanted(), page=form.page.data or 1)
    return render_template("admin/audit.html", form=form, found=found)
