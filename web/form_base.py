"""The base of every form: CSRF from Flask-WTF, messages in our catalogs.

WTForms ships no Albanian catalog, so its own messages are translated here,
through the same catalogs as every other string of the interface.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectMultipleField, widgets

# WTForms' English messages (the ones our fields can produce), in our words.
_WTFORMS_MESSAGES = {
    "This field is required.": _l("This field is required."),
    "Not a valid date value.": _l("Enter a date (day, month and year)."),
    "Not a valid integer value.": _l("Enter a whole number."),
    "Not a valid choice.": _l("Choose one of the options."),
    "'%(value)s' is not a valid choice for this field.": _l(
        "Choose one of the options."
    ),
    "Number must be at least %(min)s.": _l("The number must be at least %(min)s."),
    "Number must be at most %(max)s.": _l("The number must be at most %(max)s."),
    "Number must be between %(min)s and %(max)s.": _l(
        "The number must be between %(min)s and %(max)s."
    ),
    "Field cannot be longer than %(max)d characters.": _l(
        "This is longer than %(max)d characters."
    ),
    "Field cannot be longer than %(max)d character.": _l(
        "This is longer than %(max)d characters."
    ),
    "The CSRF token is missing.": _l(
        "This form has expired. Reload the page and send it again."
    ),
    "The CSRF token is invalid.": _l(
        "This form has expired. Reload the page and send it again."
    ),
    "The CSRF token has expired.": _l(
        "This form has expired. Reload the page and send it again."
    ),
    "The CSRF tokens do not match.": _l(
        "This form has expired. Reload the page and send it again."
    ),
}


class _Messages:
    """WTForms asks this for its messages; we answer from our catalogs."""

    def gettext(self, text: str) -> str:
        known = _WTFORMS_MESSAGES.get(text)
        # Keep %(min)s-style placeholders: WTForms fills them in afterwards.
        return str(known) if known is not None else gettext(text)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.gettext(singular if n == 1 else plural)


# A character no store keeps: PostgreSQL refuses NUL in text, so no view
# could ever apply an event carrying one, nor any event after it. No person
# types it (it comes with a paste or a script): the plain refusal says enough.
_UNKEPT = "\x00"
_UNKEPT_MESSAGE = _l("This value is not accepted.")


class Form(FlaskForm):
    """A form with CSRF protection whose messages are in the reader's language."""

    class Meta:
        def get_translations(self, form: Any) -> _Messages:
            return _Messages()

    def validate(self, extra_validators: Any = None) -> bool:
        """Each field's own checks; and no field holds a character no store keeps."""
        valid = bool(super().validate(extra_validators))
        for field in self:
            if any(_UNKEPT in _typed(value) for value in field.raw_data or ()):
                field.errors = [*field.errors, str(_UNKEPT_MESSAGE)]
                valid = False
        return valid


def _typed(value: object) -> str:
    """What was typed or chosen: a text, or an uploaded file's name."""
    return value if isinstance(value, str) else str(getattr(value, "filename", ""))


class Count(IntegerField):
    """A whole number typed with a numeric keypad on a phone."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        render_kw = kwargs.pop("render_kw", {}) or {}
        render_kw.setdefault("inputmode", "numeric")
        render_kw.setdefault("min", 0)
        super().__init__(*args, render_kw=render_kw, **kwargs)


class MultiCheckboxField(SelectMultipleField):
    """Several choices as checkboxes: usable on a phone, without JavaScript."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def required_day(field: DateField) -> date:
    """A date field's value once `InputRequired` has passed."""
    if field.data is None:
        raise ValueError(f"{field.name} has no date: validate the form first")
    return field.data
