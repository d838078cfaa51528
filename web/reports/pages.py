"""The accountability report's web page and its downloads, for signed-in staff.

The page is a GET form (the address can be shared): a year or any period,
one municipality or all of them (a secretary: only theirs), and the language
the report is made in, which need not be the reader's. The page's own words
stay in the reader's language; the report itself is in the one chosen.
"""

from __future__ import annotations

from datetime import date
from io import BytesIO
from typing import Any

from flask import Blueprint, render_template, request, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from wtforms import DateField, IntegerField, SelectField
from wtforms.validators import Optional

from domain.errors import InvalidValue
from domain.reference import MUNICIPALITIES_BY_CODE
from projections.accountability import (
    AccountabilityReport,
    IncompletePeriod,
    Period,
    default_year,
    read_report,
)
from tracker.store import EARLIEST_DAY
from web import access, i18n
from web.form_base import Form
from web.messages import message_for
from web.reports import wording
from web.reports.page import report_content
from web.reports.rendering import REPORT_FORMATS, in_language, report_file
from web.services import services

reports = Blueprint("reports", __name__, url_prefix="/reports")

# How a download link names its format (a CSV download is a ZIP of CSV files).
FORMAT_NAMES = {"csv": "CSV (ZIP)"}


class ReportForm(Form):
    """Which report: a year or any period, a municipality, the report's language."""

    class Meta:
        csrf = False

    year = IntegerField(_l("Year"), validators=[Optional()])
    start = DateField(_l("First day"), validators=[Optional()])
    end = DateField(_l("Last day"), validators=[Optional()])
    municipality = SelectField(_l("Municipality"))
    language = SelectField(_l("Language of the report"))

    def offer(self) -> ReportForm:
        """Fill the choices: the person's municipalities and the report languages."""
        every = [] if access.limited_to() else [("", str(wording.ALL_MUNICIPALITIES))]
        self.municipality.choices = every + [
            (code, i18n.municipality_name(code))
            for code in access.visible_municipalities()
        ]
        self.language.choices = list(i18n.LANGUAGES.items())
        return self


def report_form(args: MultiDict[str, str]) -> ReportForm:
    """The form as asked in the address, with the defaults for what is not asked.

    A municipality the person may not see answers 404, as everywhere.
    """
    code = args.get("municipality", "")
    if code in MUNICIPALITIES_BY_CODE:
        access.require_municipality(code)
    defaults: dict[str, Any] = {"language": i18n.language()}
    if not args.get("start") and not args.get("end"):
        defaults["year"] = default_year(services().today())
    visible = access.visible_municipalities()
    defaults["municipality"] = visible[0] if access.limited_to() and visible else ""
    return ReportForm(formdata=args, **defaults).offer()


def asked_period(form: ReportForm, today: date) -> Period | None:
    """The period the form asks for; None, with the reason beside its field, if none.

    The days, when either is given, win over the year (`Period.asked`).
    """
    if form.year.errors or form.start.errors or form.end.errors:
        return None
    try:
        return Period.asked(
            today=today,
            year=form.year.data,
            start=form.start.data,
            end=form.end.data,
        )
    except InvalidValue as refused:
        _refuse_period(form, refused, today)
        return None


def _refuse_period(form: ReportForm, refused: InvalidValue, today: date) -> None:
    """Say, beside its field, why the period cannot be reported on."""
    reasons = {
        "year": _l(
            "Choose a year from %(first)s to %(last)s.",
            first=EARLIEST_DAY.year,
            last=today.year,
        ),
        "start": _l(
            "The period must start between %(first)s and %(last)s.",
            first=i18n.day(EARLIEST_DAY),
            last=i18n.day(today),
        ),
        "end": _l("The period ends before it starts."),
    }
    field = getattr(form, refused.field or "", None)
    reason = (
        message_for(refused)  # its own message, whichever day is missing
        if isinstance(refused, IncompletePeriod)
        else reasons.get(refused.field or "")
    )
    if field is None or reason is None:
        form.form_errors.append(message_for(refused))
        return
    field.errors = [*field.errors, str(reason)]


def asked_report(
    args: MultiDict[str, str],
) -> tuple[ReportForm, AccountabilityReport | None]:
    """The form as asked, and its report (None if the form was refused)."""
    form = report_form(args)
    valid = form.validate()
    period = asked_period(form, services().today())
    if not valid or period is None:
        return form, None
    report = read_report(
        services().views, period, municipality=form.municipality.data or None
    )
    return form, report


@reports.route("/accountability")
@access.requires(access.READ)
def accountability() -> ResponseReturnValue:
    """The report page: the form, and the report asked for, in its language.

    Unless a period is asked for, the report is of `default_year`.
    """
    form, report = asked_report(request.args)
    return _page(form, report)


@reports.route("/accountability.<file_format>")
@access.requires(access.READ)
def accountability_file(file_format: str) -> ResponseReturnValue:
    """The report asked for as a file to save: HTML, PDF, XLSX, CSV or JSON."""
    if file_format not in REPORT_FORMATS:
        form = report_form(request.args)
        form.validate()
        form.form_errors.append(_unknown_format(file_format))
        return _page(form, None)
    form, report = asked_report(request.args)
    if report is None:
        return _page(form, None)
    made = report_file(report, file_format=file_format, language=form.language.data)
    return send_file(
        BytesIO(made.content),
        mimetype=made.media_type,
        as_attachment=True,
        download_name=made.filename,
    )


def _unknown_format(file_format: str) -> str:
    return str(
        _l(
            "There is no download as “%(format)s”: choose one of %(formats)s.",
            format=file_format,
            formats=", ".join(_format_name(f) for f in REPORT_FORMATS),
        )
    )


def _page(form: ReportForm, report: AccountabilityReport | None) -> ResponseReturnValue:
    """The page with the form kept as sent; 400 with the reasons if it was refused."""
    if report is None:
        page = render_template(
            "reports/accountability.html", form=form, refusals=_refusals(form)
        )
        return page, 400
    with in_language(form.language.data or i18n.language()):
        content = report_content(report, case_link=_case_link)
    return render_template(
        "reports/accountability.html",
        form=form,
        refusals=[],
        content=content,
        downloads=_downloads(form),
    )


def _refusals(form: ReportForm) -> list[tuple[str, str]]:
    """Each reason the form was refused, with the name of its field."""
    by_field = [(str(f.label.text), str(e)) for f in form for e in f.errors]
    return by_field + [("", str(e)) for e in form.form_errors]


def _case_link(reference: str) -> str:
    return url_for("cases.case", reference=reference)


def _downloads(form: ReportForm) -> list[tuple[str, str]]:
    """Each format's name and the address of the same report in it."""
    asked: dict[str, Any] = {
        "municipality": form.municipality.data or "",
        "language": form.language.data or "",
    }
    if form.start.data and form.end.data:
        asked |= {
            "start": form.start.data.isoformat(),
            "end": form.end.data.isoformat(),
        }
    else:
        year = form.year.data
        asked["year"] = str(default_year(services().today()) if year is None else year)
    return [
        (
            _format_name(f),
            url_for("reports.accountability_file", file_format=f, **asked),
        )
        for f in REPORT_FORMATS
    ]


def _format_name(file_format: str) -> str:
    return FORMAT_NAMES.get(file_format, file_format.upper())
