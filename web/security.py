"""The headers every answer carries, and cookies for HTTPS (OWASP ASVS 14.4).

The interface has no script of its own (the API's documentation page loads
Swagger UI's files from this server) and no inline style or script, so the
content security policy allows only this server's files. A response that
set a stricter header of its own keeps it: an uploaded document is served
with ``default-src 'none'; sandbox``.

Behind a proxy that terminates HTTPS, set ``TRACKER_HTTPS=1``: cookies are
then sent only over HTTPS, browsers are told to use nothing else (HSTS), and
the proxy's ``X-Forwarded-Proto`` says which scheme was asked for.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from flask import Flask, Response, request
from werkzeug.middleware.proxy_fix import ProxyFix

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
HEADERS: dict[str, str] = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}
HSTS = "max-age=31536000; includeSubDomains"


def behind_https(environ: Mapping[str, str] | None = None) -> bool:
    """Whether ``TRACKER_HTTPS`` says the app is served over HTTPS."""
    value = (os.environ if environ is None else environ).get("TRACKER_HTTPS", "")
    return value.strip().lower() in ("1", "true", "yes", "on")


def init_app(app: Flask, *, https: bool) -> None:
    """Add the headers to every answer; with HTTPS, secure cookies and HSTS."""
    if https:
        app.config.update(SESSION_COOKIE_SECURE=True)
        # The proxy in front says which scheme the browser used.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_proto=1)  # type: ignore[method-assign]

    @app.after_request
    def protected(response: Response) -> Response:
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if https and request.is_secure:
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        return response
