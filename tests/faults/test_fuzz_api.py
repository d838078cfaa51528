"""Hostile requests to every API operation that writes: refused whole, or kept whole.

Every operation of the OpenAPI document that writes (POST, PUT, PATCH,
DELETE) is fuzzed; one the fuzzing does not know fails the test. Hypothesis
starts from a request the API accepts and breaks it (`api_requests`):
fields replaced by control characters, NUL, formulas, 100 KB–2 MB texts,
lone surrogates, wrong types, bad dates; the JSON's bytes damaged (``1e309``,
``NaN``, a key twice, bytes that are not UTF-8, nesting past any reader, a
byte order mark, cut short); the path pointed elsewhere; stale or garbage
``If-Match`` and ``Idempotency-Key``. It sends each as the admin and as a
secretary (limited to Graçanicë), and holds the API to this:

- never a server error (5xx);
- a refused request (4xx) wrote nothing: the store's newest notification is
  the one before it (a failed sign-in's audit entry apart), the case it
  aimed at keeps its version, and no uploaded file was kept;
- an accepted one (2xx) is whole: the record reads back through the API,
  every free text sent comes back exactly (trimmed, as the domain keeps
  text), and the lists, which the views serve, still answer.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.faults.api_fuzzing import (
    Fuzzing,
    before,
    kept_whole,
    refused_whole,
)
from tests.faults.api_operations import OPERATIONS, Operation, writing_operations
from tests.faults.api_requests import BrokenRequest, broken_request
from tests.faults.scale import rounds
from tests.stores import Store
from tests.web.conftest import close_app, make_app

pytestmark = pytest.mark.faults

# Examples per operation.
EXAMPLES = rounds(20, 300)


@pytest.fixture(scope="module")
def fuzzed_app(
    module_store: Store, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Flask]:
    """The app on an empty store, its password limits out of the fuzzing's way."""
    home = tmp_path_factory.mktemp("fuzz-api") / "home"
    app = make_app(module_store, home)
    unlimited = "1000000 per minute"
    app.config.update(
        TRACKER_TOKEN_RATE_LIMIT=unlimited, TRACKER_ACCOUNT_LOCKOUT=unlimited
    )
    yield app
    close_app(app)
    shutil.rmtree(home, ignore_errors=True)


def fuzz(fuzzing: Fuzzing, operation: Operation, request: BrokenRequest) -> None:
    """Send one broken request and hold the answer and the store to the rules."""
    target = fuzzing.target(operation)
    was = before(fuzzing, target)
    try:
        answer = fuzzing.send(operation, target, request)
    except Exception as error:  # the test client raises what a server answers 500
        fuzzing.tally.server_errors += 1
        failure = f"{type(error).__name__}: {error}"
        raise AssertionError(f"{failure} for {request.described()}") from error
    fuzzing.tally.inputs += 1
    status = answer.status_code
    if status >= 500:
        fuzzing.tally.server_errors += 1
        body = answer.get_data()[:300]
        raise AssertionError(f"{status}: {body!r} for {request.described()}")
    if status >= 400:
        changed = refused_whole(fuzzing, operation, target, was)
        fuzzing.tally.half_written += bool(changed)
        assert not changed, f"{status} but {changed}, for {request.described()}"
        return
    fuzzing.tally.accepted += 1
    problems = kept_whole(fuzzing, operation, target, request, answer)
    fuzzing.tally.half_written += bool(problems)
    assert not problems, f"{status} but {problems}, for {request.described()}"


def fuzz_operation(fuzzing: Fuzzing, operation: Operation) -> None:
    """Hypothesis's examples for one operation; the failing one, shrunk, raises."""

    @given(data=st.data())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    def refused_whole_or_kept_whole(data: st.DataObject) -> None:
        target = fuzzing.target(operation)
        fuzz(fuzzing, operation, data.draw(broken_request(operation, target)))

    refused_whole_or_kept_whole()


def test_every_writing_operation_is_refused_whole_or_kept_whole(
    fuzzed_app: Flask, store_kind: str
) -> None:
    document = fuzzed_app.test_client().get("/api/v1/openapi.json").json or {}
    known = {operation.label: operation for operation in OPERATIONS}
    writing = sorted(writing_operations(document))
    assert set(writing) <= set(known), f"not fuzzed: {set(writing) - set(known)}"
    fuzzing = Fuzzing(fuzzed_app)
    for label in writing:
        try:
            fuzz_operation(fuzzing, known[label])
        except Exception as failure:
            fuzzing.tally.failures[label] = str(failure)[:3000]
    tally = fuzzing.tally
    print(
        f"FUZZ_API store={store_kind} operations={len(writing)} inputs={tally.inputs} "
        f"accepted={tally.accepted} server_errors={tally.server_errors} "
        f"half_written={tally.half_written}"
    )
    assert len(writing) >= 15
    assert not tally.failures, "\n\n".join(
        f"{label}: {why}" for label, why in tally.failures.items()
    )


def test_the_fuzzing_knows_every_writing_operation_and_no_other(
    fuzzed_app: Flask,
) -> None:
    document = fuzzed_app.test_client().get("/api/v1/openapi.json").json or {}
    assert writing_operations(document) == {o.label for o in OPERATIONS}


def test_a_refusal_that_wrote_would_be_seen(fuzzed_app: Flask) -> None:
    fuzzing = Fuzzing(fuzzed_app)
    notes = next(o for o in OPERATIONS if o.path.endswith("/notes"))
    target = fuzzing.target(notes)
    was = before(fuzzing, target)
    assert target.case_id is not None
    fuzzing.tracker.add_note(target.case_id, actor="advocate", text="Behind its back.")
    changed = refused_whole(fuzzing, notes, target, was)
    version = was.versions[target.case_id]
    assert changed == [
        "wrote domain.case:Case.NoteAdded",
        f"case version {version} became {version + 1}",
    ]
