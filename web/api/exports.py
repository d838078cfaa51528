"""Export: cases, referrals, responses and meetings as one file, with a dictionary.

For coordinators and admins (the export leaves the tracker, so it is theirs
to hand out); every export is on the audit log. Personal data is never in
it; a secretary's limit would apply if the role ever gets the permission.
"""

from __future__ import annotations

import marshmallow as ma
from flask import Response

from projections.export import EXPORT_FORMATS, MEDIA_TYPES, export_file
from web.access import EXPORT
from web.api.auth import caller, listed_municipalities, requires
from web.api.errors import refuse
from web.api.resources import resource
from web.api.schemas.cases import MUNICIPALITY_CODES, code
from web.audit import record
from web.services import services

exports = resource(
    "Export", "/export", "Every case, referral, response and meeting as a file."
)


class ExportQuerySchema(ma.Schema):
    """The export's format and the municipalities it covers (none: all)."""

    format = code(EXPORT_FORMATS, load_default="json")
    municipality = ma.fields.List(code(MUNICIPALITY_CODES), load_default=list)


_BINARY = {"type": "string", "format": "binary"}
_FILE_SCHEMAS = {"json": {"type": "object"}}
_FILES = {
    "csv": "A ZIP of one CSV per table, a dictionary.csv and a README.txt.",
    "xlsx": "One sheet per table and a dictionary sheet.",
    "json": "One document with the dictionary and every table.",
}


@exports.route("")
@requires(EXPORT)
@exports.arguments(ExportQuerySchema, location="query", as_kwargs=True)
@exports.doc(
    summary="Export the data as CSV (ZIP), XLSX or JSON",
    responses={
        "200": {
            "description": "The export file, as an attachment.",
            "content": {
                media_type: {"schema": _FILE_SCHEMAS.get(name, _BINARY)}
                for name, media_type in MEDIA_TYPES.items()
            },
        }
    },
    description=" ".join(f"{k}: {v}" for k, v in _FILES.items()),
)
def export(format: str, municipality: list[str]) -> Response:
    """The data the caller may see, in one file with its data dictionary."""
    municipalities = listed_municipalities(tuple(municipality))
    if municipalities is None:
        refuse(404, errors=[("municipality", "none of your municipalities")])
    made = export_file(
        services().views,
        file_format=format,
        municipalities=municipalities,
        today=services().today(),
    )
    record(
        "exported",
        actor=caller().username,
        format=format,
        municipalities=",".join(municipalities) or "all",
        through="api",
    )
    return Response(
        made.content,
        mimetype=made.media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{made.filename}"',
            "X-Content-Type-Options": "nosniff",
        },
    )
