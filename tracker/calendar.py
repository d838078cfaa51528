"""Kosovo's public holidays, from the `holidays` package (country "XK")."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import lru_cache
from types import MappingProxyType

import holidays

# The package's own language codes for Kosovo; it has no Cyrillic Serbian, so
# both Serbian scripts get its (Latin) Serbian names.
_PACKAGE_LANGUAGES: Mapping[str, str] = MappingProxyType(
    {
        "sq": "sq",
        "sr": "sr",
        "sr-Latn": "sr",
        "sr-Cyrl": "sr",
        "en": "en_US",
        "en-US": "en_US",
        "tr": "tr",
    }
)


@lru_cache(maxsize=128)
def _kosovo_holidays(year: int, language: str) -> Mapping[date, str]:
    named = holidays.country_holidays("XK", years=year, language=language)
    return MappingProxyType(dict(named))


class KosovoHolidays:
    """Kosovo's public holidays, observed days included, for any year asked."""

    def __init__(self) -> None:
        self._by_year: dict[int, frozenset[date]] = {}

    def is_holiday(self, day: date) -> bool:
        """Tell whether `day` is a public holiday in Kosovo."""
        return day in self._holidays_in(day.year)

    def _holidays_in(self, year: int) -> frozenset[date]:
        # Two threads may both compute a missing year; they get equal sets and
        # a dict assignment is atomic, so no lock is needed.
        days = self._by_year.get(year)
        if days is None:
            days = frozenset(_kosovo_holidays(year, "en_US"))
            self._by_year[year] = days
        return days


def holiday_name(day: date, language: str = "en") -> str | None:
    """Return the name of the holiday on `day` in `language`, or None."""
    package_language = _PACKAGE_LANGUAGES.get(language.replace("_", "-"), "en_US")
    return _kosovo_holidays(day.year, package_language).get(day)
