"""Search: full text over references, titles, descriptions and translations.

One FTS5 row per case holds everything written about it: its reference, its
title and description as they now stand, and every translation. Words are
folded the same way before they are indexed and before they are searched for
(`fold`), and the tokenizer removes diacritics, so a search is blind to case,
to accents and to the script Serbian is written in: "Штрпце", "Štrpce",
"STRPCE" and "strpce" find the same case, and "gracanice" finds "Graçanicë".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any, ClassVar

import cyrtranslit

from domain.case import Case
from projections.datastore import Cursor, ViewsDatabase
from projections.view import Handler, View

LIMIT = 50
# More words than anyone searches with; the rest of a pasted text is ignored.
MAX_WORDS = 32
# Words of the written text a snippet shows around the first that matched.
SNIPPET_WORDS = 16
# What the unicode61 tokenizer keeps as a token: runs of letters and digits.
TOKEN = re.compile(r"[^\W_]+")
# bm25 weights by column (case_id, reference, titles, descriptions); the
# lower the result, the better the match.
RANK = "bm25(case_text, 0, 10, 4, 1)"
# Đ is a letter of its own, not D with a mark: the tokenizer would keep it.
_DJ = str.maketrans({"đ": "dj", "Đ": "Dj"})


def fold(text: str) -> str:
    """Text as it is indexed and searched: Serbian Latin, đ as dj, lower case."""
    latin = str(cyrtranslit.to_latin(unicodedata.normalize("NFC", text), "sr"))
    return latin.translate(_DJ).lower()


class SearchView(View):
    """Every case's words, indexed for full-text search.

    ``search_cases`` and ``search_translations`` keep the text as written;
    ``case_text`` (FTS5) indexes it folded, its rowid the case's ``number``.
    """

    name = "search"
    tables: ClassVar[dict[str, str]] = {
        "search_cases": """
            CREATE TABLE IF NOT EXISTS search_cases{s} (
                number INTEGER PRIMARY KEY,
                case_id TEXT NOT NULL UNIQUE,
                reference TEXT NOT NULL,
                title TEXT NOT NULL,
                description TEXT NOT NULL
            )""",
        "search_translations": """
            CREATE TABLE IF NOT EXISTS search_translations{s} (
                case_id TEXT NOT NULL,
                language TEXT NOT NULL,
                title TEXT NOT NULL,
                description TEXT NOT NULL,
                PRIMARY KEY (case_id, language)
            ) WITHOUT ROWID""",
        "case_text": """
            CREATE VIRTUAL TABLE IF NOT EXISTS case_text{s} USING fts5(
                case_id UNINDEXED, reference, titles, descriptions,
                tokenize = 'unicode61 remove_diacritics 2'
            )""",
    }
    # On PostgreSQL, one text-search vector per case, its parts weighted
    # (reference A, titles B, descriptions C) as bm25's columns are.
    postgres_text: ClassVar[str] = """
            CREATE TABLE IF NOT EXISTS case_text{s} (
                number INTEGER PRIMARY KEY,
                case_id TEXT NOT NULL,
                document TSVECTOR NOT NULL
            )"""
    statements: ClassVar[dict[str, str]] = {
        # Numbered in order, as a rebuild numbers them (a number is never
        # drawn from a sequence, which a failed batch would leave moved on).
        "insert": "INSERT INTO search_cases{s} (number, case_id, reference, title, "
        "description) SELECT COALESCE(MAX(number), 0) + 1, ?, ?, ?, ? "
        "FROM search_cases{s}",
        "amend": "UPDATE search_cases{s} SET title = COALESCE(?, title), "
        "description = COALESCE(?, description) WHERE case_id = ?",
        "translate": "INSERT INTO search_translations{s} VALUES (?, ?, ?, ?) "
        "ON CONFLICT (case_id, language) DO UPDATE SET "
        "title = excluded.title, description = excluded.description",
        "case": "SELECT number, reference, title, description "
        "FROM search_cases{s} WHERE case_id = ?",
        "translations": "SELECT title, description FROM search_translations{s} "
        "WHERE case_id = ? ORDER BY language",
        "unindex": "DELETE FROM case_text{s} WHERE rowid = ?",
        "index": "INSERT INTO case_text{s} "
        "(rowid, case_id, reference, titles, descriptions) VALUES (?, ?, ?, ?, ?)",
    }
    postgres_statements: ClassVar[dict[str, str]] = {
        "unindex": "DELETE FROM case_text{s} WHERE number = ?",
        "index": "INSERT INTO case_text{s} (number, case_id, document) VALUES (?, ?, "
        "setweight(to_tsvector('simple', ?), 'A') || "
        "setweight(to_tsvector('simple', ?), 'B') || "
        "setweight(to_tsvector('simple', ?), 'C'))",
    }

    def __init__(self, database: ViewsDatabase, *, suffix: str = "") -> None:
        super().__init__(database, suffix=suffix)
        self.postgres = database.dialect.name == "postgresql"
        if self.postgres:
            self.sql.update(
                {k: v.format(s=suffix) for k, v in self.postgres_statements.items()}
            )
        # Cases whose words changed in this transaction, in the order seen.
        self._stale: dict[str, None] = {}

    def table_statements(self) -> dict[str, str]:
        """FTS5 on SQLite; a table with a text-search vector on PostgreSQL."""
        if self.postgres:
            return {**self.tables, "case_text": self.postgres_text}
        return self.tables

    def handlers(self) -> dict[type[Any], Handler]:
        """The events that change what a case says."""
        return {
            Case.Submitted: self.submitted,
            Case.Amended: self.amended,
            Case.Translated: self.translated,
        }

    def submitted(self, c: Cursor, e: Case.Submitted) -> None:
        """A new case, findable by its reference and its words."""
        case_id = e.originator_id.hex
        c.execute(self.sql["insert"], (case_id, e.reference, e.title, e.description))
        self._stale[case_id] = None

    def amended(self, c: Cursor, e: Case.Amended) -> None:
        """A corrected title or description takes the old one's place."""
        title, description = e.changes.get("title"), e.changes.get("description")
        if title is not None or description is not None:
            case_id = e.originator_id.hex
            c.execute(self.sql["amend"], (title, description, case_id))
            self._stale[case_id] = None

    def translated(self, c: Cursor, e: Case.Translated) -> None:
        """A translation's words join the case's, replacing an older one."""
        case_id = e.originator_id.hex
        c.execute(self.sql["translate"], (case_id, e.language, e.title, e.description))
        self._stale[case_id] = None

    def finish(self, c: Cursor) -> None:
        """Index again, once each, the cases whose words changed."""
        super().finish(c)
        for case_id in self._stale:
            self._index(c, case_id)
        self._stale.clear()

    def forget(self) -> None:
        """A failed batch indexes nothing."""
        super().forget()
        self._stale.clear()

    def _index(self, c: Cursor, case_id: str) -> None:
        c.execute(self.sql["case"], (case_id,))
        number, reference, title, description = c.fetchone()
        c.execute(self.sql["translations"], (case_id,))
        translations = c.fetchall()
        titles = [title, *(t["title"] for t in translations)]
        descriptions = [description, *(t["description"] for t in translations)]
        # PostgreSQL's parser splits text otherwise: it is given the words
        # as FTS5's tokenizer finds them.
        index = indexed if self.postgres else fold
        c.execute(self.sql["unindex"], (number,))
        c.execute(
            self.sql["index"],
            (
                number,
                case_id,
                index(reference),
                index("\n".join(titles)),
                index("\n".join(descriptions)),
            ),
        )


@dataclass(frozen=True)
class SearchHit:
    """One case a search found, with the words around what matched."""

    case_id: str
    reference: str
    title: str
    snippet: str
    # FTS5's bm25 score: the lower, the better the match.
    rank: float


def indexed(text: str) -> str:
    """Text as PostgreSQL indexes it: the words FTS5's tokenizer would find."""
    return " ".join(_tokens(text))


def _words(text: str) -> list[list[str]]:
    """Each word typed, as its parts (``STR-2024-007``: three), at most 32."""
    parts = (TOKEN.findall(_bare(word)) for word in fold(text).split())
    return [found for found in parts if found][:MAX_WORDS]


def match_query(text: str) -> str | None:
    """The FTS5 query for what was typed: all its words, each as a prefix.

    Only letters and digits reach the query, inside quotes, so FTS5 syntax
    typed by someone (quotes, ``*``, ``NEAR``, ``-``) is searched as words or
    not at all. A word made of several parts (``STR-2024-007``) is a phrase.
    None when nothing searchable was typed.
    """
    terms = [f'"{" ".join(parts)}"*' for parts in _words(text)]
    return " AND ".join(terms) or None


def ts_query(text: str) -> str | None:
    """The same query for PostgreSQL's ``to_tsquery``: its parts in a row,
    the last one a prefix; only letters and digits, so no syntax gets in.
    """
    terms = [" <-> ".join([*parts[:-1], f"{parts[-1]}:*"]) for parts in _words(text)]
    return " & ".join(terms) or None


# Matching cases and their score (the lower, the better), by dialect.
_MATCHING = {
    "sqlite": f"SELECT case_text.case_id, {RANK} AS score FROM case_text "  # nosec B608
    "WHERE case_text MATCH ?",
    "postgresql": "SELECT case_id, -ts_rank('{0, 0.1, 0.4, 1}', document, q) "
    "AS score FROM case_text, to_tsquery('simple', ?) AS q WHERE document @@ q",
}


def _matching(c: Cursor, text: str) -> tuple[str, str] | None:
    """The query of the cases matching a search, and its parameter."""
    query = ts_query(text) if c.dialect.name == "postgresql" else match_query(text)
    return None if query is None else (_MATCHING[c.dialect.name], query)


def search_cases(c: Cursor, text: str, *, limit: int = LIMIT) -> tuple[SearchHit, ...]:
    """The cases whose text holds every word searched for, best match first."""
    found = _matching(c, text)
    if found is None:
        return ()
    matching, query = found
    c.execute(
        "SELECT s.case_id, s.reference, s.title, s.description, m.score "  # nosec B608
        f"FROM ({matching}) AS m JOIN search_cases AS s ON s.case_id = m.case_id "
        "ORDER BY m.score, s.reference LIMIT ?",
        (query, max(1, limit)),
    )
    searched = _tokens(text)
    return tuple(_hit(c, row, searched) for row in c.fetchall())


def matching_case_ids(c: Cursor, text: str) -> list[str]:
    """Every case matching a search, best first, to narrow a case list with."""
    found = _matching(c, text)
    if found is None:
        return []
    matching, query = found
    c.execute(
        f"SELECT case_id FROM ({matching}) AS m ORDER BY score",  # nosec B608
        (query,),
    )
    return [row["case_id"] for row in c.fetchall()]


def _hit(c: Cursor, row: Any, searched: list[str]) -> SearchHit:
    c.execute(
        "SELECT title, description FROM search_translations "
        "WHERE case_id = ? ORDER BY language",
        (row["case_id"],),
    )
    translated = [text for t in c.fetchall() for text in (t["title"], t["description"])]
    return SearchHit(
        case_id=row["case_id"],
        reference=row["reference"],
        title=row["title"],
        snippet=_snippet([row["description"], *translated], searched),
        rank=float(row["score"]),
    )


def _snippet(texts: list[str], searched: list[str]) -> str:
    """The words, as written, around the first that matches a searched one.

    The title is shown beside the snippet, so a match in the title (or in
    the reference) shows the description's first words.
    """
    for text in texts:
        written = text.split()
        for at, word in enumerate(_bare(fold(text)).split()):
            if any(t.startswith(s) for t in TOKEN.findall(word) for s in searched):
                return _around(written, at)
    return _around(texts[0].split(), 0)


def _around(written: list[str], at: int) -> str:
    start = max(0, at - SNIPPET_WORDS // 4)
    end = start + SNIPPET_WORDS
    before = "…" if start > 0 else ""
    after = "…" if end < len(written) else ""
    return before + " ".join(written[start:end]) + after


def _tokens(text: str) -> list[str]:
    """The words searched for, as the index compares them."""
    return TOKEN.findall(_bare(fold(text)))


def _bare(text: str) -> str:
    """Without diacritics, as the tokenizer's ``remove_diacritics`` leaves it."""
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
