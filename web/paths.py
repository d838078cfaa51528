"""Where a redirect may go: only back to a page of this site."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import request, url_for


def local_path(target: str | None, fallback: str) -> str:
    """`target` if it is a path on this site, else `fallback` (no open redirect)."""
    if not target or not target.startswith("/") or "\\" in target:
        return fallback
    parts = urlsplit(target)
    return fallback if parts.scheme or parts.netloc else target


def page_url(page: int) -> str:
    """This page's address with another page number, the filters kept."""
    args: dict[str, Any] = {**request.args.to_dict(), **(request.view_args or {})}
    args["page"] = page
    return url_for(str(request.endpoint), **args)
