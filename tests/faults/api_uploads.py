"""Uploads to the API, broken by hypothesis: the file's name, its bytes, the form.

A name may be hostile text, a path (``../../etc/passwd``, ``C:\\evil\\x``),
or longer than any name kept; its extension one the tracker keeps or not.
The content may start with a kept type's signature or not, hold NULs or
bytes that are not UTF-8, or be empty; the form may carry no file, or
fields no one asked for.
"""

from __future__ import annotations

import io
from typing import Any

from hypothesis import strategies as st

from tests.faults.hostile_text import hostile_text, invalid_utf8

EXTENSIONS = ("pdf", "png", "jpg", "docx", "xlsx", "odt", "txt", "exe", "html", "")
SIGNATURES = (b"%PDF-1.4\n", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"PK\x03\x04", b"")


@st.composite
def file_name(draw: st.DrawFn) -> str:
    """A name an upload may come with: plain, hostile, a path, or too long."""
    stem = draw(
        st.one_of(
            st.just("letter"),
            hostile_text(),
            st.sampled_from(("../../etc/passwd", "C:\\evil\\x", "/", "a/", " ", "..")),
            st.text(min_size=250, max_size=300),
        )
    )
    extension = draw(st.sampled_from(EXTENSIONS))
    return f"{stem}.{extension}" if extension else stem


@st.composite
def file_content(draw: st.DrawFn) -> bytes:
    """What a file holds: a signature, then bytes, text, NULs, or nothing."""
    head = draw(st.sampled_from(SIGNATURES))
    body = draw(
        st.one_of(
            st.binary(max_size=200),
            st.text(max_size=200).map(str.encode),
            invalid_utf8(),
            st.integers(0, 1_000_000).map(lambda size: b"\x00" * size),
        )
    )
    return head + body


@st.composite
def broken_upload(draw: st.DrawFn) -> dict[str, Any]:
    """A multipart form: the file (or not), and fields no one asked for."""
    form: dict[str, Any] = {}
    if draw(st.integers(0, 9)) > 0:
        content, name = draw(file_content()), draw(file_name())
        form["file"] = (io.BytesIO(content), name)
    for extra in draw(st.lists(st.sampled_from(("note", "file", "x")), max_size=2)):
        if extra not in form:
            form[extra] = draw(hostile_text())
    return form


def uploaded(content: bytes | dict[str, Any]) -> tuple[bytes, str] | None:
    """The file of an upload's form (its bytes and name), if it has one."""
    if not isinstance(content, dict) or not isinstance(content.get("file"), tuple):
        return None
    stream, name = content["file"]
    return stream.getvalue(), name


def fresh_form(content: bytes | dict[str, Any]) -> dict[str, Any]:
    """An upload's form with its file rewound (a form is read once)."""
    assert isinstance(content, dict)
    form = dict(content)
    if isinstance(form.get("file"), tuple):
        stream, name = form["file"]
        form["file"] = (io.BytesIO(stream.getvalue()), name)
    return form
