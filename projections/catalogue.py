"""Every read model the tracker keeps, by name."""

from __future__ import annotations

from projections.cases import CasesView
from projections.view import View

VIEW_KINDS: tuple[type[View], ...] = (CasesView,)
