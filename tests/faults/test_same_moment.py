"""Two people change the same case at the same moment, many times (issue 9).

The processes of docker-compose.yml serve the tracker (gunicorn, two
workers) on SQLite and on a throwaway PostgreSQL database. In every round
two advocates read the same version of a case, then send a conflicting
step at once: through the API with ``If-Match``, or through the case page's
step forms. Exactly one change lands; the other person is told, with the
current version (API) or a message in their own language and their form
kept (web); nothing of theirs is stored. Two secretaries submitting new
cases at once each get a reference of their own.

Each test prints one ``SAME_MOMENT …`` line: how many rounds had one
winner and a told loser, and how many truly raced: both requests in flight
together, answered by two different workers, and (API) the loser's server
read the case before the winner's change was saved.
"""

from __future__ import annotations

import gettext
import html
import json
import re
from collections.abc import Iterator
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from tests.deployment.processes import deploy, throwaway_database
from tests.deployment.web_client import Page, Person
from tests.faults.racing import (
    ADVOCATES,
    API_STEPS,
    REPEATABLE,
    SECRETARIES,
    TODAY,
    WEB_STEPS,
    Forum,
    Reply,
    Tally,
    Timed,
    api_step,
    as_agent,
    at_the_same_moment,
    form_sent_to,
    forum_of,
    in_flight_together,
    served_apart,
    still_typed,
    typed_into,
    version_of,
    written_by,
)
from tests.faults.scale import rounds
from tests.postgres import needs_postgres

pytestmark = [pytest.mark.faults, pytest.mark.slow]

API_ROUNDS = rounds(10, 200)
WEB_ROUNDS = rounds(8, 200)
SUBMISSION_ROUNDS = rounds(4, 100)
CATALOGS = Path(__file__).resolve().parents[2] / "web" / "translations"
CHANGED = "Someone else changed this case since you opened the form"


@pytest.fixture(
    scope="module",
    params=[pytest.param("postgresql", marks=needs_postgres), "sqlite"],
)
def forum(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Forum]:
    """The compose file's processes on one store, with two advocates and two
    secretaries of Gračanica."""
    root = tmp_path_factory.mktemp(f"same-moment-{request.param}")
    if request.param == "sqlite":
        with deploy(root, None) as deployment:
            yield forum_of(deployment, request.param)
        return
    with throwaway_database() as url, deploy(root, url) as deployment:
        yield forum_of(deployment, request.param)


# -- what each round checks ------------------------------------------------------


def recorded_since(
    forum: Forum, reference: str, version: int
) -> tuple[int, list[dict[str, Any]], dict[str, Any]]:
    """The case's version now, its events after `version`, and the case."""
    caller = forum.api("oliver")
    case = caller.send("GET", f"/cases/{reference}")
    history = caller.send("GET", f"/cases/{reference}/history").body
    return version_of(case), [e for e in history if e["version"] > version], case.body


def only_winner_recorded(
    entries: list[dict[str, Any]], now: int, winner: str, written: dict[str, str]
) -> str:
    """What is wrong with the events a round added, if anything ("" if nothing).

    They must be the winner's alone, end at the version now, and hold what
    the winner wrote and nothing the loser wrote.
    """
    loser = next(name for name in written if name != winner)
    recorded = json.dumps([e["details"] for e in entries], ensure_ascii=False)
    if not entries or entries[-1]["version"] != now:
        return f"the winner's events are not the last ones: {entries}"
    if {e["actor"] for e in entries} != {winner}:
        return f"events not by the winner {winner}: {entries}"
    if written[winner] not in recorded:
        return f"the winner's {written[winner]!r} was not stored: {entries}"
    if written[loser] in recorded:
        return f"the loser's {written[loser]!r} was stored: {entries}"
    return ""


def one_winner(won: list[bool], answers: list[Timed[Any]]) -> int:
    """The index of the one answer that won; fails unless exactly one did."""
    winners = [n for n, w in enumerate(won) if w]
    assert len(winners) == 1, f"{len(winners)} winners: {answers}"
    return winners[0]


def raced_for_real(tally: Tally) -> None:
    """Print the round's figures; fail if no round truly raced."""
    print(tally.line())
    assert tally.counts.get("on_two_workers", 0) >= 1, (
        f"no two requests were ever answered by two workers at once: {tally.line()}"
    )


# -- the API ---------------------------------------------------------------------


def api_round(
    forum: Forum, kind: str, reference: str, referral: str, agents: list[list[str]]
) -> tuple[int, list[Timed[Reply]], dict[str, str]]:
    """Both advocates read the case's version, then send `kind` at once with
    ``If-Match`` of it: the version read, their answers, what each wrote."""
    number = len(agents)
    read = version_of(forum.api("oliver").send("GET", f"/cases/{reference}"))
    written = {name: written_by(kind, name, number) for name in ADVOCATES}
    agents.append([f"{forum.store}-api-{number}-{name}" for name in ADVOCATES])
    sends = []
    for name, agent in zip(ADVOCATES, agents[-1], strict=True):
        headers = {"If-Match": f'"{read}"'}
        # Every other round also sends an Idempotency-Key: its receipt is
        # saved in the same transaction as the step.
        headers |= {"Idempotency-Key": agent} if number % 2 else {}
        path, body = api_step(kind, reference, referral, written[name])
        sends.append(partial(forum.api(name).send, "POST", path, body, headers, agent))
    return read, at_the_same_moment(sends), written


def test_two_people_stepping_a_case_through_the_api_at_once_one_wins_one_is_told(
    forum: Forum,
) -> None:
    tally = Tally("api", forum.store, {"rounds": API_ROUNDS})
    agents: list[list[str]] = []
    reference, referral = "", ""
    for number in range(API_ROUNDS):
        kind = API_STEPS[number % len(API_STEPS)]
        if kind == "triage":
            reference = forum.new_case(f"Street lights, race {number}")
        read, answers, written = api_round(forum, kind, reference, referral, agents)
        won = one_winner([200 <= a.answer.status < 300 for a in answers], answers)
        winner, loser = list(ADVOCATES)[won], answers[1 - won].answer
        now, entries, case = recorded_since(forum, reference, read)
        assert loser.status in (409, 412), (kind, loser)
        assert loser.body.get("current_version") == now, (kind, now, loser.body)
        assert loser.body.get("message"), (kind, loser.body)
        assert answers[won].answer.body["version"] == now, (kind, answers)
        wrong = only_winner_recorded(entries, now, winner, written)
        assert not wrong, f"round {number} ({kind}): {wrong}"
        assert case["priority"] == written[winner] or kind != "triage", case
        referral = answers[won].answer.body.get("referral_id", referral)
        tally.count("one_winner")
        tally.count("loser_told")
        tally.count("in_flight_together", in_flight_together(answers))
        # Refused at the If-Match check, the loser read the case after the
        # winner saved; past it, both read the same version before either saved.
        read_first = loser.body["errors"][0]["field"] != "If-Match"
        tally.count("both_read_before_either_saved", read_first)
    served_apart(forum, agents, tally)
    raced_for_real(tally)


# -- the web ---------------------------------------------------------------------


def message_in(language: str, text: str) -> str:
    """A message of the interface as the catalog of `language` words it."""
    if language == "en":
        return text
    catalog = gettext.translation("messages", CATALOGS, languages=[language])
    translated = catalog.gettext(text)
    assert translated != text, f"{text!r} has no {language} translation"
    return translated


def told_in_their_language(page: Page, name: str) -> bool:
    """Whether the page says, in `name`'s language, that someone else changed
    the case."""
    language = ADVOCATES[name]
    shown = html.unescape(page.text)
    english_too = language != "en" and CHANGED in shown
    return message_in(language, CHANGED) in shown and not english_too


def refusal_shown(page: Page) -> str:
    """The first alert or form error a refused page shows, for a failure's report."""
    found = re.search(r'(?:role="alert"|class="errors?")[^>]*>(.*?)</', page.text, re.S)
    return html.unescape(found[1]).strip() if found else page.text[:300]


def web_round(
    forum: Forum, people: dict[str, Person], step: str, reference: str,
    agents: list[list[str]],
) -> tuple[int, list[Timed[Page]], dict[str, str], dict[str, Any]]:  # fmt: skip
    """Both open the case page, then send the step's form at once: the version
    the forms were opened on, the answers, what each wrote and typed."""
    number = len(agents)
    action = f"/cases/{reference}/steps/{step}"
    pages = {name: p.get(f"/cases/{reference}") for name, p in people.items()}
    opened = {form_sent_to(page, action)["version"][0] for page in pages.values()}
    assert len(opened) == 1, f"the forms were opened on versions {opened}"
    written = {name: written_by(step, name, number) for name in people}
    typed = {name: typed_into(step, written[name]) for name in people}
    agents.append([f"{forum.store}-web-{number}-{name}" for name in people])
    sends = [
        partial(as_agent(person, agent).submit, pages[name], typed[name], action)
        for (name, person), agent in zip(people.items(), agents[-1], strict=True)
    ]
    return int(opened.pop()), at_the_same_moment(sends), written, typed


def test_two_people_sending_a_step_form_at_once_one_change_lands_one_form_is_kept(
    forum: Forum,
) -> None:
    tally = Tally("web", forum.store, {"rounds": WEB_ROUNDS})
    people = {name: forum.signed_in(name, lang) for name, lang in ADVOCATES.items()}
    agents: list[list[str]] = []
    reference = ""
    for number in range(WEB_ROUNDS):
        step = WEB_STEPS[number % len(WEB_STEPS)]
        if step == "accept":
            reference = forum.new_case(f"Clinic hours, race {number}")
        action = f"/cases/{reference}/steps/{step}"
        read, answers, written, typed = web_round(
            forum, people, step, reference, agents
        )
        landed = [a.answer.path == f"/cases/{reference}" for a in answers]
        won = one_winner(landed, answers)
        winner, loser = list(people)[won], list(people)[1 - won]
        refused = answers[1 - won].answer
        now, entries, _ = recorded_since(forum, reference, read)
        assert refused.status in (409, 422), (step, refused.status, refused.text)
        assert still_typed(form_sent_to(refused, action), typed[loser]), (step, loser)
        wrong = only_winner_recorded(entries, now, winner, written)
        assert not wrong, f"round {number} ({step}): {wrong}"
        tally.count("one_winner")
        tally.count("form_kept")
        tally.count("in_flight_together", in_flight_together(answers))
        told = refused.status == 409 and told_in_their_language(refused, loser)
        tally.count("loser_told_in_own_language", told)
        assert told, (
            f"round {number} ({step}): {loser} was not told that someone else "
            f"changed the case, but got {refused.status}: "
            f"{refusal_shown(refused)!r}; {tally.line()}"
        )
        if step in REPEATABLE:
            sent_again = people[loser].submit(refused, {}, action)
            assert sent_again.path == f"/cases/{reference}", (step, sent_again.status)
            _, entries, _ = recorded_since(forum, reference, now)
            assert [e["actor"] for e in entries] == [loser], entries
            tally.count("kept_form_sent_again_lands")
    served_apart(forum, agents, tally)
    raced_for_real(tally)


# -- new cases -------------------------------------------------------------------


def submission_round(
    forum: Forum, secretaries: dict[str, Person], agents: list[list[str]]
) -> tuple[list[Timed[Page]], dict[str, str]]:
    """Both open the new-case page and send it at once: answers, titles typed."""
    number = len(agents)
    titles = {
        name: f"Water cut in Laplje Selo, {name} {number}" for name in secretaries
    }
    pages = {name: p.get("/cases/new") for name, p in secretaries.items()}
    agents.append([f"{forum.store}-submit-{number}-{name}" for name in secretaries])
    sends = []
    for (name, person), agent in zip(secretaries.items(), agents[-1], strict=True):
        typed: dict[str, str | list[str]] = {
            "municipality": "GRA", "title": titles[name], "category": "public_services",
            "description": "Raised at the forum by both communities.",
            "communities": ["albanian", "serb"], "language": "en",
            "raised_on": str(TODAY - timedelta(days=1)),
        }  # fmt: skip
        sends.append(partial(as_agent(person, agent).submit, pages[name], typed))
    return at_the_same_moment(sends), titles


def test_two_secretaries_submitting_at_once_each_get_a_reference_of_their_own(
    forum: Forum,
) -> None:
    tally = Tally("submit", forum.store, {"rounds": SUBMISSION_ROUNDS})
    secretaries = {name: forum.signed_in(name) for name in SECRETARIES}
    agents: list[list[str]] = []
    given: dict[str, str] = {}
    for _ in range(SUBMISSION_ROUNDS):
        answers, titles = submission_round(forum, secretaries, agents)
        for name, answer in zip(secretaries, answers, strict=True):
            found = re.fullmatch(r"/cases/(GRA-\d{4}-\d{3})", answer.answer.path)
            assert found, (name, answer.answer.status, answer.answer.path)
            assert found[1] not in given, f"{found[1]} given twice"
            given[found[1]] = titles[name]
        tally.count("in_flight_together", in_flight_together(answers))
    for reference, title in given.items():
        case = forum.api("oliver").send("GET", f"/cases/{reference}")
        assert case.body["title"] == title, (reference, case.body)
    tally.count("distinct_references", len(given))
    served_apart(forum, agents, tally)
    raced_for_real(tally)
