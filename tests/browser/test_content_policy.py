"""The content security policy breaks nothing: a real browser enforcing it
reports no violation on the pages people use, the API's documentation (the
one page with a script) included."""

from __future__ import annotations

from playwright.sync_api import ConsoleMessage, Page

from tests.browser.conftest import Site, sign_in

# Pages seen signed in as an advocate, then without signing in.
SIGNED_IN = (
    "/",
    "/cases",
    "/cases/new",
    "/meetings",
    "/meetings/new",
    "/reports/accountability?year=2025",
    "/cases/import",
)
PUBLIC = ("/login", "/public/", "/public/cases", "/public/scorecards", "/api/v1/docs")


def watched(page: Page) -> list[str]:
    """The policy violations the browser reports on this page from now on."""
    seen: list[str] = []

    def noted(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            seen.append(message.text)

    page.on("console", noted)
    return seen


def test_no_page_breaks_the_content_security_policy(demo_site: Site) -> None:
    advocate = demo_site.person()
    violations = watched(advocate)
    sign_in(advocate, "advocate")
    for path in SIGNED_IN:
        answer = advocate.goto(path)
        assert answer is not None, path
        assert answer.status == 200, path
        policy = answer.headers.get("content-security-policy", "")
        assert "script-src 'self'" in policy, path
    visitor = demo_site.person()
    violations += watched(visitor)
    for path in PUBLIC:
        answer = visitor.goto(path)
        assert answer is not None, path
        assert answer.status == 200, path
    visitor.wait_for_selector(".swagger-ui .info", timeout=10_000)
    assert violations == []
