"""Reading a case for its page: the case, its history, what it may do next."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import abort

from domain.case_steps import next_steps
from domain.errors import InvalidValue
from tracker.errors import CaseNotFound
from tracker.views import CaseView, TimelineEntry, situation
from web import access
from web.services import services
from web.steps import STEPS, Step, fresh_form


@dataclass
class CasePage:
    """Everything the case page shows."""

    case: CaseView
    history: list[TimelineEntry]
    steps: list[Step]
    forms: dict[str, Any] = field(default_factory=dict)
    # Events recorded by others since the refused form was opened.
    changed_since: list[TimelineEntry] = field(default_factory=list)


def visible_case(reference: str) -> CaseView:
    """The case, if it exists and the signed-in person may see it (else 404)."""
    try:
        case = services().tracker.case(reference, on=services().today())
    except (CaseNotFound, InvalidValue):  # no such case, or no reference at all
        abort(404)
    access.require_municipality(case.municipality)
    return case


def allowed_steps(case: CaseView) -> list[Step]:
    """The steps the case's rules allow now and the person's role permits."""
    return [
        STEPS[name]
        for name in next_steps(situation(case))
        if name in STEPS and access.may(STEPS[name].permission)
    ]


def case_page(case: CaseView, submitted: dict[str, Any] | None = None) -> CasePage:
    """The case's page, with a fresh form per allowed step (or the one sent)."""
    tracker = services().tracker
    sent = submitted or {}
    page = CasePage(case, tracker.case_history(case.case_id), allowed_steps(case))
    for step in page.steps:
        page.forms[step.name] = sent.get(step.name) or fresh_form(step, case, tracker)
    # A form sent for a step no longer allowed is shown too, with its refusal:
    # what was typed is never lost.
    for name, form in sent.items():
        page.forms.setdefault(name, form)
    return page
