"""Languages: Albanian, Serbian (Latin and Cyrillic) and English.

The language is the one chosen with the switcher (kept in a cookie for a
year), else the best match of the browser's Accept-Language, else Albanian.
Dates and numbers follow the language's conventions (Babel's CLDR data);
municipality names are the official ones in that language.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

from babel import dates
from flask import Blueprint, Flask, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import Babel, format_datetime, format_decimal, get_locale

from domain.reference import municipality
from web.paths import local_path

# Locale tags as Babel names them; the catalogs live in web/translations/<tag>.
LANGUAGES: dict[str, str] = {
    "sq": "Shqip",
    "sr_Latn": "Srpski",
    "sr_Cyrl": "Српски",
    "en": "English",
}
DEFAULT_LANGUAGE = "sq"
COOKIE = "language"
COOKIE_SECONDS = 365 * 24 * 3600

blueprint = Blueprint("i18n", __name__)


def select_language() -> str:
    """The language of this request's pages."""
    chosen = request.cookies.get(COOKIE)
    if chosen in LANGUAGES:
        return chosen
    for tag, _quality in request.accept_languages:
        matched = matching_language(tag)
        if matched is not None:
            return matched
    return DEFAULT_LANGUAGE


def matching_language(tag: str) -> str | None:
    """The language of ours a tag asks for ("sr-Latn", "en-GB", "sq"), if any."""
    # Tags come as "sr", "sr-Latn" or "sr-Cyrl"; plain Serbian is written in
    # both scripts, and the forums use Latin more.
    offered = {"sr": "sr_Latn", "sr-latn": "sr_Latn", "sr-cyrl": "sr_Cyrl"}
    tag = tag.lower().replace("_", "-")
    if tag in offered:
        return offered[tag]
    base = tag.split("-")[0]
    if base in LANGUAGES:
        return base
    return "sr_Latn" if base == "sr" else None


def language() -> str:
    """This request's language tag (``sq``, ``sr_Latn``, ``sr_Cyrl``, ``en``)."""
    return str(get_locale() or DEFAULT_LANGUAGE)


def html_lang() -> str:
    """The language as HTML's ``lang`` attribute wants it (BCP 47)."""
    return language().replace("_", "-")


def municipality_name(code: str) -> str:
    """The municipality's official name in this request's language."""
    return municipality(code).name(language())


def day(value: date | str | None) -> str:
    """A date as people write it in this language."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return _day_in(language(), value)


@lru_cache(maxsize=8192)
def _day_in(tag: str, value: date) -> str:
    # CLDR formatting is slow and a list shows the same days again and again.
    return str(dates.format_date(value, "medium", locale=tag))


def moment(value: datetime | str | None) -> str:
    """A date and time as people write it in this language."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return str(format_datetime(value, "short"))


def number(value: int | float) -> str:
    """A number with this language's separators."""
    return str(format_decimal(value))


@blueprint.route("/language/<tag>")
def choose(tag: str) -> ResponseReturnValue:
    """Switch language and go back to the page the switch was on."""
    response = redirect(local_path(request.args.get("next"), url_for("dashboard.home")))
    if tag in LANGUAGES:
        response.set_cookie(
            COOKIE, tag, max_age=COOKIE_SECONDS, httponly=True, samesite="Lax"
        )
    return response


def init_app(app: Flask) -> None:
    """Flask-Babel, the language switcher, and the formatting filters."""
    Babel(app, locale_selector=select_language, default_locale=DEFAULT_LANGUAGE)
    app.register_blueprint(blueprint)
    app.jinja_env.filters.update(
        day=day, moment=moment, number=number, municipality_name=municipality_name
    )
    app.jinja_env.globals.update(LANGUAGES=LANGUAGES, html_lang=html_lang)
