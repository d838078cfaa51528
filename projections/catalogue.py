"""Every read model the tracker keeps, by name."""

from __future__ import annotations

from projections.audit import AuditView
from projections.cases import CasesView
from projections.figures import FiguresView
from projections.meetings import MeetingsView
from projections.publications import PublicationsView
from projections.referrals import ReferralsView
from projections.search import SearchView
from projections.view import View

VIEW_KINDS: tuple[type[View], ...] = (
    CasesView,
    ReferralsView,
    MeetingsView,
    SearchView,
    FiguresView,
    PublicationsView,
    AuditView,
)
