"""Export: cases, referrals, responses and meetings, with a data dictionary.

One function makes the file for the command line (``tracker export``) and
for the API (``GET /api/v1/export``): what a coordinator may see, for every
municipality or only some (a secretary's own). It reads the views, caught up
first, in one read transaction, so the four tables agree with each other.
The columns and what they mean are in `projections.export_dictionary`; the
file formats in `projections.export_formats`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from domain.errors import require_choice
from domain.reference import MUNICIPALITIES, municipality
from projections.export_formats import (
    About,
    Tables,
    write_csv_zip,
    write_json,
    write_xlsx,
)
from projections.export_tables import table_rows
from projections.views import Views

EXPORT_FORMATS = ("csv", "xlsx", "json")


@dataclass(frozen=True)
class _Format:
    """How one export format is written, served and named."""

    write: Callable[[About, Tables], bytes]
    media_type: str
    extension: str


_FORMATS = {
    "csv": _Format(write_csv_zip, "application/zip", "zip"),
    "xlsx": _Format(
        write_xlsx,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
    ),
    "json": _Format(write_json, "application/json", "json"),
}
# What each format is served as.
MEDIA_TYPES = {name: chosen.media_type for name, chosen in _FORMATS.items()}


@dataclass(frozen=True)
class ExportFile:
    """An export ready to save or send: its bytes, media type and file name."""

    content: bytes
    media_type: str
    filename: str


def export_file(
    views: Views,
    *,
    file_format: str,
    municipalities: tuple[str, ...] = (),
    today: date,
) -> ExportFile:
    """The export in a format, of these municipalities (none: every one).

    Deadline states are judged as of `today`. An unknown format or
    municipality code raises `InvalidValue` (`UnknownMunicipality`).
    """
    chosen = _FORMATS[require_choice(file_format, EXPORT_FORMATS, "format")]
    limited = covered(municipalities)
    about = About(
        exported_at=datetime.now(UTC).replace(microsecond=0),
        as_of=today,
        municipalities=limited or tuple(m.code for m in MUNICIPALITIES),
    )
    with views.reading() as c:
        content = chosen.write(
            about, table_rows(c, municipalities=limited, today=today)
        )
    return ExportFile(
        content=content,
        media_type=chosen.media_type,
        filename=export_filename(limited, today, chosen.extension),
    )


def covered(municipalities: tuple[str, ...]) -> tuple[str, ...]:
    """The codes asked for, each checked, once each, in the reference order."""
    wanted = {municipality(code).code for code in municipalities}
    return tuple(m.code for m in MUNICIPALITIES if m.code in wanted)


def export_filename(
    municipalities: tuple[str, ...], today: date, extension: str
) -> str:
    """``cfpi-export-2026-11-21.zip``, with the codes when limited to some."""
    codes = "".join(f"{code}-" for code in municipalities)
    return f"cfpi-export-{codes}{today.isoformat()}.{extension}"
