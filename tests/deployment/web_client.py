"""Someone at a browser, over plain HTTP, signing in and filling in forms.

Cookies are kept between requests; a form is sent with every field the page
gives it (its CSRF token, hidden fields, the options already chosen) and what
the person typed or chose in place of those fields. Redirects are followed, so
a page is where the browser ends up.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookiejar import CookieJar
from urllib.error import HTTPError
from urllib.parse import urlencode, urljoin, urlsplit
from urllib.request import HTTPCookieProcessor, Request, build_opener


@dataclass(frozen=True)
class Page:
    """A page as a browser ends up on it (after redirects)."""

    status: int
    url: str
    text: str

    @property
    def path(self) -> str:
        """The page's path, without the host."""
        return urlsplit(self.url).path


@dataclass
class _Form:
    """A form of a page: where it is sent, how, and the fields it sends as given."""

    action: str
    method: str
    fields: list[tuple[str, str]] = field(default_factory=list)


class _FormReader(HTMLParser):
    """The forms of a page and what a browser would send from each, untouched."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[_Form] = []
        self.select: list[str | None] = []  # name, first option, chosen option
        self.textarea: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        given = dict(attrs)
        if tag == "form":
            self.forms.append(
                _Form(given.get("action") or "", given.get("method") or "get")
            )
        elif not self.forms:
            return
        elif tag == "input" and given.get("name"):
            kind = (given.get("type") or "text").lower()
            if kind not in ("submit", "button", "file", "reset", "image") and (
                kind not in ("checkbox", "radio") or "checked" in given
            ):
                self.forms[-1].fields.append(
                    (str(given["name"]), given.get("value") or "")
                )
        elif tag == "select":
            self.select = [given.get("name"), None, None]
        elif tag == "option" and self.select:
            value = given.get("value") or ""
            self.select[1] = value if self.select[1] is None else self.select[1]
            self.select[2] = value if "selected" in given else self.select[2]
        elif tag == "textarea" and given.get("name"):
            self.textarea = (str(given["name"]), [])

    def handle_data(self, data: str) -> None:
        if self.textarea:
            self.textarea[1].append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self.select and self.select[0]:
            name, first, chosen = self.select
            self.forms[-1].fields.append((str(name), chosen or first or ""))
            self.select = []
        elif tag == "textarea" and self.textarea:
            self.forms[-1].fields.append((self.textarea[0], "".join(self.textarea[1])))
            self.textarea = None


class Person:
    """Someone at a browser: cookies kept, forms sent with their CSRF tokens."""

    def __init__(self, url: str, password: str) -> None:
        self.url = url
        self.password = password
        self.opener = build_opener(HTTPCookieProcessor(CookieJar()))

    def _open(self, request: Request) -> Page:
        request.add_header("Accept-Language", "en")
        try:
            with self.opener.open(request, timeout=30) as answer:
                return Page(answer.status, answer.url, answer.read().decode())
        except HTTPError as refused:
            return Page(refused.code, refused.url, refused.read().decode())

    def get(self, path: str, headers: Mapping[str, str] | None = None) -> Page:
        """Open a page."""
        return self._open(Request(self.url + path, headers=dict(headers or {})))

    def submit(
        self, page: Page, typed: Mapping[str, str | list[str]], action: str = ""
    ) -> Page:
        """Fill in the page's form (the one sent to `action`) and send it."""
        reader = _FormReader()
        reader.feed(page.text)
        forms = [
            f for f in reader.forms
            if f.method.lower() == "post" and f.action in (action, page.path)
        ]  # fmt: skip
        assert forms, f"no form sent to {action or page.path} on {page.path}"
        sent = [(k, v) for k, v in forms[0].fields if k not in typed]
        for name, value in typed.items():
            sent += [(name, v) for v in ([value] if isinstance(value, str) else value)]
        return self._open(
            Request(urljoin(page.url, action or page.url), urlencode(sent).encode())
        )

    def sign_in(self, username: str) -> Page:
        """Sign in on the sign-in page; where that leads."""
        page = self.get("/login")
        return self.submit(page, {"username": username, "password": self.password})
