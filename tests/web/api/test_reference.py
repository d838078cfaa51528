"""Reference data through the API: every code, named in every language."""

from __future__ import annotations

from domain.reference import CATEGORIES, COMMUNITIES, INSTITUTION_KINDS
from tests.web.api.conftest import ApiClient


def test_municipalities_carry_their_official_names(api: dict[str, ApiClient]) -> None:
    found = api["viewer"].get("/api/v1/municipalities").json or []
    assert len(found) == 38
    ferizaj = next(m for m in found if m["code"] == "FER")
    assert ferizaj["names"] == {
        "sq": "Ferizaj", "sr-Latn": "Uroševac", "sr-Cyrl": "Урошевац", "en": "Ferizaj",
    }  # fmt: skip


def test_every_code_is_named_in_every_language(api: dict[str, ApiClient]) -> None:
    for path, codes in (
        ("communities", COMMUNITIES),
        ("categories", CATEGORIES),
        ("institutions", INSTITUTION_KINDS),
    ):
        found = api["viewer"].get(f"/api/v1/{path}").json or []
        assert [c["code"] for c in found] == list(codes), path
        for coded in found:
            assert set(coded["names"]) == {"sq", "sr-Latn", "sr-Cyrl", "en"}
            assert all(coded["names"].values()), coded
    albanian = next(c for c in api["viewer"].get("/api/v1/communities").json or []
                    if c["code"] == "albanian")  # fmt: skip
    assert albanian["names"]["en"] == "Albanian"
    assert albanian["names"]["sq"] != "Albanian"
    assert albanian["names"]["sr-Cyrl"] != albanian["names"]["sr-Latn"]


def test_request_kinds_carry_their_deadline_rules(api: dict[str, ApiClient]) -> None:
    found = api["viewer"].get("/api/v1/request-kinds").json or []
    documents = next(k for k in found if k["code"] == "public_documents")
    assert (documents["days"], documents["unit"]) == (7, "working")
