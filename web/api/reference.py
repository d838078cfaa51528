"""Reference data: municipalities, communities, categories, institutions.

Each code comes with its name in every language of the interface, so a
program can show the same words the web does. Municipality names are the
official ones, stored per language (never transliterated).
"""

from __future__ import annotations

from typing import Any

from domain.reference import CATEGORIES, COMMUNITIES, INSTITUTION_KINDS, MUNICIPALITIES
from web.api.resources import resource
from web.api.schemas.reference import (
    CodeSchema,
    InstitutionKindSchema,
    RequestKindSchema,
)
from web.i18n import LANGUAGES
from web.labels import names
from web.services import services

reference = resource(
    "Reference", "", "Codes the other resources take, named in every language."
)


def _coded(group: str, codes: tuple[str, ...]) -> list[dict[str, Any]]:
    return [{"code": code, "names": names(group, code, LANGUAGES)} for code in codes]


@reference.route("/municipalities")
@reference.response(200, CodeSchema(many=True))
def municipalities() -> list[dict[str, Any]]:
    """Kosovo's 38 municipalities, with their official names."""
    return [
        {
            "code": m.code,
            "names": {tag: m.name(tag) for tag in LANGUAGES},
        }
        for m in MUNICIPALITIES
    ]


@reference.route("/communities")
@reference.response(200, CodeSchema(many=True))
def communities() -> list[dict[str, Any]]:
    """The communities that raise cases."""
    return _coded("communities", COMMUNITIES)


@reference.route("/categories")
@reference.response(200, CodeSchema(many=True))
def categories() -> list[dict[str, Any]]:
    """The categories of a case."""
    return _coded("categories", CATEGORIES)


@reference.route("/institutions")
@reference.response(200, InstitutionKindSchema(many=True))
def institutions() -> list[dict[str, Any]]:
    """The kinds of institution a case is referred to."""
    return _coded("institution_kinds", INSTITUTION_KINDS)


@reference.route("/request-kinds")
@reference.response(200, RequestKindSchema(many=True))
def request_kinds() -> list[dict[str, Any]]:
    """The kinds of request a referral makes, with the deadline each sets."""
    rules = services().tracker.deadline_rules
    return [
        {
            **_coded("request_kinds", (kind,))[0],
            "days": rule.days,
            "unit": str(rule.unit),
            "max_extension_days": rule.max_extension_days,
        }
        for kind, rule in rules.items()
    ]
