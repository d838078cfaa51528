"""Serving the web app with gunicorn: each worker builds its own application."""

from __future__ import annotations

from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication


class Server(BaseApplication):
    """gunicorn, configured from here instead of a config file."""

    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        """Hand our options to gunicorn."""
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        """Build the app inside the worker, after the fork (no shared sockets)."""
        from web.app import create_app

        return create_app()


def serve(host: str, port: int, workers: int) -> None:
    """Serve until stopped."""
    Server(
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            "accesslog": "-",
            "preload_app": False,
            "timeout": 60,
        }
    ).run()
