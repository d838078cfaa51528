"""The case list: filters and search read from the projections."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from wtforms import BooleanField, IntegerField, SearchField, SelectField
from wtforms.validators import NumberRange, Optional

from domain.reference import CATEGORIES, COMMUNITIES, STATUSES
from projections.case_queries import CaseFilter, CaseRow, find_cases
from projections.datastore import Cursor
from projections.search import SearchHit, search_cases
from web import access
from web.form_base import Form
from web.i18n import municipality_name
from web.labels import choices
from web.services import services

_ANY = [("", _l("Any"))]
SEARCH_LIMIT = 100


class CaseListFilter(Form):
    """What the list is narrowed to (a GET form: the URL can be shared)."""

    class Meta:
        csrf = False

    q = SearchField(_l("Search text or reference"))
    municipality = SelectField(_l("Municipality"), default="")
    status = SelectField(_l("Status"), default="")
    category = SelectField(_l("Category"), default="")
    community = SelectField(_l("Community"), default="")
    year = IntegerField(
        _l("Year raised"), validators=[Optional(), NumberRange(1990, 2100)]
    )
    overdue = BooleanField(_l("Only with an overdue referral"))
    page = IntegerField(validators=[Optional(), NumberRange(1, 100_000)], default=1)

    def offer(self, municipalities: tuple[str, ...]) -> CaseListFilter:
        """Fill the choices in the reader's language."""
        self.municipality.choices = [
            *_ANY,
            *((code, municipality_name(code)) for code in municipalities),
        ]
        self.status.choices = [*_ANY, *choices("statuses", STATUSES)]
        self.category.choices = [*_ANY, *choices("categories", CATEGORIES)]
        self.community.choices = [*_ANY, *choices("communities", COMMUNITIES)]
        return self


def list_page(args: MultiDict[str, str]) -> dict[str, Any]:
    """What the case list page shows for these query arguments."""
    form = CaseListFilter(formdata=args).offer(access.visible_municipalities())
    if not form.validate():
        return {"form": form, "found": None, "hits": None}
    wanted = CaseFilter(
        municipalities=_municipalities(form.municipality.data),
        status=form.status.data or None,
        category=form.category.data or None,
        community=form.community.data or None,
        year=form.year.data,
        overdue=True if form.overdue.data else None,
    )
    today = services().today()
    with services().views.reading() as c:
        if form.q.data and form.q.data.strip():
            return {"form": form, "found": None, "hits": _hits(c, form.q.data, wanted)}
        found = find_cases(c, wanted, today=today, page=form.page.data or 1)
    return {"form": form, "found": found, "hits": None}


def _municipalities(chosen: str | None) -> tuple[str, ...]:
    if chosen:
        return (chosen,)
    return access.limited_to()


def _hits(c: Cursor, text: str, wanted: CaseFilter) -> list[tuple[SearchHit, CaseRow]]:
    """The best matches of a search that pass the list's own filters, best first."""
    hits = {hit.case_id: hit for hit in search_cases(c, text, limit=SEARCH_LIMIT)}
    if not hits:
        return []
    rows = find_cases(
        c, replace(wanted, case_ids=tuple(hits)), today=services().today(),
        per_page=SEARCH_LIMIT,
    ).rows  # fmt: skip
    return sorted(
        ((hits[row.case_id], row) for row in rows), key=lambda pair: pair[0].rank
    )
