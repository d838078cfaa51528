"""Every word of the interface is translated, and every code has its words."""

from __future__ import annotations

import os
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from flask import Flask

import web.labels
from domain import account, reference
from domain.case import Case
from tests.web.test_errors import _all_error_classes
from web import catalogs
from web.messages import MESSAGES

LANGUAGES = (*catalogs.TRANSLATED, *catalogs.TRANSLITERATED)
LATIN_LETTER = re.compile(r"[A-Za-z]")
# The code lists of the domain, by the name both modules give them.
CODE_LISTS = (
    "STATUSES",
    "COMMUNITIES",
    "CATEGORIES",
    "INSTITUTION_KINDS",
    "ADVOCACY_ACTION_KINDS",
    "RESPONSE_KINDS",
    "REQUEST_KINDS",
    "COMMITMENT_STATUSES",
    "OUTCOMES",
    "PRIORITIES",
    "FOLLOW_UP_CHANNELS",
    "GENDERS",
    "LANGUAGES",
    "PUBLISHABLE_FIELDS",
)


@pytest.fixture(scope="module")
def messages() -> Catalog:
    """Every message of web/ as the code and templates say it now."""
    return catalogs.extracted()


@pytest.mark.parametrize("tag", LANGUAGES)
def test_every_message_of_the_interface_is_translated(
    tag: str, messages: Catalog
) -> None:
    catalog = catalogs.read(tag)
    missing = [
        str(m.id)
        for m in messages
        if m.id and catalog.get(m.id, context=m.context) is None
    ] + catalogs.untranslated(catalog)
    assert not missing, (
        f"{len(missing)} messages not translated in {catalogs.po_path(tag)} "
        "(run `python -m web.catalogs`, translate in sq and sr_Latn, run it "
        "again):\n" + "\n".join(missing)
    )


@pytest.mark.parametrize("tag", LANGUAGES)
def test_translations_keep_the_placeholders_of_their_message(tag: str) -> None:
    changed = [
        f"{m.id!r} → {m.string!r}"
        for m in catalogs.read(tag)
        if m.id
        and m.string
        and any(
            _placeholders(form) != _placeholders(_forms(m.id)[0])
            for form in (*_forms(m.id), *_forms(m.string))
        )
    ]
    assert not changed, "\n".join(changed)


def test_the_cyrillic_catalog_is_the_latin_one_transliterated() -> None:
    for cyrillic, latin in catalogs.TRANSLITERATED.items():
        made = catalogs.po_text(catalogs.transliterated(catalogs.read(latin), cyrillic))
        assert catalogs.po_path(cyrillic).read_bytes() == made, (
            f"{catalogs.po_path(cyrillic)} was edited or is stale: "
            "translate in sr_Latn and run `python -m web.catalogs`"
        )


def test_cyrillic_translations_have_no_latin_letters_but_codes() -> None:
    for tag in catalogs.TRANSLITERATED:
        latin = [
            str(m.string)
            for m in catalogs.read(tag)
            if m.id and LATIN_LETTER.search(_without_kept(str(m.string)))
        ]
        assert not latin, "\n".join(latin)


@pytest.mark.parametrize("tag", LANGUAGES)
def test_the_compiled_catalog_is_the_one_the_po_file_holds(tag: str) -> None:
    mo = catalogs.po_path(tag).with_suffix(".mo")
    assert mo.exists(), f"{mo} is missing: run `make translations`"
    assert mo.read_bytes() == catalogs.compiled(tag), (
        f"{mo} is stale: run `make translations`"
    )


def test_a_catalog_is_compiled_again_once_its_po_file_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    po = tmp_path / "sq" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    shutil.copyfile(catalogs.po_path("sq"), po)
    monkeypatch.setattr(catalogs, "TRANSLATIONS", tmp_path)
    assert catalogs.compile_stale() == ["sq"]
    assert catalogs.compile_stale() == []
    later = po.with_suffix(".mo").stat().st_mtime + 1
    os.utime(po, (later, later))
    assert catalogs.compile_stale() == ["sq"]
    assert po.with_suffix(".mo").read_bytes() == catalogs.compiled("sq")


@pytest.mark.parametrize("name", CODE_LISTS)
def test_every_code_of_the_reference_data_has_a_label(name: str) -> None:
    labels = getattr(web.labels, name)
    assert set(getattr(reference, name)) - set(labels) == set()


def test_every_role_has_a_label() -> None:
    assert set(account.ROLES) - set(web.labels.ROLES) == set()


def test_every_event_of_a_case_has_a_label() -> None:
    events = {
        name
        for name, kind in vars(Case).items()
        if isinstance(kind, type) and issubclass(kind, Case.Event)
    }
    # `Event` is the base of them all; eventsourcing gives every aggregate a
    # `Created` class, but a case is created by `Submitted`.
    assert events - {"Event", "Created"} - set(web.labels.EVENTS) == set()


def test_every_kind_of_refusal_has_its_own_message() -> None:
    kinds = {kind.__name__ for kind in _all_error_classes()}
    assert kinds - set(MESSAGES) == set()


@pytest.mark.parametrize(
    ("tag", "lang"),
    [("sq", "sq"), ("sr_Latn", "sr-Latn"), ("sr_Cyrl", "sr-Cyrl"), ("en", "en")],
)
def test_the_sign_in_page_is_in_the_chosen_language(
    empty_app: Flask, tag: str, lang: str
) -> None:
    client = empty_app.test_client()
    client.set_cookie("language", tag)
    page = client.get("/login").get_data(as_text=True)
    assert f'<html lang="{lang}">' in page
    # One message from a template, one from a form's Python code.
    for message in ("Sign in", "Username"):
        assert f">{_translated(tag, message)}<" in page


def test_the_serbian_cyrillic_page_is_written_in_cyrillic(empty_app: Flask) -> None:
    client = empty_app.test_client()
    client.set_cookie("language", "sr_Cyrl")
    page = client.get("/login").get_data(as_text=True)
    heading = re.search(r"<h1>([^<]*)</h1>", page)
    assert heading is not None
    assert re.fullmatch(r"[\u0400-\u04FF ]+", heading.group(1))


def _placeholders(text: str) -> Counter[str]:
    """The placeholders of a message, each as many times as it appears."""
    return Counter(catalogs.PLACEHOLDER.findall(text))


def _forms(text: object) -> tuple[str, ...]:
    """A message's text, or each of its plural forms (as many as the language has)."""
    return (
        tuple(str(form) for form in text) if isinstance(text, tuple) else (str(text),)
    )


def _without_kept(text: str) -> str:
    """A translation without the parts transliteration leaves alone."""
    return catalogs.CODE.sub("", catalogs.PLACEHOLDER.sub("", text))


def _translated(tag: str, message: str) -> str:
    """A message in a language as its catalog says it (English: as it is)."""
    if tag == "en":
        return message
    found = catalogs.read(tag).get(message)
    assert found is not None, f"{message!r} not in {tag}"
    assert found.string, f"{message!r} not translated in {tag}"
    return str(found.string)
