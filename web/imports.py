"""Importing a spreadsheet of cases on the web: the layout, the templates, the upload.

A secretary downloads the template, fills it (or adds the columns to the
sheet the forum keeps), checks it here, and imports it: every row lands, or
none does and each problem is listed with its line. The reading and the
rules are the tracker's (`tracker.importing`); this page only shows them.
"""

from __future__ import annotations

from flask import Blueprint, Response, render_template
from flask.typing import ResponseReturnValue
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, SubmitField

# types-WTForms predates 3.3, which brought SelectChoice.
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]
from wtforms.validators import Optional

from domain.reference import LANGUAGES
from tracker.import_columns import COLUMNS, ImportRefused
from tracker.import_sheet import read_sheet
from tracker.import_templates import template_csv, template_xlsx
from tracker.importing import ImportReport
from web import access
from web.form_base import Form
from web.services import services

imports = Blueprint("imports", __name__, url_prefix="/cases/import")

# What each column holds, in the reader's language (the CLI's help says it
# in English from the same layout; a test checks every column is here).
MEANINGS: dict[str, LazyString] = {
    "municipality": _l("The municipality's code (GRA) or its name in any language."),
    "title": _l("A short title of the issue."),
    "description": _l("What the community raised."),
    "category": _l("The category's code, from the list in the template."),
    "communities": _l("The communities raising it, as codes separated by ; or ,."),
    "raised_on": _l("The day it was raised: 2026-11-21, 21.11.2026 or 21/11/2026."),
    "location": _l("The village or place (optional)."),
    "language": _l(
        "The language of the text, one of %(codes)s (optional; sq if empty).",
        codes=", ".join(LANGUAGES),
    ),
    "submitter_name": _l("Who raised it (optional; personal data)."),
    "submitter_contact": _l("How to reach them (optional; personal data)."),
}

TEMPLATES = {
    "csv": (template_csv, "text/csv; charset=utf-8"),
    "xlsx": (
        template_xlsx,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
}

ENCODINGS = [
    SelectChoice("", _l("Recognise it (UTF-8 or UTF-16)")),
    SelectChoice("cp1250", _l("Windows Central European (cp1250)")),
    SelectChoice("cp1251", _l("Windows Cyrillic (cp1251)")),
]


class ImportForm(Form):
    """The spreadsheet, how its text is encoded, and whether only to check it."""

    file = FileField(_l("Spreadsheet (CSV or XLSX)"), validators=[FileRequired()])
    encoding = SelectField(
        _l("Encoding of a CSV file"), choices=ENCODINGS, validators=[Optional()]
    )
    check = SubmitField(_l("Check only"))
    land = SubmitField(_l("Import the cases"))


@imports.route("", methods=["GET", "POST"])
@access.requires(access.SUBMIT)
def import_page() -> ResponseReturnValue:
    """The layout, the templates, and the upload with its outcome."""
    form = ImportForm()
    report: ImportReport | None = None
    refusal: ImportRefused | None = None
    if form.validate_on_submit():
        upload = form.file.data
        try:
            sheet = read_sheet(
                upload.read(), filename=upload.filename or "",
                encoding=form.encoding.data or None,
            )  # fmt: skip
            report = services().tracker.import_cases(
                sheet, actor=current_user.username, dry_run=not form.land.data,
                municipalities=access.limited_to(),
            )  # fmt: skip
        except ImportRefused as refused:
            refusal = refused
    status = 422 if refusal is not None or form.errors else 200
    page = render_template(
        "cases/import.html", form=form, columns=COLUMNS, meanings=MEANINGS,
        report=report, refusal=refusal,
    )  # fmt: skip
    return page, status


@imports.route("/template.<file_format>")
@access.requires(access.SUBMIT)
def template(file_format: str) -> ResponseReturnValue:
    """The template to fill in, as CSV or XLSX."""
    if file_format not in TEMPLATES:
        return Response(status=404)
    make, media_type = TEMPLATES[file_format]
    return Response(
        make(),
        mimetype=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="cfpi-cases.{file_format}"'
        },
    )
