"""The accountability report's page, its downloads and its charts."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale

from projections.accountability import (
    SCALAR_FIGURES,
    AccountabilityReport,
    Period,
    accountability_report,
)
from tests.conftest import TODAY
from tests.web.conftest import ACCOUNTS, services_of
from web.reports.charts import Bar, Chart
from web.reports.rendering import report_file
from web.reports.svg import label_lines, svg_chart
from web.reports.wording import figure_name, figure_value

PAGE = "/reports/accountability"
GRA_2025 = "year=2025&municipality=GRA&language=en"


def _report(app: Flask, year: int, municipality: str | None) -> AccountabilityReport:
    with services_of(app).views.reading() as c:
        return accountability_report(
            c, Period.year(year, today=TODAY), municipality=municipality
        )


def _figure_cells(page: str) -> dict[str, list[str]]:
    """Each one-line figure's cells (this period, previous, change), by §6 name."""
    rows = re.findall(
        r'<tr data-figure="([a-z_]+)">\s*<th scope="row">[^<]*</th>(.*?)</tr>',
        page,
        re.S,
    )
    return {
        figure: [unescape(c) for c in re.findall(r"<td[^>]*>([^<]*)</td>", cells)]
        for figure, cells in rows
    }


def _text(answer: object) -> str:
    return str(answer.get_data(as_text=True))  # type: ignore[attr-defined]


@pytest.mark.parametrize("role", list(ACCOUNTS))
def test_the_report_page_opens_for_every_role(
    as_role: dict[str, FlaskClient], role: str
) -> None:
    answer = as_role[role].get(PAGE)
    page = _text(answer)
    assert answer.status_code == 200, page[-3000:]
    assert 'class="report"' in page
    assert "<svg" in page
    assert "<script" not in page
    assert f'href="{PAGE}"' in page  # the "Reports" link of the menu


def test_without_a_period_the_report_is_of_last_year_until_march(
    as_role: dict[str, FlaskClient],
) -> None:
    assert TODAY.month < 3
    page = _text(as_role["admin"].get(PAGE))
    assert f'value="{TODAY.year - 1}"' in page
    assert f"year={TODAY.year - 1}" in page  # the downloads ask for the same


def test_a_secretary_is_offered_only_their_municipalities(
    as_role: dict[str, FlaskClient],
) -> None:
    secretary = as_role["secretary"]
    page = _text(secretary.get(PAGE))
    select = re.search(r'<select[^>]*name="municipality".*?</select>', page, re.S)
    assert select is not None
    assert re.findall(r'value="([^"]*)"', select.group(0)) == ["GRA"]
    assert "All municipalities" not in select.group(0)
    assert secretary.get(f"{PAGE}?year=2025&municipality=STR").status_code == 404
    assert secretary.get(f"{PAGE}.json?year=2025&municipality=STR").status_code == 404
    assert secretary.get(f"{PAGE}.docx?year=2025&municipality=STR").status_code == 404
    every = secretary.get(f"{PAGE}?year=2025&municipality=")
    assert every.status_code == 400
    assert "Choose one of the options." in _text(every)


def test_others_may_choose_all_municipalities(as_role: dict[str, FlaskClient]) -> None:
    page = _text(as_role["viewer"].get(f"{PAGE}?year=2025&municipality=&language=en"))
    assert '<option selected value="">All municipalities</option>' in page
    assert 'data-municipality="GRA"' in page  # the table of each municipality
    assert 'id="chart-municipalities-cases_raised"' in page


def test_the_figures_on_the_page_are_the_reports(
    app: Flask, as_role: dict[str, FlaskClient]
) -> None:
    report = _report(app, 2025, "GRA")
    assert report.figures.cases_raised > 0
    cells = _figure_cells(_text(as_role["admin"].get(f"{PAGE}?{GRA_2025}")))
    with app.test_request_context(), force_locale("en"):
        for name in SCALAR_FIGURES:
            now = figure_value(name, getattr(report.figures, name))
            before = figure_value(name, getattr(report.previous, name))
            assert cells[name][:2] == [now, before], name


def test_the_government_responses_link_to_their_cases(
    app: Flask, as_role: dict[str, FlaskClient]
) -> None:
    report = _report(app, 2025, None)
    assert report.government_responses
    page = _text(as_role["advocate"].get(f"{PAGE}?year=2025&language=en"))
    for response in report.government_responses:
        assert f'<a href="/cases/{response.reference}">' in page


def test_every_chart_is_named_and_has_no_script(
    as_role: dict[str, FlaskClient],
) -> None:
    page = _text(as_role["admin"].get(f"{PAGE}?year=2025&language=en"))
    charts = re.findall(r"<svg[^>]*>", page)
    assert len(charts) >= 3
    for chart in charts:
        assert 'role="img"' in chart
        named = re.search(r'aria-labelledby="([^"]+)"', chart)
        assert named is not None
        for part in named.group(1).split():
            assert f'id="{part}"' in page
    assert "<script" not in page


def test_the_report_is_in_its_own_language_and_the_page_in_the_readers(
    app: Flask, as_role: dict[str, FlaskClient]
) -> None:
    page = _text(as_role["admin"].get(f"{PAGE}?year=2025&language=sr_Cyrl"))
    with app.test_request_context(), force_locale("sr_Cyrl"):
        cyrillic = figure_name("cases_raised")
    assert cyrillic != "Cases raised"
    assert cyrillic in page
    assert 'class="report" lang="sr-Cyrl"' in page
    assert "Грачаница" in page  # municipality names in the report's language
    assert '<html lang="en">' in page
    assert ">Dashboard</a>" in page
    assert "Language of the report" in page


def test_the_report_language_is_the_readers_unless_chosen(
    as_role: dict[str, FlaskClient],
) -> None:
    page = _text(as_role["admin"].get(PAGE))
    assert '<option selected value="en">English</option>' in page
    assert 'class="report" lang="en"' in page


def test_the_json_download_is_the_report(
    app: Flask, as_role: dict[str, FlaskClient]
) -> None:
    answer = as_role["admin"].get(f"{PAGE}.json?{GRA_2025}")
    assert answer.status_code == 200
    assert answer.mimetype == "application/json"
    disposition = answer.headers["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert "cfpi-accountability-2025-GRA-en.json" in disposition
    document = json.loads(answer.get_data())
    assert document["cases_raised"] == _report(app, 2025, "GRA").figures.cases_raised


def test_the_html_download_stands_alone(as_role: dict[str, FlaskClient]) -> None:
    answer = as_role["coordinator"].get(
        f"{PAGE}.html?year=2025&municipality=GRA&language=sr_Cyrl"
    )
    assert answer.status_code == 200
    assert answer.mimetype == "text/html"
    assert (
        "cfpi-accountability-2025-GRA-sr_Cyrl.html"
        in (answer.headers["Content-Disposition"])
    )
    document = _text(answer)
    assert document.startswith("<!doctype html>")
    assert '<html lang="sr-Cyrl">' in document
    assert "<style>" in document
    assert "<svg" in document
    assert "Грачаница" in document
    for outside in ("<script", "<link", "src=", "href=", "url(", "@import"):
        assert outside not in document, outside


def test_the_page_links_each_download(as_role: dict[str, FlaskClient]) -> None:
    page = _text(as_role["admin"].get(f"{PAGE}?{GRA_2025}"))
    for extension in ("html", "pdf", "xlsx", "csv", "json"):
        assert f'href="{PAGE}.{extension}?' in page, extension


def test_the_standalone_file_is_made_outside_the_web_app(app: Flask) -> None:
    report = _report(app, 2025, None)
    made = report_file(report, file_format="html", language="sq")
    document = made.content.decode()
    assert '<html lang="sq">' in document
    assert "Graçanicë" in document
    assert "<script" not in document
    assert made.filename == "cfpi-accountability-2025-sq.html"


def test_an_empty_period_says_none_for_the_medians(
    as_role: dict[str, FlaskClient],
) -> None:
    cells = _figure_cells(_text(as_role["admin"].get(f"{PAGE}?year=1995&language=en")))
    assert cells["cases_raised"][0] == "0"
    assert cells["median_days_to_first_response"][:2] == ["none", "none"]
    assert cells["median_days_to_substantive_response"][0] == "none"


def test_any_period_can_be_asked_by_its_days(as_role: dict[str, FlaskClient]) -> None:
    answer = as_role["admin"].get(
        f"{PAGE}?start=2025-04-01&end=2025-06-30&municipality=GRA&language=en"
    )
    page = _text(answer)
    assert answer.status_code == 200
    assert "Apr 1, 2025 – Jun 30, 2025" in page
    assert "Jan 1, 2025 – Mar 31, 2025" in page  # the previous quarter
    assert "start=2025-04-01" in page
    assert "end=2025-06-30" in page


@pytest.mark.parametrize(
    ("query", "field", "reason"),
    [
        ("year=abc", "Year", "Enter a whole number."),
        ("year=1989", "Year", "Choose a year from 1990 to 2026."),
        ("year=0", "Year", "Choose a year from 1990 to 2026."),
        ("year=2027", "Year", "Choose a year from 1990 to 2026."),
        ("year=99999999999999999999999", "Year", "Choose a year from 1990 to 2026."),
        (
            "start=2025-03-01&end=2025-02-01",
            "Last day",
            "The period ends before it starts.",
        ),
        ("start=2025-03-01", "Last day", "Give both days of the period."),
        (
            "start=1980-01-01&end=1980-12-31",
            "First day",
            "The period must start between",
        ),
        (
            "start=2026-02-01&end=2026-03-01",
            "First day",
            "The period must start between",
        ),
        ("start=2025-02-31&end=2025-03-01", "First day", "Enter a date"),
        ("year=2025&municipality=XXX", "Municipality", "Choose one of the options."),
        ("year=2025&language=de", "Language of the report", "Choose one of the"),
    ],
)
def test_a_bad_request_names_its_field_and_keeps_the_form(
    as_role: dict[str, FlaskClient], query: str, field: str, reason: str
) -> None:
    for path in (PAGE, f"{PAGE}.json"):
        answer = as_role["advocate"].get(f"{path}?{query}")
        page = _text(answer)
        assert answer.status_code == 400, (path, page[-2000:])
        assert f"<li>{field}: {reason}" in page
        assert 'class="report"' not in page
        first = query.split("&")[0].split("=")[1]
        assert f'value="{first}"' in page  # what was typed is kept


def test_an_unknown_format_is_refused(as_role: dict[str, FlaskClient]) -> None:
    answer = as_role["admin"].get(f"{PAGE}.docx?year=2025")
    assert answer.status_code == 400
    assert "There is no download as “docx”" in _text(answer)
    assert 'value="2025"' in _text(answer)


def test_a_long_label_is_wrapped_on_two_lines_and_cut() -> None:
    assert label_lines("Mitrovicë e Jugut") == ("Mitrovicë e Jugut",)
    wrapped = label_lines("Zyra për komunitete dhe kthim, Drejtoria komunale")
    assert len(wrapped) == 2
    assert all(len(line) <= 30 for line in wrapped)
    cut = label_lines(" ".join(["Opština"] * 20))
    assert len(cut) == 2
    assert cut[1].endswith("…")
    assert all(len(line) <= 30 for line in label_lines("x" * 70))


def test_a_chart_writes_every_value_and_escapes_its_words() -> None:
    chart = Chart(
        figure="cases_by_category",
        title="Cases <by> category",
        bars=(Bar("Roads & water", 4, "4", 1.0), Bar("Other", 0, "0", 0.0)),
    )
    drawn = str(svg_chart(chart, "chart-test"))
    assert "Cases &lt;by&gt; category" in drawn
    assert "Roads &amp; water" in drawn
    assert ">4</text>" in drawn
    assert ">0</text>" in drawn
    assert 'width="0.0"' in drawn  # nothing counted: no bar
    assert "<script" not in drawn
