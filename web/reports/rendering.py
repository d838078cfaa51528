"""An accountability report as a file: HTML, PDF, XLSX, CSV or JSON, in a language.

One function serves the web page's downloads, the API and ``tracker report
accountability``. The language is the report's own, chosen per report, not
the reader's interface language. Each writer is imported when first used,
so the libraries behind PDF and XLSX cost nothing to a process that never
writes one.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import cache

from flask import Flask, has_app_context
from flask_babel import force_locale

from domain.errors import require_choice
from projections.accountability import AccountabilityReport, report_document
from web import i18n
from web.labels import label

REPORT_LANGUAGES: tuple[str, ...] = tuple(i18n.LANGUAGES)
Writer = Callable[[AccountabilityReport], bytes]


@dataclass(frozen=True)
class ReportFile:
    """A report ready to save or send: its bytes, media type and file name."""

    content: bytes
    media_type: str
    filename: str


def _write_json(report: AccountabilityReport) -> bytes:
    # Not indented: json's fast encoder serves only compact output, and a
    # country's report lists tens of thousands of responses.
    document = report_document(report)
    return (json.dumps(document, ensure_ascii=False) + "\n").encode()


def _write_html(report: AccountabilityReport) -> bytes:
    from web.reports.page import standalone_page

    return standalone_page(report).encode()


def _write_pdf(report: AccountabilityReport) -> bytes:
    from web.reports.pdf import write_pdf

    return write_pdf(report)


def _write_xlsx(report: AccountabilityReport) -> bytes:
    from web.reports.sheets import write_xlsx

    return write_xlsx(report)


def _write_csv(report: AccountabilityReport) -> bytes:
    from web.reports.sheets import write_csv_zip

    return write_csv_zip(report)


@dataclass(frozen=True)
class _Format:
    """How one report format is written, served and named."""

    write: Writer
    media_type: str
    extension: str


_FORMATS: dict[str, _Format] = {
    "html": _Format(_write_html, "text/html; charset=utf-8", "html"),
    "pdf": _Format(_write_pdf, "application/pdf", "pdf"),
    "xlsx": _Format(
        _write_xlsx,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
    ),
    # A ZIP of CSV files: the figures, the municipalities, the responses.
    "csv": _Format(_write_csv, "application/zip", "zip"),
    "json": _Format(_write_json, "application/json", "json"),
}
REPORT_FORMATS: tuple[str, ...] = tuple(_FORMATS)


def report_file(
    report: AccountabilityReport, *, file_format: str, language: str
) -> ReportFile:
    """The report in a format and a language (``sq``, ``sr_Latn``, ``sr_Cyrl``, ``en``).

    An unknown format or language raises `InvalidValue`.
    """
    chosen = _FORMATS[require_choice(file_format, REPORT_FORMATS, "format")]
    require_choice(language, REPORT_LANGUAGES, "language")
    with in_language(language):
        content = chosen.write(report)
    return ReportFile(
        content=content,
        media_type=chosen.media_type,
        filename=report_filename(report, language, chosen.extension),
    )


def report_filename(report: AccountabilityReport, language: str, extension: str) -> str:
    """``cfpi-accountability-2025-STR-sq.pdf``; a period not a year by its days."""
    start, end = report.period.start, report.period.end
    span = (
        str(start.year)
        if (start, end) == (date(start.year, 1, 1), date(start.year, 12, 31))
        else f"{start.isoformat()}-{end.isoformat()}"
    )
    place = f"-{report.municipality}" if report.municipality else ""
    return f"cfpi-accountability-{span}{place}-{language}.{extension}"


@contextmanager
def in_language(language: str) -> Iterator[None]:
    """Words, dates and numbers in this language, inside the web app or not."""
    if has_app_context():
        with force_locale(language):
            yield
        return
    with _reporting_app().app_context(), force_locale(language):
        yield


@cache
def _reporting_app() -> Flask:
    """The translations and templates of the web app, for a report made outside it."""
    app = Flask("web.app")  # the web app's root: its templates and translations
    i18n.init_app(app)
    app.jinja_env.globals.update(label=label)
    return app
