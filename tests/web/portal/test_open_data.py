"""The open-data ZIP: every table in CSV and JSON, a dictionary that matches them."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

from flask import Flask
from flask.testing import FlaskClient

from domain.reference import MUNICIPALITIES
from projections.open_data_tables import TABLES
from tests.web.conftest import services_of
from tests.web.open311.forum import Forum, publish, submitted
from tests.web.portal.conftest import open_data_files

Rows = list[dict[str, str]]


def _csv(text: str) -> tuple[list[str], Rows]:
    reader = csv.DictReader(io.StringIO(text))
    rows = list(reader)
    return list(reader.fieldnames or ()), rows


def test_every_table_is_there_in_csv_and_json_with_a_readme(
    client: FlaskClient, forum: Forum
) -> None:
    files = open_data_files(client)
    expected = {f"{t.name}.{kind}" for t in TABLES for kind in ("csv", "json")}
    assert set(files) == expected | {"README.txt"}
    for table in TABLES:
        header, rows = _csv(files[f"{table.name}.csv"])
        records = json.loads(files[f"{table.name}.json"])
        assert header == list(table.names)
        assert all(list(record) == header for record in records)
        assert len(records) == len(rows), table.name


def test_the_dictionary_lists_exactly_the_columns_of_the_files(
    client: FlaskClient, forum: Forum
) -> None:
    files = open_data_files(client)
    in_files = {
        (name.removesuffix(".csv"), column)
        for name, text in files.items()
        if name.endswith(".csv")
        for column in _csv(text)[0]
    }
    _, described = _csv(files["dictionary.csv"])
    assert {(row["table"], row["column"]) for row in described} == in_files
    as_json = json.loads(files["dictionary.json"])
    assert {(row["table"], row["column"]) for row in as_json} == in_files
    assert all(row["meaning"] and row["format"] for row in described)


def test_the_readme_gives_the_licence_and_what_is_left_out(
    client: FlaskClient, forum: Forum
) -> None:
    readme = open_data_files(client)["README.txt"]
    assert "CC BY 4.0" in readme
    assert "no personal data" in readme
    assert "only the cases a\ncoordinator published" in readme
    assert "published_cases.csv, published_cases.json: 3 rows" in readme


def test_scorecards_and_figures_cover_every_year_with_data(
    client: FlaskClient, forum: Forum
) -> None:
    files = open_data_files(client)
    _, cards = _csv(files["scorecards.csv"])
    assert {row["year"] for row in cards} == {"2025", "2026"}
    assert len(cards) == 2 * len(MUNICIPALITIES)
    by_place = {(r["year"], r["municipality"]): r for r in cards}
    shterpce = by_place["2025", "STR"]
    # The river was referred and answered; the others were never referred.
    assert shterpce["referrals_made"] == "1"
    assert shterpce["response_rate"] == "1.0"
    assert shterpce["response_rate_rank"] == ""  # one referral is too few
    assert by_place["2026", "STR"]["period_end"] == "2026-01-15"
    _, figures = _csv(files["accountability_figures.csv"])
    counted = {(r["year"], r["municipality"]): r for r in figures}
    assert counted["2025", "STR"]["cases_raised"] == "3"
    assert counted["2025", "GRA"]["cases_raised"] == "2"
    records = json.loads(files["accountability_figures.json"])
    assert any(r["joint_share"] == 1.0 for r in records)


def test_a_formula_is_written_harmless_in_csv_and_verbatim_in_json(
    empty_app: Flask, client: FlaskClient
) -> None:
    tracker = services_of(empty_app).tracker
    case_id, _ = submitted(tracker, raised_on=date(2025, 5, 5))
    publish(tracker, case_id, ["title"], title='=HYPERLINK("x")')
    files = open_data_files(client)
    _, rows = _csv(files["published_cases.csv"])
    assert rows[0]["title"] == '\'=HYPERLINK("x")'
    assert json.loads(files["published_cases.json"])[0]["title"] == '=HYPERLINK("x")'
