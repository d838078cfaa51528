"""What the portal tests share: the Open311 tests' forum, secrets and all.

The forum (`tests.web.open311.forum`) logs five cases, three of them
published, with unique secret strings wherever only staff may look; the
reader never signed in.
"""

from __future__ import annotations

import io
import zipfile

from flask.testing import FlaskClient

from tests.web.open311.conftest import client, forum

__all__ = ["client", "forum", "open_data_files"]

OPEN_DATA = "/public/open-data.zip"


def open_data_files(client: FlaskClient) -> dict[str, str]:
    """Every file of the open-data ZIP, by name, as text."""
    answer = client.get(OPEN_DATA)
    assert answer.status_code == 200
    with zipfile.ZipFile(io.BytesIO(answer.data)) as archive:
        return {
            name: archive.read(name).decode("utf-8-sig") for name in archive.namelist()
        }
