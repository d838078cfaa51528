"""Requests to the API, broken by hypothesis: the body, its bytes, the path, headers.

A broken request starts from one the API accepts (`api_operations`) and
replaces one or more of its fields by hostile values (`hostile_text`), and
sometimes damages the JSON's bytes as no JSON library would write them: a
number past a double (``1e309``), ``NaN``, a key given twice, bytes that are
not UTF-8 inside a string, nesting past any reader, a byte order mark, a
body cut short. What the API makes of the bytes is decided here as webargs
decides it, so a test knows which values it must read back.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any, TypeVar
from urllib.parse import quote
from uuid import uuid4

from hypothesis import strategies as st

from tests.faults.api_operations import Operation, Target
from tests.faults.api_uploads import broken_upload
from tests.faults.hostile_text import (
    hostile_text,
    hostile_value,
    huge_text,
    invalid_utf8,
)

T = TypeVar("T")
ROLES = ("admin", "secretary")
JSON = "application/json"
OTHER_CONTENT_TYPES = (
    "application/json; charset=utf-8",
    "application/json; charset=latin-1",
    "text/plain",
    "application/x-www-form-urlencoded",
)
# JSON a serialiser never writes, but a hand-made client or an attacker does.
RAW_VALUES: tuple[bytes, ...] = (
    b"1e309",
    b"-1e309",
    b"NaN",
    b"Infinity",
    b"1" + b"0" * 400,
    b"0.1e-400",
    b"[" * 100_000 + b"]" * 100_000,
    b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
    b'"\\u0000"',
    b'"\\ud800"',
    b'"\\udfff\\ud800"',
    b'"\\x41"',
    b"'single quoted'",
    b"undefined",
)
_HOLE = "\ue000hole\ue000"


@dataclass(frozen=True)
class BrokenRequest:
    """One request as sent: who, where, which bytes, and what the API reads."""

    role: str
    path_choice: dict[str, str]
    content: bytes | dict[str, Any]
    content_type: str
    headers: dict[str, str] = field(default_factory=dict)
    # The body as the API reads it (None: it cannot be read).
    read_as: Any = None

    def described(self) -> str:
        """The request in a few hundred characters, for a failure's message."""
        content = self.content
        if isinstance(content, dict):
            content = {
                name: value[1] if isinstance(value, tuple) else value
                for name, value in content.items()
            }
        shown = repr(content)
        if len(shown) > 400:
            shown = f"{shown[:400]}… ({len(shown)} characters)"
        return (
            f"{self.role}, path {self.path_choice}, {self.content_type}, "
            f"headers {self.headers}: {shown}"
        )

    def path(self, operation: Operation, target: Target, elsewhere: str) -> str:
        """The request's path: the target's values, or the broken ones drawn."""
        values = {}
        for name, choice in self.path_choice.items():
            values[name] = _path_value(name, choice, target, elsewhere)
        return operation.path.format(**values)


def _path_value(name: str, choice: str, target: Target, elsewhere: str) -> str:
    kept = target.path_values.get(name, "")
    if choice == "target":
        return kept
    if choice == "target id" and target.case_id is not None and name == "case":
        return target.case_id.hex
    if choice == "elsewhere" and name == "case":
        return elsewhere
    if choice == "unknown":
        return "GRA-2026-999" if name == "case" else str(uuid4())
    if choice.startswith("text:"):
        return quote(choice.removeprefix("text:"), safe="") or "x"
    return kept


def now_and_then(
    usual: st.SearchStrategy[T], rare: st.SearchStrategy[T], percent: int
) -> st.SearchStrategy[T]:
    """`rare` in `percent` of the draws, else `usual` (what shrinking goes to)."""
    return st.integers(0, 99).flatmap(lambda n: rare if n >= 100 - percent else usual)


def read_as_webargs(content: bytes, content_type: str) -> Any:
    """The body as webargs reads it, or None where it is refused or ignored."""
    mimetype = content_type.split(";")[0].strip()
    if mimetype != JSON and not mimetype.endswith("+json"):
        return None
    try:
        return json.loads(content.decode("utf-8"))
    except (ValueError, RecursionError):
        return None


@cache
def field_value() -> st.SearchStrategy[Any]:
    """A hostile value for a field, now and then a huge text."""
    return st.one_of(
        hostile_value(),
        hostile_value(),
        hostile_value(),
        hostile_value(),
        hostile_value(),
        huge_text(),
    )


@st.composite
def broken_body(
    draw: st.DrawFn, operation: Operation, target: Target
) -> dict[str, Any]:
    """A valid body with one or more of its fields replaced or added, hostile."""
    body = operation.body(target)
    fields = sorted({*body, *operation.optional}) or ["unexpected"]
    chosen = draw(
        st.lists(st.sampled_from(fields), min_size=1, max_size=3, unique=True)
    )
    for name in chosen:
        text = name in operation.texts and draw(st.integers(0, 2)) > 0
        body[name] = draw(hostile_text() if text else field_value())
    if "submitter" in chosen and draw(st.booleans()):
        body["submitter"] = {
            "name": draw(hostile_text()),
            "contact": draw(hostile_text()),
        }
    return body


@st.composite
def broken_bytes(draw: st.DrawFn, body: dict[str, Any]) -> bytes:
    """The body as JSON, sometimes damaged as no JSON library writes it."""
    damage = draw(now_and_then(st.just(_as_written), st.sampled_from(_DAMAGES), 30))
    return damage(draw, body)


def _as_written(_draw: st.DrawFn, body: dict[str, Any]) -> bytes:
    return json.dumps(body).encode()


def _raw_value(draw: st.DrawFn, body: dict[str, Any]) -> bytes:
    name = draw(st.sampled_from(sorted(body) or ["unexpected"]))
    raw = draw(st.one_of(st.sampled_from(RAW_VALUES), invalid_utf8().map(_quoted)))
    written = json.dumps({**body, name: _HOLE}).encode()
    return written.replace(json.dumps(_HOLE).encode(), raw)


def _quoted(content: bytes) -> bytes:
    return b'"' + content.replace(b"\\", b"\\\\").replace(b'"', b'\\"') + b'"'


def _key_twice(draw: st.DrawFn, body: dict[str, Any]) -> bytes:
    name = draw(st.sampled_from(sorted(body) or ["unexpected"]))
    again = json.dumps({name: draw(hostile_value())})[1:-1].encode()
    written = json.dumps(body).encode()
    if draw(st.booleans()):  # the hostile value first, the good one last
        return b"{" + again + (b", " + written[1:] if body else b"}")
    return written[:-1] + (b", " if body else b"") + again + b"}"


def _marked(draw: st.DrawFn, body: dict[str, Any]) -> bytes:
    text = json.dumps(body, ensure_ascii=draw(st.booleans()))
    codec = draw(st.sampled_from(("utf-8-sig", "utf-16", "utf-32", "latin-1")))
    return text.encode(codec, errors="replace")


def _cut_short(draw: st.DrawFn, body: dict[str, Any]) -> bytes:
    written = json.dumps(body).encode()
    return written[: draw(st.integers(0, max(0, len(written) - 1)))]


def _trailing(draw: st.DrawFn, body: dict[str, Any]) -> bytes:
    extra = draw(st.sampled_from((b" x", b"}", b"\x00", b"\n{}", b",")))
    return json.dumps(body).encode() + extra


Damage = Callable[[st.DrawFn, dict[str, Any]], bytes]
_DAMAGES: tuple[Damage, ...] = (
    _raw_value,
    _key_twice,
    _marked,
    _cut_short,
    _trailing,
)

_PATH_CHOICES = now_and_then(
    st.sampled_from(("target", "target id")),
    st.one_of(
        st.sampled_from(("elsewhere", "unknown")),
        hostile_text().map(lambda text: "text:" + text),
    ),
    15,
)
_HEADER_TEXT = st.text(
    st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=40
)


@st.composite
def some_headers(draw: st.DrawFn) -> dict[str, str]:
    """If-Match and Idempotency-Key, each good, stale, garbage or absent."""
    found = {}
    if_match = draw(st.one_of(st.none(), st.sampled_from(('"1"', "*")), _HEADER_TEXT))
    if if_match is not None:
        found["If-Match"] = if_match
    key = draw(st.one_of(st.none(), _HEADER_TEXT, st.just("k" * 300)))
    if key is not None:
        found["Idempotency-Key"] = key
    return found


@cache
def headers() -> st.SearchStrategy[dict[str, str]]:
    """No If-Match nor Idempotency-Key mostly; now and then some."""
    return now_and_then(st.just({}), some_headers(), 20)


@st.composite
def broken_request(
    draw: st.DrawFn, operation: Operation, target: Target
) -> BrokenRequest:
    """A request to the operation, broken in one or more ways."""
    path_choice = {name: draw(_PATH_CHOICES) for name in _path_names(operation.path)}
    role = draw(st.sampled_from(ROLES))
    if operation.upload:
        content, content_type = draw(broken_upload()), "multipart/form-data"
        return BrokenRequest(role, path_choice, content, content_type, draw(headers()))
    content_type = draw(
        now_and_then(st.just(JSON), st.sampled_from(OTHER_CONTENT_TYPES), 15)
    )
    raw = draw(broken_bytes(draw(broken_body(operation, target))))
    read_as = read_as_webargs(raw, content_type)
    return BrokenRequest(role, path_choice, raw, content_type, draw(headers()), read_as)


def _path_names(path: str) -> list[str]:
    return [part[1:-1] for part in path.split("/") if part.startswith("{")]
