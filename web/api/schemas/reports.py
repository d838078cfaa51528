"""The accountability report as the API gives it: every figure under its §6 name."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow import validate

from projections.accountability import SCALAR_FIGURES
from projections.figure_queries import AccountabilityFigures
from tracker.store import EARLIEST_DAY
from web.api.schemas.cases import MUNICIPALITY_CODES, code

# The §6 figures that are a share, a median or a count by code; the rest count.
_FRACTIONS = ("joint_share", "response_rate")
_MEDIANS = ("median_days_to_first_response", "median_days_to_substantive_response")


class ReportQuerySchema(ma.Schema):
    """Which period (a year, or from a day to a day) and which municipality."""

    year = ma.fields.Integer(
        validate=validate.Range(EARLIEST_DAY.year, 9999),
        metadata={"description": "A calendar year (the current one: to date)."},
    )
    start = ma.fields.Date(metadata={"description": "First day, with `end`."})
    end = ma.fields.Date(metadata={"description": "Last day (included)."})
    municipality = code(
        MUNICIPALITY_CODES, metadata={"description": "One municipality (none: all)."}
    )


def _day() -> ma.fields.String:
    """A day as the document already writes it, YYYY-MM-DD."""
    return ma.fields.String(required=True, metadata={"format": "date"})


def _figure(name: str) -> ma.fields.Field[Any]:
    """The field of one §6 figure."""
    if name in _FRACTIONS:
        return ma.fields.Float(allow_none=True, metadata={"description": "0 to 1."})
    if name in _MEDIANS:
        return ma.fields.Float(
            allow_none=True, metadata={"description": "Days; null over nothing."}
        )
    if name in SCALAR_FIGURES:
        return ma.fields.Integer(required=True)
    return ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Integer())


def _figures(*, scalar_only: bool = False) -> dict[str, ma.fields.Field[Any]]:
    about: dict[str, ma.fields.Field[Any]] = {
        "municipality": ma.fields.String(allow_none=True),
    }
    if not scalar_only:
        about |= {
            "period_start": _day(),
            "period_end": _day(),
        }
    return about | {
        name: _figure(name)
        for name in AccountabilityFigures.__dataclass_fields__
        if name not in ("period_start", "period_end", "municipality")
        and (name in SCALAR_FIGURES or not scalar_only)
    }


FiguresSchema = ma.Schema.from_dict(_figures(), name="FiguresSchema")
MunicipalityFiguresSchema = ma.Schema.from_dict(
    _figures(scalar_only=True), name="MunicipalityFiguresSchema"
)


class GovernmentResponseSchema(ma.Schema):
    """A substantive response dated in the period."""

    reference = ma.fields.String(required=True)
    municipality = ma.fields.String(required=True)
    institution_kind = ma.fields.String(required=True)
    institution = ma.fields.String(required=True)
    kind = ma.fields.String(required=True)
    received_on = _day()


class ReportSchema(FiguresSchema):  # type: ignore[misc,valid-type]
    """The period's figures, the previous period's, the change, and the lists."""

    previous_period = ma.fields.Nested(FiguresSchema, required=True)
    change = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.Raw(allow_none=True),
        metadata={
            "description": "Each figure minus the previous period's: a number, "
            "null where either is null, or a change per code."
        },
    )
    municipalities = ma.fields.List(
        ma.fields.Nested(MunicipalityFiguresSchema), required=True
    )
    government_responses = ma.fields.List(
        ma.fields.Nested(GovernmentResponseSchema), required=True
    )
