"""How dates, the case's record values and personal data are written into
stored events."""

from __future__ import annotations

import json
from base64 import b64decode, b64encode
from dataclasses import fields
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Transcoding

from domain.personal import PersonalData
from tracker.personal_keys import PersonalKeys


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


class PersonalDataSealed(Transcoding):
    """A person's data, sealed with their own key; once erased, only the id."""

    type = PersonalData
    name = "personal"

    def __init__(self, keys: PersonalKeys) -> None:
        self.keys = keys

    def encode(self, obj: PersonalData) -> dict[str, Any]:
        """Seal the fields with the person's key (a snapshot may hold 'erased')."""
        if obj.erased:
            return {"person": obj.person_id.hex, "erased": True}
        fields = json.dumps(obj.as_dict(), ensure_ascii=False).encode()
        sealed = self.keys.seal(obj.person_id, fields)
        return {"person": obj.person_id.hex, "sealed": b64encode(sealed).decode()}

    def decode(self, data: dict[str, Any]) -> PersonalData:
        """Open the fields, or say they were erased when the key is gone."""
        person_id = UUID(data["person"])
        if data.get("erased"):
            return PersonalData.erased_of(person_id)
        opened = self.keys.open(person_id, b64decode(data["sealed"]))
        if opened is None:
            return PersonalData.erased_of(person_id)
        return PersonalData(person_id, json.loads(opened))
