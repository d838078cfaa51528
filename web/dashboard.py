"""The dashboard: what needs the signed-in person's attention today."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue
from flask_login import login_required

from projections.case_queries import CaseFilter, find_cases, recent_cases
from projections.referral_queries import find_referrals
from web import access
from web.services import services

dashboard = Blueprint("dashboard", __name__)

SHOWN = 10


@dashboard.route("/")
@login_required
def home() -> ResponseReturnValue:
    """Open cases, referrals due this week, overdue ones, recent activity."""
    today = services().today()
    where = access.limited_to()
    with services().views.reading() as c:
        open_cases = find_cases(
            c, CaseFilter(municipalities=where, open=True), today=today, per_page=SHOWN
        )
        due = find_referrals(
            c, today=today, municipalities=where, open_only=True,
            due_by=today + timedelta(days=7), per_page=SHOWN,
        )  # fmt: skip
        overdue = find_referrals(
            c, today=today, municipalities=where, overdue_only=True, per_page=SHOWN
        )
        recent = recent_cases(c, municipalities=where, today=today, limit=SHOWN)
    return render_template(
        "dashboard.html", open_cases=open_cases, due=due, overdue=overdue,
        recent=recent, today=today,
    )  # fmt: skip
