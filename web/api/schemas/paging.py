"""A list a page at a time, as every API list answers it."""

from __future__ import annotations

from typing import Any

import marshmallow as ma

from projections.paging import Page


class PageSchema(ma.Schema):
    """How many rows match in all, and which page of them this is."""

    total = ma.fields.Integer(required=True)
    page = ma.fields.Integer(required=True)
    per_page = ma.fields.Integer(required=True)
    pages = ma.fields.Integer(required=True)


def page_body(name: str, found: Page[Any]) -> dict[str, Any]:
    """A page of rows under `name`, with the page's numbers."""
    return {
        name: found.rows,
        "total": found.total,
        "page": found.page,
        "per_page": found.per_page,
        "pages": found.pages,
    }
