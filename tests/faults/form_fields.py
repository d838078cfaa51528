"""A page's forms as a browser reads them, and hostile ways to fill them in.

`forms_on` reads every form of a page: where it is sent, and each field with
its kind, the value it shows and the options it offers. `filled` is a
hypothesis strategy for what a person (or a script) might send instead:
mostly plausible values, so the input reaches the deep rules, with one or
more fields made hostile: the shared hostile text (formulas, control
characters, lookalikes; `tests.faults.hostile_text`), invalid UTF-8,
injection text, huge values, missing or repeated fields, wrong types,
wrong choices, stale or foreign ids. `encoded` turns that into the body a
browser (or worse) would send, byte for byte.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser
from urllib.parse import quote_from_bytes, urljoin, urlsplit
from uuid import uuid4

import werkzeug.urls  # noqa: F401  # registers the "werkzeug.url_quote" decoding
from hypothesis import strategies as st

from tests.faults import hostile_text as hostile

# Input kinds whose value is shown back as typed after a refusal.
TYPED = frozenset({"text", "textarea", "email", "date", "number", "search"})

# What a shared strategy of hostile text leaves out: injection into the
# database, the page or its templates.
INJECTIONS = (
    "'; DROP TABLE events; --", '" OR 1=1 --', "Robert'); DELETE FROM cases;--",
    "<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "{{ 7*7 }}",
    "{% for x in y %}", "${jndi:ldap://x/a}", "%s%s%n", "../../../../etc/passwd",
    "<!--", "]]>", "&amp;&#0;&#x110000;",
)  # fmt: skip
WRONG_NUMBERS = (
    "-1", "1e3", "0x10", "9" * 40, "1.5", "NaN", "inf", "١٢", "１２", " 3 ",
    "+5", "1_000", "10001", str(2**63), "0" * 500 + "1",
)  # fmt: skip
# Huge values: 100 KB of markup and formulas, 2 MB of plain or of non-ASCII
# text (the latter is 12 MB once percent-encoded: over the upload limit).
HUGE = (("<b>=1+", 100_000), ("x", 2_000_000), ("ë", 2_000_000))
PLAUSIBLE = (
    "Street lights are off on the road to the school",
    "The municipality promised to repair the bridge before winter.",
    "Ujësjellësi nuk punon në fshat", "Вода не тече у селу",
)  # fmt: skip


@dataclass
class Field:
    """One named input of a form: its kind, what it shows, what it offers."""

    name: str
    kind: str
    value: str = ""
    options: list[str] = field(default_factory=list)
    chosen: list[str] = field(default_factory=list)


@dataclass
class PageForm:
    """A form of a page: where and how it is sent, and its fields by name."""

    action: str
    method: str
    enctype: str
    fields: dict[str, Field] = field(default_factory=dict)

    def add(self, name: str, kind: str, value: str = "", chosen: bool = False) -> None:
        """One more input (a checkbox or option joins the group of its name)."""
        found = self.fields.setdefault(name, Field(name, kind))
        if kind in ("checkbox", "radio", "select"):
            found.options.append(value)
            found.chosen += [value] if chosen else []
        else:
            found.value = value


class _Reader(HTMLParser):
    def __init__(self, page: str) -> None:
        super().__init__()
        self.page = page
        self.forms: list[PageForm] = []
        self.select: str | None = None
        self.textarea: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        given = {k: v or "" for k, v in attrs}
        name = given.get("name", "")
        if tag == "form":
            action = urljoin("http://localhost" + self.page, given.get("action", ""))
            parts = urlsplit(action)
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            method, enctype = given.get("method", "get"), given.get("enctype", "")
            self.forms.append(PageForm(path, method.lower(), enctype))
        elif not self.forms or (not name and tag != "option"):
            return
        elif tag in ("input", "button"):
            kind = given.get("type", "text" if tag == "input" else "submit").lower()
            value = given.get("value", "on" if kind == "checkbox" else "")
            self.forms[-1].add(name, kind, value, "checked" in given)
        elif tag == "select":
            self.select = name
            self.forms[-1].fields.setdefault(name, Field(name, "select"))
        elif tag == "option" and self.select:
            self.forms[-1].add(
                self.select, "select", given.get("value", ""), "selected" in given
            )
        elif tag == "textarea":
            self.textarea = (name, [])

    def handle_data(self, data: str) -> None:
        if self.textarea:
            self.textarea[1].append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea:
            text = "".join(self.textarea[1])
            # The newline right after <textarea> is markup, not content.
            text = text[2:] if text.startswith("\r\n") else text.removeprefix("\n")
            self.forms[-1].add(self.textarea[0], "textarea", text)
            self.textarea = None


def forms_on(html: str, page: str) -> list[PageForm]:
    """The forms of a page served at `page` (their actions resolved against it)."""
    reader = _Reader(page)
    reader.feed(html)
    reader.close()
    return reader.forms


@dataclass(frozen=True)
class Upload:
    """A file as a multipart form sends it."""

    filename: bytes
    content: bytes


Value = bytes | Upload


@dataclass(frozen=True)
class Sent:
    """What is sent for each field ([] leaves it out), and which were hostile."""

    values: dict[str, list[Value]]
    hostile: frozenset[str]
    # The body as raw bytes, not percent-encoded (what no browser sends).
    raw: bool = False


def _utf8(text: str) -> bytes:
    # A lone surrogate becomes the bytes that encode it: invalid UTF-8.
    return text.encode("utf-8", "surrogatepass")


def hostile_bytes(*, huge: bool = True) -> st.SearchStrategy[bytes]:
    """Text that is odd, dangerous or not text at all (huge too, unless told)."""
    found = st.one_of(
        hostile.hostile_text().map(_utf8),
        st.sampled_from(INJECTIONS).map(_utf8),
        hostile.invalid_utf8(),
    )
    if not huge:
        return found
    huge_texts = st.sampled_from(HUGE).map(lambda p: _utf8((p[0] * p[1])[: p[1]]))
    return st.one_of(found, huge_texts)


def _wrong_for(kind: Field, foreign: Sequence[str]) -> st.SearchStrategy[bytes]:
    """A value of the wrong type, a choice not offered, an id from elsewhere."""
    wrong = [*WRONG_NUMBERS, *foreign, uuid4().hex]
    if kind.options:
        wrong += [o.upper() for o in kind.options] + [f"{kind.options[-1]} "]
    return st.one_of(hostile.bad_date(), st.sampled_from(wrong)).map(_utf8)


def _hostile(found: Field, foreign: Sequence[str]) -> st.SearchStrategy[list[Value]]:
    """Replaced, left out, sent twice or many times, or sent again after itself."""
    if found.kind == "file":
        return st.one_of(st.just([]), _hostile_upload().map(lambda u: [u]))
    small = st.one_of(hostile_bytes(huge=False), _wrong_for(found, foreign))
    return st.one_of(
        st.one_of(hostile_bytes(), _wrong_for(found, foreign)).map(lambda v: [v]),
        st.just([]),
        st.lists(small, min_size=2, max_size=4),
        st.tuples(_plausible(found, ()), small).map(lambda p: [*p[0], p[1]]),
        st.tuples(small, st.integers(2, 3000)).map(lambda p: [p[0]] * p[1]),
        _plausible(found, ()).map(lambda values: values * 2),
    )


def _hostile_upload() -> st.SearchStrategy[Upload]:
    names = st.one_of(
        st.sampled_from(
            ("../../secret_key.txt", "a\x00.txt", "\u202efdp.txt", "x.exe", "", ".txt",
             "CON.txt", "a" * 5000 + ".pdf", "note.TXT", "report.pdf")
        ).map(_utf8),
        hostile_bytes().map(lambda b: b[:300] + b".txt"),
    )  # fmt: skip
    contents = st.one_of(
        st.sampled_from((b"", b"%PDF-1.4\n", b"\x00\x01binary", b"PK\x03\x04")),
        hostile_bytes(),
    )
    return st.builds(Upload, names, contents)


def _plausible(
    found: Field, valid: Sequence[str | Upload]
) -> st.SearchStrategy[list[Value]]:
    """A value the field would take from a careful person."""
    if valid:
        return st.sampled_from(valid).map(
            lambda v: [_utf8(v) if isinstance(v, str) else v]
        )
    if found.kind == "file":
        return st.just([Upload(b"minutes.txt", b"Minutes of the forum meeting.\n")])
    if found.kind == "submit":  # the button clicked, if any
        return st.sampled_from([[], [_utf8(found.value)]])
    if found.kind == "hidden" or (found.kind in TYPED and found.value):
        return st.just([_utf8(found.value)])
    if found.kind == "checkbox":
        boxes = st.lists(st.sampled_from(found.options), min_size=1, unique=True)
        if len(found.options) == 1:  # a yes-or-no box: ticked or not
            boxes = st.sampled_from([[], found.options])
        return boxes.map(lambda chosen: [_utf8(v) for v in chosen])
    if found.kind in ("select", "radio"):
        options = [o for o in found.options if o] or [""]
        return st.sampled_from(options).map(lambda v: [_utf8(v)])
    if found.kind == "number":
        return st.integers(0, 40).map(lambda n: [_utf8(str(n))])
    if found.kind == "date":
        return st.just([b"2026-01-10"])
    return st.sampled_from(PLAUSIBLE).map(lambda v: [_utf8(v)])


def filled(
    form: PageForm, valid: Mapping[str, Sequence[str | Upload]], foreign: Sequence[str]
) -> st.SearchStrategy[Sent]:
    """Plausible values for every field, and hostile ones for some of them.

    `valid`: the values a field takes where none can be guessed (a fresh
    username, the right code); `foreign`: ids and references that exist
    elsewhere (another case's referral, a meeting of another municipality).
    """
    names = [n for n in form.fields if n != "csrf_token"] or ["csrf_token"]
    return st.builds(
        _sent,
        st.fixed_dictionaries(
            {n: _plausible(f, valid.get(n, ())) for n, f in form.fields.items()}
        ),
        st.lists(st.sampled_from(names), min_size=1, max_size=3, unique=True).flatmap(
            lambda chosen: st.fixed_dictionaries(
                {n: _hostile(form.fields[n], foreign) for n in chosen}
            )
        ),
        # Rarely: an unknown field, no valid CSRF token, a body no browser sends.
        st.sampled_from([{}] * 6 + [{"\udcff\x00name": [b"x"]}, {"extra": [b"=1"]}]),
        st.sampled_from([False] * 12 + [True]),
        st.sampled_from([False] * 20 + [True]),
    )


def _sent(
    plausible: dict[str, list[Value]],
    hostile: dict[str, list[Value]],
    extra: dict[str, list[Value]],
    no_token: bool,
    raw: bool,
) -> Sent:
    values = {**plausible, **hostile, **extra}
    if no_token:
        values["csrf_token"] = [b"not-the-token"]
    marked = {*hostile, *extra, *(["csrf_token"] if no_token else [])}
    return Sent(values, frozenset(marked), raw)


def encoded(sent: Sent, multipart: bool) -> tuple[bytes, str]:
    """The request body and its content type, as a browser (or worse) sends it."""
    pairs = [
        (name.encode("utf-8", "surrogateescape"), value)
        for name, values in sent.values.items()
        for value in values
    ]
    if multipart:
        return _multipart(pairs)
    quote = (lambda b: b) if sent.raw else _quoted
    body = b"&".join(quote(k) + b"=" + quote(_bytes(v)) for k, v in pairs)
    return body, "application/x-www-form-urlencoded"


@lru_cache(maxsize=64)
def _quoted(text: bytes) -> bytes:
    # Cached: quoting 2 MB of non-ASCII text byte by byte takes a second.
    return quote_from_bytes(text).encode()


def _bytes(value: Value) -> bytes:
    return value if isinstance(value, bytes) else value.content


def _multipart(pairs: list[tuple[bytes, Value]]) -> tuple[bytes, str]:
    boundary = b"fuzz" + uuid4().hex.encode()
    parts = []
    for name, value in pairs:
        disposition = b'form-data; name="' + name.replace(b'"', b"%22") + b'"'
        if isinstance(value, Upload):
            quoted = value.filename.replace(b'"', b"%22").replace(b"\r\n", b" ")
            disposition += b'; filename="' + quoted + b'"'
        head = b"Content-Disposition: " + disposition + b"\r\n\r\n"
        parts.append(b"--" + boundary + b"\r\n" + head + _bytes(value) + b"\r\n")
    body = b"".join(parts) + b"--" + boundary + b"--\r\n"
    return body, f"multipart/form-data; boundary={boundary.decode()}"


def as_read(value: Value) -> str:
    """A sent value as the server reads it back (werkzeug's way with bad bytes)."""
    return _bytes(value).decode("utf-8", "werkzeug.url_quote")
