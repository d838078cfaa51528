"""Text for a terminal: a case page with its timeline, and summary tables."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any
from uuid import UUID

from domain.reference import MUNICIPALITIES_BY_CODE
from tracker.views import CaseView, TimelineEntry


def summary_table(counts: dict[str, Counter[str]], statuses: Sequence[str]) -> str:
    """A municipality × status table, with totals, for the statuses in use."""
    used = [s for s in statuses if any(c[s] for c in counts.values())]
    header = ["municipality", *used, "total"]
    rows = [
        [MUNICIPALITIES_BY_CODE[code].en, *(str(c[s]) for s in used), str(c.total())]
        for code, c in sorted(counts.items())
    ]
    totals = Counter[str]()
    for c in counts.values():
        totals.update(c)
    rows.append(["all", *(str(totals[s]) for s in used), str(totals.total())])
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = [_row(header, widths), _row(["-" * w for w in widths], widths)]
    lines += [_row(r, widths) for r in rows]
    return "\n".join(lines)


def _row(cells: list[str], widths: list[int]) -> str:
    first = cells[0].ljust(widths[0])
    rest = (
        cell.rjust(width) for cell, width in zip(cells[1:], widths[1:], strict=True)
    )
    return "  ".join([first, *rest])


def case_page(view: CaseView, timeline: list[TimelineEntry]) -> str:
    """The case's state, then every event: when, who, what."""
    place = MUNICIPALITIES_BY_CODE[view.municipality]
    lines = [
        f"{view.reference}  {view.title}",
        f"  status        {view.status}"
        + (f" (priority {view.priority})" if view.priority else ""),
        f"  municipality  {place.sq} / {place.sr_latn} ({view.municipality})",
        f"  category      {view.category}",
        f"  communities   {', '.join(view.communities)}"
        + ("  [jointly raised]" if view.jointly_raised else ""),
        f"  raised on     {view.raised_on.isoformat()}"
        + (f" at {view.location}" if view.location else ""),
        f"  version       {view.version}",
        "",
        f"  {view.description}",
    ]
    for referral in view.referrals:
        lines.append(
            f"  referral to {referral.institution_name}: sent "
            f"{referral.sent_on}, due {referral.due_on} — {referral.deadline_state}"
        )
    lines += ["", "Timeline:"]
    for entry in timeline:
        lines.append(
            f"  {entry.version:>3}  {entry.recorded_at:%Y-%m-%d %H:%M}  "
            f"{entry.actor:<16} {entry.event}"
        )
        lines += [f"        {k}: {_plain(v)}" for k, v in entry.details.items()]
    return "\n".join(lines)


def _plain(value: Any) -> str:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return ", ".join(_plain(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}={_plain(v)}" for k, v in value.items())
    return str(value)
