"""What every request works with: the tracker, its views, sessions and clocks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from flask import current_app

from projections.views import Views
from tracker.application import CaseTracker
from tracker.config import Settings
from tracker.second_factor import SecondFactors
from web.sessions import ServerSessions


@dataclass(frozen=True)
class Services:
    """The application's parts, built once by `create_app`."""

    settings: Settings
    tracker: CaseTracker
    views: Views
    clock: Callable[[], date]
    sessions: ServerSessions
    second_factors: SecondFactors
    now: Callable[[], datetime]

    @property
    def documents(self) -> Path:
        """The folder where uploaded files are kept, by content hash."""
        return self.settings.home / "documents"

    def today(self) -> date:
        """Today, as the tracker's clock says (fixed in tests)."""
        return self.clock()


def services() -> Services:
    """The services of the application handling this request."""
    found: Services = current_app.extensions["cfpi"]
    return found
