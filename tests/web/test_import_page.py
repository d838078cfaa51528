"""Importing a spreadsheet on the web: templates, checking, landing, refusing."""

from __future__ import annotations

import html
import io

from flask import Flask
from flask.testing import FlaskClient

from tests.application.builders import event_count
from tests.application.spreadsheets import csv_file, numbered_rows, row, xlsx_file
from tests.web.conftest import csrf_token, services_of, sign_in
from tracker.import_columns import COLUMNS
from tracker.import_sheet import read_sheet
from web.imports import MEANINGS


def signed_in(app: Flask, username: str) -> FlaskClient:
    """A client signed in as a test account, reading English."""
    client = app.test_client()
    client.set_cookie("language", "en")
    return sign_in(client, username)


def upload(
    client: FlaskClient, content: bytes, filename: str, button: str, encoding: str = ""
) -> tuple[int, str]:
    """Send a file to the import page with one of its buttons."""
    answer = client.post(
        "/cases/import",
        data={
            "csrf_token": csrf_token(client, "/cases/import"),
            "file": (io.BytesIO(content), filename),
            "encoding": encoding,
            button: "1",
        },
        content_type="multipart/form-data",
    )
    return answer.status_code, answer.get_data(as_text=True)


def test_the_templates_download_and_read_back(empty_app: Flask) -> None:
    client = signed_in(empty_app, "secretary")
    for file_format in ("csv", "xlsx"):
        answer = client.get(f"/cases/import/template.{file_format}")
        assert answer.status_code == 200
        assert "attachment" in answer.headers["Content-Disposition"]
        sheet = read_sheet(answer.get_data(), filename=f"template.{file_format}")
        assert len(sheet.rows) == 1
    assert client.get("/cases/import/template.pdf").status_code == 404


def test_the_page_explains_every_column_in_the_readers_language(
    empty_app: Flask,
) -> None:
    assert set(MEANINGS) == {column.name for column in COLUMNS}
    page = signed_in(empty_app, "secretary").get("/cases/import").get_data(as_text=True)
    for column in COLUMNS:
        assert f"<code>{column.name}</code>" in page
        with empty_app.test_request_context(headers={"Accept-Language": "en"}):
            assert str(MEANINGS[column.name]) in html.unescape(page)
    assert "sq, sr, en, tr, bs" in page  # every language a row may be in
    client = signed_in(empty_app, "secretary")
    client.set_cookie("language", "sq")
    albanian = client.get("/cases/import").get_data(as_text=True)
    assert "Një titull i shkurtër i çështjes." in albanian


def test_checking_a_file_writes_nothing(empty_app: Flask) -> None:
    secretary = signed_in(empty_app, "secretary")  # a sign-in is on the audit log
    before = event_count(services_of(empty_app).tracker)
    status, page = upload(secretary, csv_file(numbered_rows(3)), "c.csv", "check")
    assert status == 200
    assert "3 rows can be imported" in page
    assert event_count(services_of(empty_app).tracker) == before


def test_a_good_file_lands_with_its_references(empty_app: Flask) -> None:
    status, page = upload(
        signed_in(empty_app, "secretary"), xlsx_file(numbered_rows(2)), "c.xlsx", "land"
    )
    assert status == 200
    assert "2 cases imported" in page
    assert "GRA-2025-001" in page
    assert "GRA-2025-002" in page


def test_a_bad_row_is_listed_with_its_line_and_nothing_lands(empty_app: Flask) -> None:
    secretary = signed_in(empty_app, "secretary")  # a sign-in is on the audit log
    before = event_count(services_of(empty_app).tracker)
    rows = [row(title="Fine"), row(title="Broken", raised_on="31.02.2025")]
    status, page = upload(secretary, csv_file(rows), "c.csv", "land")
    assert status == 422
    assert "Nothing was imported" in page
    assert "Line 3" in page
    assert event_count(services_of(empty_app).tracker) == before


def test_a_secretary_imports_only_into_their_municipality(empty_app: Flask) -> None:
    rows = [row(title="Here"), row(title="Elsewhere", municipality="STR")]
    status, page = upload(
        signed_in(empty_app, "secretary"), csv_file(rows), "c.csv", "land"
    )
    assert status == 422
    assert "not one of your municipalities" in page
    assert upload(signed_in(empty_app, "advocate"), csv_file(rows), "c.csv",
                  "land")[0] == 200  # fmt: skip


def test_a_windows_1250_file_is_read_with_its_encoding(empty_app: Flask) -> None:
    content = csv_file([row(title="Čišćenje rijeke")], encoding="cp1250")
    client = signed_in(empty_app, "secretary")
    status, page = upload(client, content, "c.csv", "land")
    assert status == 422
    assert "cp1250" in page
    status, page = upload(client, content, "c.csv", "land", encoding="cp1250")
    assert status == 200, page
    case = services_of(empty_app).tracker.case("GRA-2025-001")
    assert case.title == "Čišćenje rijeke"


def test_a_viewer_cannot_import(empty_app: Flask) -> None:
    client = signed_in(empty_app, "viewer")
    assert client.get("/cases/import").status_code == 403
    assert client.get("/cases/import/template.csv").status_code == 403
