"""Reference data as the API gives it: each code with its name in every language."""

from __future__ import annotations

import marshmallow as ma


class NamesSchema(ma.Schema):
    """A name in each language of the interface (BCP 47 tags; Babel's as keys)."""

    sq = ma.fields.String(required=True, metadata={"description": "Albanian"})
    sr_latn = ma.fields.String(
        required=True,
        attribute="sr_Latn",
        data_key="sr-Latn",
        metadata={"description": "Serbian, Latin script"},
    )
    sr_cyrl = ma.fields.String(
        required=True,
        attribute="sr_Cyrl",
        data_key="sr-Cyrl",
        metadata={"description": "Serbian, Cyrillic script"},
    )
    en = ma.fields.String(required=True, metadata={"description": "English"})


class CodeSchema(ma.Schema):
    """A code the API's fields take, and its names."""

    code = ma.fields.String(required=True)
    names = ma.fields.Nested(NamesSchema, required=True)


class InstitutionKindSchema(CodeSchema):
    """A kind of institution a case is referred to."""


class RequestKindSchema(CodeSchema):
    """A kind of request, with the deadline rule it sets for an answer."""

    days = ma.fields.Integer(required=True)
    unit = ma.fields.String(required=True, metadata={"example": "calendar"})
    max_extension_days = ma.fields.Integer(required=True)
