"""The export through the API: for coordinators and admins, in three formats."""

from __future__ import annotations

import io
import json
import zipfile

from tests.web.api.conftest import ApiClient, submitted


def test_a_coordinator_exports_every_format(api: dict[str, ApiClient]) -> None:
    submitted(api["secretary"], submitter={"name": "Secret Submitter 7731"})
    for file_format, media_type in (
        ("json", "application/json"),
        ("csv", "application/zip"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ):
        answer = api["coordinator"].get("/api/v1/export", format=file_format)
        assert answer.status_code == 200, file_format
        assert answer.mimetype == media_type
        assert answer.headers["Content-Disposition"].startswith("attachment;")
    exported = json.loads(api["admin"].get("/api/v1/export").get_data())
    assert [c["reference"] for c in exported["cases"]] == ["GRA-2026-001"]
    assert {"cases", "referrals", "responses", "meetings", "dictionary"} <= set(
        exported
    )
    zipped = api["coordinator"].get("/api/v1/export", format="csv").get_data()
    unpacked = b"".join(
        zipfile.ZipFile(io.BytesIO(zipped)).read(name)
        for name in zipfile.ZipFile(io.BytesIO(zipped)).namelist()
    )
    assert b"GRA-2026-001" in unpacked
    assert b"Secret Submitter 7731" not in unpacked


def test_the_export_can_be_limited_to_municipalities(api: dict[str, ApiClient]) -> None:
    submitted(api["advocate"], municipality="STR")
    submitted(api["advocate"], municipality="GRA")
    only = json.loads(
        api["coordinator"].get("/api/v1/export", municipality="STR").get_data()
    )
    assert [c["municipality"] for c in only["cases"]] == ["STR"]


def test_only_coordinators_and_admins_export(api: dict[str, ApiClient]) -> None:
    for role in ("advocate", "secretary", "viewer"):
        assert api[role].get("/api/v1/export").status_code == 403, role
    refused = api["coordinator"].get("/api/v1/export", format="pdf")
    assert refused.status_code == 422
    assert (refused.json or {})["errors"][0]["field"] == "format"
