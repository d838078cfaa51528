"""What the Open311 tests share: a forum's cases, and a reader who never signed in."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.web.conftest import services_of
from tests.web.open311.forum import Forum, record_forum


@pytest.fixture
def forum(empty_app: Flask) -> Forum:
    """The forum's cases, in the app's store."""
    return record_forum(services_of(empty_app).tracker)


@pytest.fixture
def client(empty_app: Flask) -> FlaskClient:
    """Someone who never signed in."""
    return empty_app.test_client()
