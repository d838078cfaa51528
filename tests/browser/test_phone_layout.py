"""The pages on a 360-pixel phone without JavaScript, as forum members use them.

Every page fits the screen's width (nothing scrolls sideways but a wide
table inside its own box), every form control says what it is for, every
page has one main heading, and the forms work with JavaScript off: the
interface has none.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import PHONE, SCREENSHOTS, Site, sign_in

# page → (who looks at it, where); None: found in the demo data below.
PAGES: dict[str, tuple[str | None, str | None]] = {
    "login": (None, "/login"),
    "dashboard": ("secretary", "/"),
    "case-list": ("secretary", "/cases"),
    "case": ("advocate", None),
    "new-case": ("secretary", "/cases/new"),
    "meeting-form": ("secretary", "/meetings/new"),
    "meeting": ("secretary", None),
    "report": ("secretary", "/reports/accountability?year=2025"),
    "report-all": ("advocate", "/reports/accountability?year=2025&language=sr_Cyrl"),
    "portal": (None, "/public/"),
    "portal-cases": (None, "/public/cases"),
    "scorecards": (None, "/public/scorecards?year=2025"),
}

UNLABELLED_CONTROLS = """() => [...document.querySelectorAll("input, select, textarea")]
  .filter((e) => e.type !== "hidden")
  .filter((e) => e.labels.length === 0
    && !(e.getAttribute("aria-label") || "").trim()
    && !e.getAttribute("aria-labelledby"))
  .map((e) => `${e.tagName.toLowerCase()} name=${e.name} id=${e.id}`)"""


@pytest.fixture(scope="module")
def phones(demo_site: Site) -> dict[str | None, Page]:
    """A phone without JavaScript per person: signed out, secretary, advocate."""
    found = {
        who: demo_site.person(phone=True, javascript=False)
        for who in (None, "secretary", "advocate")
    }
    for username in ("secretary", "advocate"):
        sign_in(found[username], username)
    return found


@pytest.fixture(scope="module")
def paths(phones: dict[str | None, Page]) -> dict[str, str]:
    """Where each page is: a Gračanica case awaiting an answer, and a meeting."""
    found = {name: path for name, (_, path) in PAGES.items() if path is not None}
    advocate = phones["advocate"]
    advocate.goto("/cases?municipality=GRA&status=awaiting_response")
    found["case"] = link(advocate.locator("table a[href^='/cases/']").first)
    secretary = phones["secretary"]
    secretary.goto("/meetings")
    found["meeting"] = link(secretary.locator("table a[href^='/meetings/']").first)
    return found


def link(anchor: Locator) -> str:
    """Where a link leads."""
    href = anchor.get_attribute("href")
    assert href, "no such link in the demo data"
    return href


def visit(name: str, phones: dict[str | None, Page], paths: dict[str, str]) -> Page:
    """Open one of the pages on the phone of the person who uses it."""
    who, _ = PAGES[name]
    page = phones[who]
    answer = page.goto(paths[name])
    assert answer is not None
    assert answer.status == 200, f"{paths[name]} answered {answer.status}"
    return page


@pytest.mark.parametrize("name", PAGES)
def test_no_page_scrolls_sideways_on_a_phone(
    name: str, phones: dict[str | None, Page], paths: dict[str, str]
) -> None:
    page = visit(name, phones, paths)
    for summary in page.locator("details > summary").all():
        summary.click()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"layout-{name}-phone.png", full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, f"{name} is {width}px wide"


@pytest.mark.parametrize("name", ["meeting-form", "meeting"])
def test_the_attendance_grid_fits_a_phone_screen(
    name: str, phones: dict[str | None, Page], paths: dict[str, str]
) -> None:
    grid = visit(name, phones, paths).locator(".grid")
    overflow = grid.evaluate("(e) => e.scrollWidth - e.clientWidth")
    assert overflow <= 1, f"the grid scrolls {overflow}px sideways on {name}"


@pytest.mark.parametrize("name", PAGES)
def test_every_form_control_has_a_label(
    name: str, phones: dict[str | None, Page], paths: dict[str, str]
) -> None:
    unlabelled = visit(name, phones, paths).evaluate(UNLABELLED_CONTROLS)
    assert not unlabelled, f"no label on {name} for: {'; '.join(unlabelled)}"


@pytest.mark.parametrize("name", PAGES)
def test_every_page_has_one_main_heading(
    name: str, phones: dict[str | None, Page], paths: dict[str, str]
) -> None:
    expect(visit(name, phones, paths).locator("h1")).to_have_count(1)


def test_a_meeting_and_its_case_are_recorded_and_referred_without_javascript(
    empty_site: Site,
) -> None:
    secretary = empty_site.person(phone=True, javascript=False)
    sign_in(secretary, "secretary")
    secretary.get_by_role("link", name="Record a meeting").click()
    secretary.get_by_label("Held on").fill("2026-01-14")
    secretary.get_by_label("Place").fill("Youth centre, Gračanica")
    secretary.get_by_label("Women, Serb", exact=True).fill("7")
    secretary.get_by_label("Men, Roma", exact=True).fill("2")
    secretary.get_by_role("button", name="Record the meeting").click()
    expect(secretary.locator("h1 + p")).to_contain_text("9 people came")

    secretary.get_by_role("link", name="Raise a new case at this meeting").click()
    secretary.get_by_label("Title").fill("Roma children without school transport")
    secretary.get_by_label("Description").fill("The school bus skips the Roma quarter.")
    secretary.get_by_label("Category").select_option("public_services")
    secretary.get_by_role("checkbox", name="Serb", exact=True).check()
    secretary.get_by_role("checkbox", name="Roma", exact=True).check()
    secretary.get_by_label("Language of the text").select_option("sr")
    secretary.get_by_role("button", name="Log the case").click()
    expect(secretary.get_by_role("status")).to_have_text(
        "Case GRA-2026-001 was logged."
    )

    advocate = empty_site.person(phone=True, javascript=False)
    sign_in(advocate, "advocate")
    advocate.goto("/cases/GRA-2026-001")
    advocate.locator("#step-accept summary").click()
    advocate.locator("#step-accept").get_by_role("button").click()
    expect(advocate.locator("h1 + p .status")).to_have_text("Accepted")
    refer = advocate.locator("#step-refer")
    refer.locator("summary").click()
    refer.locator("[name=institution_kind]").select_option("mayor")
    refer.locator("[name=institution_name]").fill("Mayor of Gračanica")
    refer.get_by_role("button").click()
    expect(advocate.locator("h1 + p .status")).to_have_text("Referred")
    expect(advocate.locator("h1 + p")).to_contain_text("jointly raised")


@pytest.mark.parametrize("name", PAGES)
def test_no_two_elements_share_an_id(
    name: str, phones: dict[str | None, Page], paths: dict[str, str]
) -> None:
    repeated = visit(name, phones, paths).evaluate(
        "() => { const seen = {}; for (const e of document.querySelectorAll('[id]'))"
        " seen[e.id] = (seen[e.id] || 0) + 1;"
        " return Object.keys(seen).filter((k) => seen[k] > 1); }"
    )
    assert not repeated, f"ids used twice on {name}: {repeated}"
