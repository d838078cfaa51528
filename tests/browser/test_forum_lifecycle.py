"""A forum's issue from the meeting where it is raised to its resolution, in a browser.

A secretary of the Graçanicë/Gračanica forum signs in, records a meeting
with its attendance and raises two cases there, one jointly by Albanian and
Serb participants. An advocate accepts the joint case, refers it to the
municipality, records the municipality's acknowledgement and then its
concrete action, and resolves it. After each step the case page, the
dashboard and the case list show where the case stands.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from babel.support import Translations
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import Site, screenshot, sign_in

TRANSLATIONS = Path(__file__).resolve().parents[2] / "web" / "translations"
PLACE = "Community hall, Laplje Selo"
# (gender, community) → how many came; 19 in all.
ATTENDANCE = {
    ("female", "albanian"): 6,
    ("male", "albanian"): 4,
    ("female", "serb"): 5,
    ("male", "serb"): 3,
    ("female", "roma"): 1,
}
JOINT_TITLE = "No bus between Laplje Selo and Gračanica after 16:00"
OTHER_TITLE = "Broken street lights on the road to the school"
MUNICIPALITY = "Directorate of Public Services, Municipality of Gračanica"


@dataclass(frozen=True)
class CaseStep:
    """One step an advocate takes on the case page, and what it leads to."""

    name: str
    title: str
    status: str
    event: str
    # Field name → value: options chosen, then text and dates typed.
    choose: dict[str, str]
    fill: dict[str, str] = field(default_factory=dict)
    referral_state: str | None = None


ADVOCACY = [
    CaseStep(
        "accept", "Accept for advocacy", "Accepted", "Accepted for advocacy",
        choose={"priority": "high"},
    ),
    CaseStep(
        "refer", "Refer to an institution", "Referred", "Referred to an institution",
        choose={"institution_kind": "municipal_directorate",
                "request_kind": "general_request"},
        fill={"institution_name": MUNICIPALITY, "sent_on": "2026-01-12"},
        referral_state="Pending",
    ),
    CaseStep(
        "record_response", "Record a response", "Awaiting response",
        "Response received",
        choose={"kind": "acknowledgement"},
        fill={"received_on": "2026-01-13",
              "summary": "The directorate confirms it received the request."},
        # An acknowledgement is not an answer: the referral still waits.
        referral_state="Pending",
    ),
    CaseStep(
        "record_response", "Record a response", "Answered", "Response received",
        choose={"kind": "concrete_action"},
        fill={"received_on": "2026-01-14",
              "summary": "An evening bus runs from 1 February, at 18:30 and 20:30."},
        referral_state="Answered",
    ),
    CaseStep(
        "resolve", "Resolve", "Resolved", "Resolved",
        choose={"outcome": "resolved"},
        fill={"resolved_on": "2026-01-15",
              "summary": "The evening line runs; the forum will check in March."},
    ),
]  # fmt: skip


def test_a_case_raised_jointly_at_a_meeting_is_referred_answered_and_resolved(
    empty_site: Site,
) -> None:
    secretary = empty_site.person(locale="sq-AL")
    record_meeting(secretary)
    joint = raise_case(
        secretary, JOINT_TITLE, ("Albanian", "Serb"), "Public services", "05"
    )
    other = raise_case(secretary, OTHER_TITLE, ("Albanian",), "Infrastructure", "07")
    expect(agenda(secretary)).to_have_text(
        [f"{joint} · raised here", f"{other} · raised here"]
    )
    check_case_list(secretary, {joint: "Submitted", other: "Submitted"}, "09")
    expect(case_row(secretary, joint)).to_contain_text(
        "Albanian, Serb · jointly raised"
    )
    expect(case_row(secretary, other)).not_to_contain_text("jointly raised")

    advocate = empty_site.person()
    sign_in(advocate, "advocate")
    expect(open_case(advocate, joint)).to_contain_text("Submitted")
    expect(open_case(advocate, other)).to_contain_text("Submitted")
    screenshot(advocate, "10-dashboard-advocate")
    open_case(advocate, joint).get_by_role("link", name=joint).click()
    expect(advocate.locator("h1")).to_have_text(f"{joint} · {JOINT_TITLE}")
    expect(advocate.locator("h1 + p")).to_contain_text("jointly raised")
    expect(status_of(advocate)).to_have_text("Submitted")
    screenshot(advocate, "11-case-submitted")

    events = ["Case submitted"]
    for number, step in enumerate(ADVOCACY, start=12):
        take(advocate, step)
        events.insert(0, step.event)
        expect(timeline(advocate)).to_have_text(events)
        screenshot(advocate, f"{number}-case-{step.status.lower().replace(' ', '-')}")
        check_dashboard(advocate, joint, step.status)
        check_case_list(advocate, {joint: step.status, other: "Submitted"})
        case_row(advocate, joint).get_by_role("link", name=joint).click()

    check_case_list(advocate, {joint: "Resolved", other: "Submitted"}, "17")
    screenshot(advocate, "18-dashboard-after-resolution")


def record_meeting(page: Page) -> None:
    """The secretary signs in (switching to English) and records the meeting."""
    page.goto("/login")
    expect(page.locator("html")).to_have_attribute("lang", "sq")
    expect(page.locator("h1")).to_have_text(in_albanian("Sign in"))
    page.get_by_role("link", name="English", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    screenshot(page, "01-login")
    sign_in(page, "secretary")
    expect(page.locator("main")).to_contain_text("Your municipalities: Gračanica.")
    expect(page.get_by_role("region", name="Open cases (0)")).to_contain_text("None.")
    screenshot(page, "02-dashboard-secretary")

    page.get_by_role("link", name="Record a meeting").click()
    expect(page.get_by_label("Municipality")).to_have_value("GRA")
    page.get_by_label("Held on").fill("2026-01-10")
    page.get_by_label("Place").fill(PLACE)
    for (gender, community), count in ATTENDANCE.items():
        page.locator(f"[name=attendance_{gender}_{community}]").fill(str(count))
    screenshot(page, "03-meeting-form")
    page.get_by_role("button", name="Record the meeting").click()

    expect(page.get_by_role("status")).to_have_text("The meeting was recorded.")
    expect(page.locator("h1")).to_have_text(f"Meeting in {PLACE}")
    expect(page.locator("h1 + p")).to_contain_text("Jan 10, 2026 · 19 people came")
    expect(page.get_by_label("Women, Serb")).to_have_value("5")
    expect(agenda(page)).to_have_text(["No cases yet."])
    screenshot(page, "04-meeting-recorded")


def in_albanian(text: str) -> str:
    """A text of the interface as the Albanian catalog has it (as is without one)."""
    catalog = Translations.load(str(TRANSLATIONS), ["sq"])
    return str(catalog.gettext(text))


def raise_case(
    page: Page, title: str, communities: tuple[str, ...], category: str, shot: str
) -> str:
    """From the meeting page, raise a case there; its reference."""
    page.get_by_role("link", name="Raise a new case at this meeting").click()
    expect(page.locator("main")).to_contain_text(
        f"Raised at the meeting in {PLACE} on Jan 10, 2026."
    )
    expect(page.get_by_label("Raised on")).to_have_value("2026-01-10")
    page.get_by_label("Title").fill(title)
    page.get_by_label("Description").fill(f"{title}: raised by forum members.")
    page.get_by_label("Category").select_option(label=category)
    for community in communities:
        page.get_by_role("checkbox", name=community, exact=True).check()
    page.get_by_label("Language of the text").select_option("sq")
    page.get_by_label("Location or village").fill("Laplje Selo")
    screenshot(page, f"{shot}-new-case")
    page.get_by_role("button", name="Log the case").click()

    logged = page.get_by_role("status")
    expect(logged).to_have_text(re.compile(r"^Case GRA-2026-\d{3} was logged\.$"))
    found = re.search(r"GRA-2026-\d{3}", logged.inner_text())
    assert found is not None
    expect(page.locator("h1")).to_have_text(f"Meeting in {PLACE}")
    screenshot(page, f"{int(shot) + 1:02d}-meeting-with-case")
    return found.group()


def take(page: Page, step: CaseStep) -> None:
    """Open a step on the case page, fill its form, send it, check the case."""
    panel = page.locator(f"#step-{step.name}")
    panel.locator("summary").click()
    # By name, not label: every step form on the page reuses the same ids.
    for name, value in step.choose.items():
        panel.locator(f"[name={name}]").select_option(value)
    for name, value in step.fill.items():
        panel.locator(f"[name={name}]").fill(value)
    panel.get_by_role("button", name=step.title).click()

    expect(page.get_by_role("status")).to_have_text(f"Saved: {step.title}.")
    expect(status_of(page)).to_have_text(step.status)
    if step.referral_state is not None:
        referral = page.get_by_role("row").filter(has_text=MUNICIPALITY)
        expect(referral).to_contain_text(step.referral_state)


def check_dashboard(page: Page, reference: str, status: str) -> None:
    """The dashboard lists the case with its status (among open cases while open)."""
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Dashboard"
    ).click()
    recent = page.get_by_role("region", name="Recent activity").get_by_role("listitem")
    expect(recent.filter(has_text=reference)).to_contain_text(status)
    if status == "Resolved":
        expect(open_case(page, reference)).to_have_count(0)
    else:
        expect(open_case(page, reference)).to_contain_text(status)


def check_case_list(page: Page, statuses: dict[str, str], shot: str = "") -> None:
    """The case list shows exactly these cases, each with its status."""
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Cases", exact=True
    ).click()
    expect(page.locator("main")).to_contain_text(f"{len(statuses)} cases")
    for reference, status in statuses.items():
        expect(case_row(page, reference).locator(".status")).to_have_text(status)
    if shot:
        screenshot(page, f"{shot}-case-list")


def case_row(page: Page, reference: str) -> Locator:
    """A case's row in the case list."""
    return page.get_by_role("row").filter(
        has=page.get_by_role("link", name=reference, exact=True)
    )


def open_case(page: Page, reference: str) -> Locator:
    """A case's line among the dashboard's open cases."""
    return (
        page.get_by_role("region", name=re.compile(r"^Open cases"))
        .get_by_role("listitem")
        .filter(has_text=reference)
    )


def agenda(page: Page) -> Locator:
    """The lines of a meeting's agenda."""
    return page.locator("h2:text-is('Agenda') + ul > li")


def status_of(page: Page) -> Locator:
    """The status shown under a case page's heading."""
    return page.locator("h1 + p .status")


def timeline(page: Page) -> Locator:
    """The headings of a case's timeline, newest first."""
    return page.locator("ol.timeline > li > strong")
