"""The accountability report as a PDF: the demo's figures, in the report's
language and letters, in Source Sans Pro, numbered, and whole however long."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date

import pytest
from flask_babel import gettext
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from domain.reference import MUNICIPALITIES, municipality
from projections.accountability import (
    SCALAR_FIGURES,
    AccountabilityReport,
    GovernmentResponse,
    Period,
    accountability_report,
)
from projections.views import open_views
from tests.conftest import TODAY, Demo
from tests.stores import Store
from tracker.application import open_tracker
from web.reports.pdf import report_title
from web.reports.pdf_sections import municipality_names
from web.reports.rendering import in_language, report_file
from web.reports.wording import NO_RESPONSES, figure_name, figure_value

YEAR = Period.year(2025, today=TODAY)
# The demo records nothing after 2025: this year so far is empty.
EMPTY = Period.between(date(2026, 1, 1), TODAY, today=TODAY)
CYRILLIC = re.compile(r"[\u0400-\u04ff]")


@pytest.fixture(scope="module")
def reports(
    demo_store: Demo, module_store: Store, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, AccountabilityReport]:
    """The demo's 2025 for all and for Shtërpcë/Štrpce, and an empty period."""
    home = tmp_path_factory.mktemp("report-pdf") / "home"
    settings = demo_store.copy(module_store, home)
    tracker = open_tracker(settings, clock=lambda: TODAY)
    views = open_views(tracker, settings)
    try:
        with views.reading() as c:
            return {
                "all": accountability_report(c, YEAR),
                "STR": accountability_report(c, YEAR, municipality="STR"),
                "empty": accountability_report(c, EMPTY),
            }
    finally:
        views.close()
        tracker.close()


def pdf_of(report: AccountabilityReport, language: str) -> bytes:
    """The report's PDF, as `report_file` makes it for a download."""
    made = report_file(report, file_format="pdf", language=language)
    assert made.media_type == "application/pdf"
    assert made.filename.endswith(f"-{language}.pdf")
    return made.content


def pages_of(content: bytes) -> list[str]:
    """Each page's text, its runs of white space made one space."""
    reader = PdfReader(io.BytesIO(content))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def worded(language: str, words: Callable[[], str]) -> str:
    """What the report's wording says in a language."""
    with in_language(language):
        return words()


def text_of(report: AccountabilityReport, language: str) -> str:
    """A report's PDF in a language, as one text."""
    return " ".join(pages_of(pdf_of(report, language)))


def figure_name_in(language: str, name: str) -> str:
    """A figure's name in a language."""
    return worded(language, lambda: figure_name(name))


def figure_row(language: str, name: str, value: float | None) -> str:
    """A figure's name and its value, as a row of the report starts."""
    with in_language(language):
        return f"{figure_name(name)} {figure_value(name, value)}"


def dictionary(value: object) -> DictionaryObject:
    """A PDF dictionary, through its reference if it is one."""
    if isinstance(value, IndirectObject):
        value = value.get_object()
    assert isinstance(value, DictionaryObject)
    return value


def fonts_of(reader: PdfReader) -> list[DictionaryObject]:
    """The fonts every page of a PDF uses."""
    return [
        dictionary(font)
        for page in reader.pages
        for font in dictionary(dictionary(page["/Resources"])["/Font"]).values()
    ]


def test_the_report_is_a_pdf_that_reads_back(
    reports: dict[str, AccountabilityReport],
) -> None:
    content = pdf_of(reports["STR"], "sq")
    assert content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) >= 2
    assert reader.metadata is not None
    expected = worded("sq", lambda: report_title(reports["STR"], municipality_names()))
    assert reader.metadata.title == expected
    assert "Shtërpcë" in expected
    assert str(reader.root_object["/Lang"]) == "sq"


def test_in_serbian_cyrillic_the_title_and_names_are_in_cyrillic(
    reports: dict[str, AccountabilityReport],
) -> None:
    text = text_of(reports["STR"], "sr_Cyrl")
    name = municipality("STR").name("sr_Cyrl")
    assert CYRILLIC.search(name)
    title = worded(
        "sr_Cyrl", lambda: report_title(reports["STR"], municipality_names())
    )
    assert title in text
    assert name in title
    cases_raised = worded("sr_Cyrl", lambda: figure_name("cases_raised"))
    assert CYRILLIC.search(cases_raised)
    assert cases_raised in text


def test_every_language_writes_its_own_municipality_names(
    reports: dict[str, AccountabilityReport],
) -> None:
    for language in ("sq", "sr_Latn", "sr_Cyrl", "en"):
        text = text_of(reports["all"], language)
        for row in reports["all"].municipalities:
            assert municipality(row.municipality or "").name(language) in text


def test_in_albanian_the_letters_with_marks_come_through(
    reports: dict[str, AccountabilityReport],
) -> None:
    text = text_of(reports["all"], "sq")
    assert "Shtërpcë" in text
    assert "Graçanicë" in text
    page = worded("sq", lambda: gettext("Page %(page)s of %(pages)s", page=1, pages=1))
    assert page.split()[0] in text  # "Faqja"


def test_the_figures_and_the_government_responses_are_in_the_pdf(
    reports: dict[str, AccountabilityReport],
) -> None:
    report = reports["all"]
    text = text_of(report, "en")
    for name in ("cases_raised", "referrals_made", "government_responses"):
        assert figure_row("en", name, getattr(report.figures, name)) in text
    assert report.government_responses
    for response in (report.government_responses[0], report.government_responses[-1]):
        assert response.reference in text
        assert response.institution in text


def test_the_text_is_in_source_sans_pro_embedded_and_never_in_helvetica(
    reports: dict[str, AccountabilityReport],
) -> None:
    reader = PdfReader(io.BytesIO(pdf_of(reports["all"], "sr_Cyrl")))
    used = set()
    for font in fonts_of(reader):
        used.add(str(font["/BaseFont"]))
        assert str(font["/Subtype"]) == "/Type0"  # not one of the 14 core fonts
        descendants = dictionary(font)["/DescendantFonts"]
        assert isinstance(descendants, ArrayObject)
        descendant = dictionary(descendants[0])
        assert "/FontFile2" in dictionary(descendant["/FontDescriptor"])
    assert used
    assert all("SourceSansPro" in name for name in used), used
    assert not any("Helvetica" in name for name in used)


def test_an_empty_period_has_no_medians_and_no_responses(
    reports: dict[str, AccountabilityReport],
) -> None:
    report = reports["empty"]
    assert report.figures.cases_raised == 0
    assert report.figures.median_days_to_first_response is None
    assert not report.government_responses
    text = text_of(report, "en")
    for name in (
        "median_days_to_first_response",
        "median_days_to_substantive_response",
    ):
        assert figure_row("en", name, None) in text
    assert worded("en", lambda: str(NO_RESPONSES)) in text


def test_many_government_responses_make_numbered_pages(
    reports: dict[str, AccountabilityReport],
) -> None:
    report = reports["all"]
    many = replace(report, government_responses=report.government_responses * 12)
    pages = pages_of(pdf_of(many, "en"))
    assert len(pages) > 15
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text
    assert many.government_responses[-1].reference in pages[-1]


def test_every_one_number_figure_of_every_municipality_is_shown(
    reports: dict[str, AccountabilityReport],
) -> None:
    row = reports["all"].municipalities[0]
    country = replace(
        reports["all"],
        municipalities=tuple(
            replace(row, municipality=place.code) for place in MUNICIPALITIES
        ),
    )
    text = text_of(country, "en")
    for place in MUNICIPALITIES:
        assert place.en in text
    for name in SCALAR_FIGURES:
        # Once in the figures, once in each of the seven tables of six.
        assert text.count(figure_name_in("en", name)) >= 1 + 7


def test_text_too_long_for_its_column_is_cut_short(
    reports: dict[str, AccountabilityReport],
) -> None:
    long_name = "Directorate " + " ".join(f"word{n}" for n in range(200))
    response = GovernmentResponse(
        reference="GRA-2025-999",
        municipality="GRA",
        institution_kind="municipal_directorate",
        institution=long_name,
        kind="commitment",
        received_on="2025-06-01",
    )
    report = replace(reports["empty"], government_responses=(response,))
    text = text_of(report, "en")
    assert "GRA-2025-999" in text
    assert "word3" in text
    assert "word199" not in text
    assert "\u2026" in text


def test_line_breaks_and_tabs_typed_into_a_name_print_as_spaces(
    reports: dict[str, AccountabilityReport],
) -> None:
    response = GovernmentResponse(
        reference="GRA-2025-998",
        municipality="GRA",
        institution_kind="municipal_directorate",
        institution="Drejtoria\tpër\nmjedis\r\x07",
        kind="commitment",
        received_on="2025-06-01",
    )
    report = replace(reports["empty"], government_responses=(response,))
    raw = "".join(
        page.extract_text()
        for page in PdfReader(io.BytesIO(pdf_of(report, "sq"))).pages
    )
    assert "Drejtoria për mjedis" in " ".join(raw.split())
    assert not {"\t", "\r", "\x07"} & set(raw)
