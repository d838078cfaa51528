"""What a civic tool asked the Open311 endpoints for, checked.

Each function reads one parameter (or a few that go together) and gives it
as our own values, or raises `Open311Error` (400, 404) saying what is wrong,
so a bad parameter never gets further than this module.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from werkzeug.datastructures import MultiDict

from domain.case_rules import CLOSED_STATUSES
from domain.reference import CATEGORIES, MUNICIPALITIES_BY_CODE, STATUSES
from projections.publication_queries import MAX_PUBLISHED_PER_PAGE, PublicationFilter
from web.i18n import language, matching_language

# Kosovo's time: the dates users enter are days there.
KOSOVO = ZoneInfo("Europe/Belgrade")
FORMATS = ("json", "xml")
# The ids one request may ask for at once, and the furthest page.
MOST_IDS = MAX_PUBLISHED_PER_PAGE
LAST_PAGE = 1_000_000
# Open311's two statuses, as the statuses of our cases.
STATUS_GROUPS: dict[str, tuple[str, ...]] = {
    "open": tuple(s for s in STATUSES if s not in CLOSED_STATUSES),
    "closed": CLOSED_STATUSES,
}
# A "+" in a query string that was not encoded arrives as a space.
_UNENCODED_OFFSET = re.compile(r" (\d\d(:?\d\d)?)$")

Args = MultiDict[str, str]


class Open311Error(Exception):
    """A request the endpoints cannot answer, with Open311's code and words."""

    def __init__(self, code: int, description: str) -> None:
        super().__init__(description)
        self.code = code
        self.description = description


def asked_format(fmt: str) -> str:
    """The format an endpoint's extension asks for: json or xml, else 404."""
    if fmt not in FORMATS:
        raise Open311Error(404, "The format must be json or xml.")
    return fmt


def asked_language(args: Args) -> str:
    """The ``locale`` asked for (sq, sr_Latn, sr_Cyrl, en), else the reader's."""
    asked = args.get("locale")
    if not asked:
        return language()
    matched = matching_language(asked)
    if matched is None:
        raise Open311Error(400, "locale must be one of sq, sr_Latn, sr_Cyrl, en.")
    return matched


def asked_jurisdiction(args: Args) -> tuple[str, ...]:
    """The municipality ``jurisdiction_id`` names by its code (none: all of them)."""
    asked = args.get("jurisdiction_id", "").strip().upper()
    if not asked:
        return ()
    if asked not in MUNICIPALITIES_BY_CODE:
        raise Open311Error(400, "jurisdiction_id must be a municipality's code.")
    return (asked,)


def asked_requests(args: Args) -> PublicationFilter:
    """The published cases the filters ask for.

    As the specification says, ``service_request_id`` overrides every other
    filter; the others are still checked.
    """
    start, end = _moment(args, "start_date"), _moment(args, "end_date")
    if start and end and start > end:
        raise Open311Error(400, "start_date must not be after end_date.")
    wanted = PublicationFilter(
        municipalities=asked_jurisdiction(args),
        categories=_codes(args, "service_code", CATEGORIES),
        statuses=tuple(
            status
            for group in _codes(args, "status", tuple(STATUS_GROUPS))
            for status in STATUS_GROUPS[group]
        ),
        raised_from=_first_day(start),
        raised_until=_last_day(end),
    )
    references = _listed(args, "service_request_id")
    if len(references) > MOST_IDS:
        raise Open311Error(400, f"Ask for at most {MOST_IDS} service_request_id.")
    return PublicationFilter(references=references) if references else wanted


def asked_page(args: Args) -> tuple[int, int]:
    """The page (from 1) and the page size (up to 1000, the default) asked for."""
    return (
        _whole(args, "page", 1, LAST_PAGE),
        _whole(args, "page_size", MAX_PUBLISHED_PER_PAGE, MAX_PUBLISHED_PER_PAGE),
    )


def _listed(args: Args, name: str) -> tuple[str, ...]:
    """A comma-separated parameter's values, however often it is given."""
    return tuple(
        dict.fromkeys(
            value.strip()
            for given in args.getlist(name)
            for value in given.split(",")
            if value.strip()
        )
    )


def _codes(args: Args, name: str, known: tuple[str, ...]) -> tuple[str, ...]:
    codes = _listed(args, name)
    if any(code not in known for code in codes):
        raise Open311Error(400, f"{name} must be one of: {', '.join(known)}.")
    return codes


def _whole(args: Args, name: str, default: int, most: int) -> int:
    given = args.get(name, "").strip()
    if not given:
        return default
    try:
        number = int(given)
    except ValueError:
        number = 0
    if not 1 <= number <= most:
        raise Open311Error(400, f"{name} must be a whole number from 1 to {most}.")
    return number


def _moment(args: Args, name: str) -> datetime | None:
    """An ISO 8601 date or date and time, in Kosovo's time (the default offset)."""
    given = args.get(name, "").strip()
    if not given:
        return None
    try:
        moment = datetime.fromisoformat(_UNENCODED_OFFSET.sub(r"+\1", given))
        return (
            moment.astimezone(KOSOVO)
            if moment.tzinfo
            else moment.replace(tzinfo=KOSOVO)
        )
    except (ValueError, OverflowError):
        raise Open311Error(
            400,
            f"{name} must be an ISO 8601 date and time, "
            "such as 2025-03-01T00:00:00+01:00.",
        ) from None


def _first_day(moment: datetime | None) -> date | None:
    """The first day whose start (a request's time) is not before the moment."""
    if moment is None:
        return None
    day = moment.date()
    if moment.time() == time() or day == date.max:
        return day
    return day + timedelta(days=1)


def _last_day(moment: datetime | None) -> date | None:
    """The last day whose start is not after the moment."""
    return None if moment is None else moment.date()
