"""The interface's message catalogs: extracted from web/, kept per language.

``python -m web.catalogs`` extracts every message of the Python modules and
templates, updates the Albanian and Serbian (Latin) catalogs, writes the
Serbian Cyrillic one by transliterating the Latin one, and compiles the
``.mo`` files the app reads. Translators edit only ``sq`` and ``sr_Latn``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

import cyrtranslit
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

WEB = Path(__file__).parent
TRANSLATIONS = WEB / "translations"
# Catalogs people translate; sr_Cyrl is made from sr_Latn and never edited.
TRANSLATED = ("sq", "sr_Latn")
TRANSLITERATED = {"sr_Cyrl": "sr_Latn"}
# gettext, ngettext, pgettext and _ are babel's defaults.
KEYWORDS = DEFAULT_KEYWORDS | {
    "_l": None,
    "lazy_gettext": None,
    "lazy_pgettext": ((1, "c"), 2),
}
METHODS = [
    ("**.py", "python"),
    ("templates/**.html", "jinja2.ext:babel_extract"),
]
# A translation as babel keeps it: one string, or one per plural form.
Translation = str | tuple[str, ...] | list[str] | None
# Left as they are in Cyrillic: placeholders, which the program fills in,
# and codes in capitals (PDF, GRA-2026-004), which people type as they are.
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[#0 +-]*\d*(?:\.\d+)?[a-zA-Z%]")
CODE = re.compile(r"\b[A-Z]{2,}(?:-[A-Z0-9]+)*\b")
KEPT = re.compile(f"({PLACEHOLDER.pattern}|{CODE.pattern})")
CYRILLIC_HEADER = """\
# Serbian (Cyrillic) messages of the CFPI case tracker.
# Made from sr_Latn by `python -m web.catalogs`: translate there, not here.
#"""


def po_path(tag: str) -> Path:
    """Where a language's catalog is kept."""
    return TRANSLATIONS / tag / "LC_MESSAGES" / "messages.po"


def extracted() -> Catalog:
    """Every message of web/ as the code and templates say it now."""
    template = Catalog(project="cfpi-tracker", fuzzy=False)
    found = extract_from_dir(
        WEB,
        METHODS,
        keywords=KEYWORDS,
        comment_tags=("Translators:",),
        strip_comment_tags=True,
    )
    for filename, lineno, message, comments, context in found:
        where = [(f"web/{Path(filename).as_posix()}", lineno)]
        template.add(message, None, where, auto_comments=comments, context=context)
    return template


def read(tag: str) -> Catalog:
    """A language's catalog as kept in its .po file."""
    with po_path(tag).open("rb") as po:
        return read_po(po, locale=tag)


def po_text(catalog: Catalog) -> bytes:
    """A catalog as its .po file holds it (no line numbers: they churn)."""
    po = BytesIO()
    write_po(po, catalog, width=88, include_lineno=False, ignore_obsolete=True)
    return po.getvalue()


def write(catalog: Catalog, tag: str) -> None:
    """Keep a catalog in its .po file."""
    path = po_path(tag)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(po_text(catalog))


def updated(template: Catalog, tag: str) -> Catalog:
    """A language's catalog with new messages added and gone ones dropped."""
    if not po_path(tag).exists():
        fresh = Catalog(locale=tag, project="cfpi-tracker", fuzzy=False)
        fresh.revision_date = datetime.now(UTC)
        fresh.update(template, no_fuzzy_matching=True)
        return fresh
    catalog = read(tag)
    catalog.update(template, no_fuzzy_matching=True, update_creation_date=False)
    return catalog


def to_cyrillic(text: str) -> str:
    """Serbian Latin text in Cyrillic, its placeholders and codes as they are."""
    # Splitting on a captured pattern puts every kept part at an odd index.
    parts = KEPT.split(text)
    return "".join(
        part if index % 2 else cyrtranslit.to_cyrillic(part, "sr")
        for index, part in enumerate(parts)
    )


def _mapped(change: Callable[[str], str], string: Translation) -> Translation:
    """A translation changed by `change`, each plural form on its own."""
    if isinstance(string, str):
        return change(string) or None
    return tuple(change(form) for form in string) if string else None


def transliterated(latin: Catalog, tag: str) -> Catalog:
    """A Cyrillic catalog with every translation of the Latin one."""
    cyrillic = Catalog(
        locale=tag,
        header_comment=CYRILLIC_HEADER,
        project=latin.project,
        version=latin.version,
        msgid_bugs_address=latin.msgid_bugs_address,
        creation_date=latin.creation_date,
        revision_date=latin.revision_date,
        last_translator=latin.last_translator,
        language_team=latin.language_team,
        fuzzy=False,
    )
    for message in latin:
        if message.id:
            cyrillic.add(
                message.id,
                _mapped(to_cyrillic, message.string),
                message.locations,
                flags=message.flags,
                auto_comments=message.auto_comments,
                context=message.context,
            )
    return cyrillic


def update_all() -> dict[str, Catalog]:
    """Bring every catalog up to date with the messages of web/."""
    template = extracted()
    catalogs = {tag: updated(template, tag) for tag in TRANSLATED}
    for tag, source in TRANSLITERATED.items():
        catalogs[tag] = transliterated(catalogs[source], tag)
    for tag, catalog in catalogs.items():
        write(catalog, tag)
    return catalogs


def compiled(tag: str) -> bytes:
    """A language's catalog as the .mo file the app reads."""
    mo = BytesIO()
    write_mo(mo, read(tag))
    return mo.getvalue()


def compile_stale() -> list[str]:
    """Compile each .mo that is missing or older than its .po; say which."""
    stale = []
    for po in sorted(TRANSLATIONS.glob("*/LC_MESSAGES/messages.po")):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            # Through a temporary file: another process may be reading it.
            partial = mo.with_suffix(f".mo.{os.getpid()}")
            partial.write_bytes(compiled(po.parent.parent.name))
            partial.replace(mo)
            stale.append(po.parent.parent.name)
    return stale


def untranslated(catalog: Catalog) -> list[str]:
    """The messages of a catalog nobody has translated yet (or only fuzzily)."""
    return [str(m.id) for m in catalog if m.id and (not m.string or m.fuzzy)]


def main() -> None:
    """Update every catalog, compile it, and say what is left to translate."""
    catalogs = update_all()
    compile_stale()
    for tag, catalog in catalogs.items():
        missing = untranslated(catalog)
        print(f"{tag}: {len(catalog)} messages, {len(missing)} to translate")
        for msgid in missing:
            print(f"  {msgid}")


if __name__ == "__main__":
    main()
