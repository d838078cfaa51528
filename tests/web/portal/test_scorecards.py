"""Scorecards: ranks only on at least 10 referrals, Wilson intervals as counted."""

from __future__ import annotations

import re
from datetime import date

from babel.numbers import format_percent
from flask import Flask
from flask.testing import FlaskClient

from projections.accountability import Period
from projections.scorecards import MIN_REFERRALS, scorecards, wilson_interval
from tests.application.builders import referred
from tests.conftest import TODAY
from tests.web.conftest import services_of
from tracker.application import CaseTracker

ANSWERED_ON = date(2025, 4, 1)


def _referrals(
    tracker: CaseTracker, municipality: str, made: int, answered: int
) -> None:
    """`made` referrals sent in 2025 by a municipality's forum, `answered` answered."""
    for n in range(made):
        case_id, referral = referred(tracker, municipality=municipality)
        if n < answered:
            tracker.record_response(
                case_id, referral.referral_id, actor="advocate",
                received_on=ANSWERED_ON, kind="information", summary="An answer",
            )  # fmt: skip


def _row(page: str, municipality: str) -> str:
    found = re.search(rf'<tr id="scorecard-{municipality}">(.*?)</tr>', page, re.S)
    assert found, municipality
    return found.group(1)


def _cell(row: str, css_class: str) -> str:
    found = re.search(rf'class="{css_class}">([^<]*)<', row)
    assert found, css_class
    return found.group(1).strip()


def _percent(share: float) -> str:
    return str(format_percent(share, "#,##0%", locale="en"))


def _rate_text(answered: int, made: int) -> str:
    interval = wilson_interval(answered, made)
    assert interval
    low, high = interval
    return f"{_percent(answered / made)} ({_percent(low)}–{_percent(high)})"


def test_only_municipalities_with_ten_referrals_are_ranked(
    empty_app: Flask, client: FlaskClient
) -> None:
    tracker = services_of(empty_app).tracker
    assert MIN_REFERRALS == 10
    _referrals(tracker, "LIP", made=12, answered=11)
    _referrals(tracker, "STR", made=10, answered=7)
    _referrals(tracker, "GRA", made=9, answered=9)  # the best rate, on too few
    client.set_cookie("language", "en")
    page = client.get("/public/scorecards?year=2025").get_data(as_text=True)
    lipjan, shterpce, gracanica = (_row(page, m) for m in ("LIP", "STR", "GRA"))
    assert _cell(lipjan, "rank") == "1"
    assert _cell(shterpce, "rank") == "2"
    assert 'class="rank"' not in gracanica
    assert _cell(gracanica, "unranked") == "Too few referrals to rank"
    # The median days rest on the answered referrals: only Lipjan has ten.
    assert re.findall(r'class="rank">(\d+)<', lipjan) == ["1", "1"]
    assert "Too few answered referrals to rank" in shterpce
    for row, answered, made in ((lipjan, 11, 12), (shterpce, 7, 10), (gracanica, 9, 9)):
        assert _cell(row, "rate") == _rate_text(answered, made)
        assert "<svg" in row
    assert _cell(_row(page, "DEC"), "rate") == "no referrals"
    assert "<svg" not in _row(page, "DEC")


def test_the_interval_bar_is_drawn_from_the_wilson_interval(
    empty_app: Flask, client: FlaskClient
) -> None:
    tracker = services_of(empty_app).tracker
    _referrals(tracker, "STR", made=10, answered=7)
    page = client.get("/public/scorecards?year=2025").get_data(as_text=True)
    row = _row(page, "STR")
    interval = wilson_interval(7, 10)
    assert interval
    low, high = (round(end * 100, 2) for end in interval)
    assert f'<rect class="range" x="{low}" y="2" width="{round(high - low, 2)}"' in row
    assert 'x1="70.0" y1="0" x2="70.0"' in row


def test_every_interval_shown_is_the_wilson_interval_of_its_counts(
    app: Flask,
) -> None:
    period = Period.year(2024, today=TODAY)
    with services_of(app).views.reading() as c:
        cards = scorecards(c, period)
    client = app.test_client()
    client.set_cookie("language", "en")
    page = client.get("/public/scorecards?year=2024").get_data(as_text=True)
    shown = 0
    for card in cards:
        row = _row(page, card.municipality)
        if card.referrals_made == 0:
            assert _cell(row, "rate") == "no referrals"
            continue
        assert _cell(row, "rate") == _rate_text(
            card.referrals_answered, card.referrals_made
        )
        ranked = card.referrals_made >= MIN_REFERRALS
        assert (card.response_rate_rank is not None) == ranked
        shown += 1
    assert shown >= 3  # the demo's forums made referrals in 2024


def test_the_method_is_explained(client: FlaskClient) -> None:
    client.set_cookie("language", "en")
    page = client.get("/public/scorecards").get_data(as_text=True)
    assert "Wilson score interval" in page
    assert "at least 10 referrals were made" in page
    assert "An acknowledgement or a redirection" in page
