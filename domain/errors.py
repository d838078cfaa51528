"""The base of every rule the domain enforces.

A command that breaks a rule raises one of these before any event is
triggered, so a rejected command records nothing. Each error names the field
it is about (when there is one) so the web and API layers can put the message
next to the right input.
"""

from __future__ import annotations


class DomainError(Exception):
    """A command broke a rule of the domain; nothing was recorded."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidValue(DomainError):
    """A value is not one the domain accepts (unknown code, empty text, ...)."""


class NegativeCount(InvalidValue):
    """A count (signatures, attendance) was below zero."""


class UnknownMunicipality(InvalidValue):
    """A municipality code is not one of Kosovo's 38 municipalities."""


class DateInFuture(InvalidValue):
    """A date of something that happened lies after today."""


def require_text(value: str, field: str, *, max_length: int = 20_000) -> str:
    """Return the text stripped, or raise if it is empty or too long."""
    if not isinstance(value, str):
        raise InvalidValue(f"{field} must be text", field=field)
    text = value.strip()
    if not text:
        raise InvalidValue(f"{field} must not be empty", field=field)
    if len(text) > max_length:
        raise InvalidValue(
            f"{field} is longer than {max_length} characters", field=field
        )
    return text


def require_choice(value: str, choices: tuple[str, ...], field: str) -> str:
    """Return the value if it is one of the allowed codes, else raise."""
    if value not in choices:
        raise InvalidValue(
            f"{field} must be one of: {', '.join(choices)} (got {value!r})",
            field=field,
        )
    return value


# No forum counts more people or signatures than Kosovo has; a larger number
# is a typing slip, and one past 2**63 could not even be kept in a view.
MAX_COUNT = 10_000_000


def require_count(value: int, field: str, *, most: int = MAX_COUNT) -> int:
    """Return a non-negative whole count up to `most`, else raise."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidValue(f"{field} must be a whole number", field=field)
    if value < 0:
        raise NegativeCount(f"{field} must not be negative", field=field)
    if value > most:
        raise InvalidValue(f"{field} must be at most {most:,}", field=field)
    return value
