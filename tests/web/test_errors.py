"""Every named error has one HTTP answer, and none is a server error."""

from __future__ import annotations

import importlib
import pkgutil
from http import HTTPStatus

import pytest

import domain
import tracker
from domain.case_errors import CaseAlreadyResolved, DateBeforeReferral
from domain.errors import DomainError
from tracker.errors import (
    CaseNotFound,
    ConcurrentChange,
    StoreFull,
    StoreUnavailable,
)
from web.errors import answer_for


def _all_error_classes() -> list[type[DomainError]]:
    for package in (domain, tracker):
        for module in pkgutil.iter_modules(package.__path__):
            if not module.name.startswith("__"):  # __main__ runs the CLI
                importlib.import_module(f"{package.__name__}.{module.name}")
    found: list[type[DomainError]] = []
    pending = [DomainError]
    while pending:
        kind = pending.pop()
        found.append(kind)
        pending.extend(kind.__subclasses__())
    return found


@pytest.mark.parametrize("kind", _all_error_classes(), ids=lambda k: k.__name__)
def test_no_refused_command_is_answered_as_a_server_error(
    kind: type[DomainError],
) -> None:
    answer = answer_for(kind("refused", field="title"))
    # 503 and 507: the store is unreachable or its disk full, not a fault
    assert 400 <= answer.status < 500 or answer.status in (503, 507)
    assert (answer.error, answer.field, answer.message) == (
        kind.__name__,
        "title",
        "refused",
    )


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (CaseNotFound("no case STR-2024-001"), HTTPStatus.NOT_FOUND),
        (
            DateBeforeReferral("too early", field="received_on"),
            HTTPStatus.UNPROCESSABLE_ENTITY,
        ),
        (CaseAlreadyResolved("closed"), HTTPStatus.CONFLICT),
        (StoreUnavailable("locked"), HTTPStatus.SERVICE_UNAVAILABLE),
        (StoreFull("no space left"), HTTPStatus.INSUFFICIENT_STORAGE),
    ],
)
def test_each_kind_of_refusal_has_its_status(error: DomainError, status: int) -> None:
    assert answer_for(error).status == status


def test_a_conflict_says_the_current_version() -> None:
    answer = answer_for(ConcurrentChange("changed", current_version=7))
    assert (answer.status, answer.field, answer.current_version) == (409, "version", 7)
