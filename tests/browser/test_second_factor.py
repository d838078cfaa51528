"""Second factors, the audit log and ending sessions in a real browser with no
JavaScript, under the content security policy."""

from __future__ import annotations

import pyotp
from playwright.sync_api import expect

from tests.browser.conftest import Site, screenshot
from tests.browser.test_content_policy import watched
from tests.web.conftest import PASSWORD, moments, next_code, services_of


def test_a_coordinator_sets_up_a_second_factor_and_signs_in_with_it(
    empty_site: Site,
) -> None:
    services_of(empty_site.app).tracker.create_account(
        actor="admin", username="vesa", password=PASSWORD, role="coordinator"
    )
    page = empty_site.person(javascript=False)
    violations = watched(page)
    page.goto("/login")
    page.get_by_label("Username").fill("vesa")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up a second factor")
    screenshot(page, "second-factor-set-up")
    secret = page.locator("code.secret").first.inner_text().replace(" ", "")
    totp = pyotp.TOTP(secret)
    page.get_by_label("Code from your authenticator app").fill(
        totp.at(moments(empty_site.app)())
    )
    page.get_by_role("button", name="Confirm and sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")

    page.get_by_role("button", name="Sign out").click()
    page.get_by_label("Username").fill("vesa")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("h1")).to_have_text("Sign in")
    screenshot(page, "second-factor-code")
    page.get_by_label("Code from your authenticator app").fill(
        totp.at(moments(empty_site.app).advance(seconds=30))
    )
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    assert violations == []


def test_an_admin_reads_the_audit_log_and_ends_a_persons_sessions(
    empty_site: Site,
) -> None:
    page = empty_site.person(phone=True, javascript=False)
    violations = watched(page)
    page.goto("/login")
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    code = next_code(empty_site.app, "admin")
    page.get_by_label("Code from your authenticator app").fill(code)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Audit log").click()
    expect(page.locator("h1")).to_have_text("Audit log")
    expect(page.locator("tbody tr").first).to_contain_text("Signed in")
    screenshot(page, "audit-log")
    page.get_by_label("What happened").select_option(label="Account created")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("main")).to_contain_text("5 entries")
    page.goto("/admin/accounts")
    page.get_by_role("link", name="advocate").click()
    screenshot(page, "account-sessions")
    page.get_by_role("button", name="Sign out everywhere").click()
    expect(page.get_by_role("status")).to_have_text(
        "Every session of the account was ended (0)."
    )
    assert violations == []
