"""How dates and the case's record values are written into stored events."""

from __future__ import annotations

from dataclasses import fields
from datetime import date
from typing import Any

from eventsourcing.persistence import Transcoding


class DateAsISO(Transcoding):
    """A calendar date as ``YYYY-MM-DD``."""

    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        """Write the date."""
        return obj.isoformat()

    def decode(self, data: str) -> date:
        """Read the date back."""
        return date.fromisoformat(data)


class RecordAsDict(Transcoding):
    """A frozen dataclass as a dict of its fields; lists come back as tuples."""

    def __init__(self, record_type: type) -> None:
        self.type = record_type
        self.name = f"cfpi_{record_type.__name__}"

    def encode(self, obj: Any) -> dict[str, Any]:
        """Write the record's fields."""
        return {f.name: getattr(obj, f.name) for f in fields(obj)}

    def decode(self, data: dict[str, Any]) -> Any:
        """Rebuild the record; JSON has no tuples, the records have no lists."""
        return self.type(
            **{k: tuple(v) if isinstance(v, list) else v for k, v in data.items()}
        )
