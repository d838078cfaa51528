"""Published cases on the portal: the list's filters, one page, a step's words.

The filters are checked against the reference data: an unknown code or a
page number that is not one is refused with the reason beside the filter
(400), a page past the last answers 404. Filtering on a field matches only
cases where that field is published (`projections.publication_queries`).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from wtforms import IntegerField, SelectField
from wtforms.validators import NumberRange, Optional

from domain.reference import CATEGORIES, MUNICIPALITIES, STATUSES
from projections.paging import Page
from projections.publication_queries import (
    PublicationFilter,
    PublishedCase,
    Step,
    find_published,
)
from web.form_base import Form
from web.i18n import municipality_name
from web.labels import choices, label
from web.services import services

# The label group (`web.labels`) of each kind of step that has a kind.
STEP_KINDS: dict[str, str] = {
    "AdvocacyActionTaken": "advocacy_action_kinds",
    "Referred": "institution_kinds",
    "FollowedUp": "follow_up_channels",
    "ResponseReceived": "response_kinds",
    "CommitmentVerified": "commitment_statuses",
    "Resolved": "outcomes",
}
LAST_PAGE = 100_000


class PublishedFilter(Form):
    """What the list of published cases is narrowed to (GET: the URL can be shared)."""

    class Meta:
        csrf = False

    municipality = SelectField(_l("Municipality"), default="")
    category = SelectField(_l("Category"), default="")
    status = SelectField(_l("Status"), default="")
    page = IntegerField(
        _l("Page"), validators=[Optional(), NumberRange(1, LAST_PAGE)], default=1
    )

    def offer(self) -> PublishedFilter:
        """Fill the choices in the reader's language."""
        anything = [("", _l("Any"))]
        self.municipality.choices = [
            *anything,
            *((m.code, municipality_name(m.code)) for m in MUNICIPALITIES),
        ]
        self.category.choices = [*anything, *choices("categories", CATEGORIES)]
        self.status.choices = [*anything, *choices("statuses", STATUSES)]
        return self


@dataclass(frozen=True)
class PublishedList:
    """What the list page shows: the filters, a page of cases, or why not."""

    form: PublishedFilter
    found: Page[PublishedCase] | None
    status: int = 200
    problem: LazyString | None = None


def published_list(args: MultiDict[str, str]) -> PublishedList:
    """The published cases these query arguments ask for, one page."""
    form = PublishedFilter(formdata=args).offer()
    if not form.validate():
        return PublishedList(form, None, 400, _l("Check the filters below."))
    wanted = PublicationFilter(
        municipalities=_one(form.municipality.data),
        categories=_one(form.category.data),
        statuses=_one(form.status.data),
    )
    with services().views.reading() as c:
        found = find_published(c, wanted, page=form.page.data or 1)
    if found.page > found.pages:
        problem = _l(
            "There is no page %(page)s: the list has %(pages)s.",
            page=found.page,
            pages=found.pages,
        )
        return PublishedList(form, None, 404, problem)
    return PublishedList(form, found)


def _one(chosen: str | None) -> tuple[str, ...]:
    return (chosen,) if chosen else ()


def step_kind(step: Step) -> str:
    """The words for a step's kind (of action, response, ...); "" if it has none."""
    group = STEP_KINDS.get(step.step)
    return label(group, step.kind) if group else ""
