"""A real browser on the app served for real: Debian's Chromium driven by Playwright.

Chromium is the one Debian packages (``/usr/bin/chromium``), never one
downloaded by ``playwright install``: the machines that run these tests may
have no internet but an apt mirror. The app is served by werkzeug on a free
local port from a background thread, so every request goes through HTTP,
cookies, redirects and CSRF as it would for a forum secretary.
"""

from __future__ import annotations

import os
import subprocess
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    ViewportSize,
    expect,
    sync_playwright,
)
from werkzeug.serving import make_server

from tests.conftest import Demo
from tests.stores import Store
from tests.web.conftest import PASSWORD, close_app, make_app

CHROMIUM = Path("/usr/bin/chromium")
# No sandbox: CI runs as root in a container. The rest keeps Chromium from
# reaching the internet on its own (updates, sync, field trials).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
APT_SECONDS = 600
ACTION_MS = 10_000
DESKTOP: ViewportSize = {"width": 1280, "height": 800}
PHONE: ViewportSize = {"width": 360, "height": 740}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artefacts" / "screenshots"


def _install_chromium() -> None:
    """Install Debian's Chromium with apt (only tried as root)."""
    environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (
        ["apt-get", "update", "-qq"],
        ["apt-get", "install", "-y", "-qq", "chromium"],
    ):
        try:
            done = subprocess.run(
                command, env=environment, timeout=APT_SECONDS, check=False
            )
        except (OSError, subprocess.TimeoutExpired):
            return
        if done.returncode != 0:
            return


@pytest.fixture(scope="session")
def chromium() -> Path:
    """Debian's Chromium, installed with apt when missing and we are root."""
    if not CHROMIUM.exists() and os.geteuid() == 0:
        _install_chromium()
    if not CHROMIUM.exists():
        why = "not root" if os.geteuid() != 0 else "apt-get could not install it"
        # On a developer's machine the rest of the suite still runs; CI must
        # not pass without the browser tests.
        if os.environ.get("CI") == "true":
            pytest.fail(f"no Chromium in CI: {why} and {CHROMIUM} missing")
        pytest.skip(f"no Chromium: {why} and {CHROMIUM} missing")
    return CHROMIUM


@pytest.fixture(scope="session")
def browser(chromium: Path) -> Iterator[Browser]:
    """One headless Chromium for the whole run; each test opens its own contexts."""
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(chromium), headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@dataclass
class Site:
    """The app served on a local port, and the browser that visits it."""

    url: str
    app: Flask
    browser: Browser
    contexts: list[BrowserContext] = field(default_factory=list)

    def person(
        self, *, phone: bool = False, javascript: bool = True, locale: str = "en-GB"
    ) -> Page:
        """A fresh browser (own cookies) for one person, on a desktop or a phone."""
        context = self.browser.new_context(
            base_url=self.url,
            viewport=PHONE if phone else DESKTOP,
            java_script_enabled=javascript,
            locale=locale,
        )
        # Fail in seconds, not Playwright's 30: every page here answers at once.
        context.set_default_timeout(ACTION_MS)
        self.contexts.append(context)
        return context.new_page()


@dataclass(frozen=True)
class Served:
    """A running server and how to stop it."""

    url: str
    stop: Callable[[], None]


def serve(app: Flask) -> Served:
    """Serve the app for real on a free 127.0.0.1 port, from a background thread."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def stop() -> None:
        server.shutdown()
        thread.join()
        server.server_close()

    return Served(f"http://127.0.0.1:{server.server_port}", stop)


def _site(browser: Browser, store: Store, home: Path) -> Iterator[Site]:
    app = make_app(store, home)
    served = serve(app)
    site = Site(served.url, app, browser)
    yield site
    for context in site.contexts:
        context.close()
    served.stop()
    close_app(app)


@pytest.fixture
def empty_site(browser: Browser, store: Store, tmp_path: Path) -> Iterator[Site]:
    """The app on an empty store (only the test accounts), served for real."""
    yield from _site(browser, store, tmp_path / "home")


@pytest.fixture(scope="module")
def demo_site(
    browser: Browser,
    demo_store: Demo,
    module_store: Store,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Site]:
    """The app on a copy of the demo data, served for real (one per module)."""
    home = tmp_path_factory.mktemp("browser-demo") / "home"
    demo_store.copy(module_store, home)
    yield from _site(browser, module_store, home)


def sign_in(page: Page, username: str) -> None:
    """Sign in through the sign-in page, as one of the test accounts."""
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")


def screenshot(page: Page, name: str) -> None:
    """Save the whole page as it looks on a desktop and on a phone."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    kept = page.viewport_size
    for width, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        page.screenshot(path=SCREENSHOTS / f"{name}-{width}.png", full_page=True)
    if kept is not None:
        page.set_viewport_size(kept)
