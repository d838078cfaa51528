"""Serving the web app with gunicorn: each worker builds its own application.

Each worker counts its requests (`web.metrics`) in files of a metrics
folder, so that /metrics from any worker reports them all: the folder is
``TRACKER_METRICS_DIR``, else ``TRACKER_HOME/metrics``. It is emptied when
the server starts (counts begin again with the server, as Prometheus
expects of a restarted target), so give each server on one machine a folder
of its own. This module imports nothing of prometheus_client at its top:
the library reads the folder's name from the environment when it is first
imported, which must happen after `prepare_metrics`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication
from gunicorn.arbiter import Arbiter
from gunicorn.workers.base import Worker

from tracker.config import Settings

# prometheus_client's own setting: where each process keeps its counts.
MULTIPROCESS_DIR = "PROMETHEUS_MULTIPROC_DIR"
METRICS_DIR = "TRACKER_METRICS_DIR"
# gunicorn's usual access log line, after the id of the worker that answered.
ACCESS_LOG_FORMAT = '%(p)s %(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s"'


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


def metrics_folder(environ: Mapping[str, str]) -> Path:
    """Where the workers keep their counts: TRACKER_METRICS_DIR, else in the home."""
    given = environ.get(METRICS_DIR)
    if given:
        return Path(given).resolve()
    return Settings.from_environment(environ).home / "metrics"


def prepare_metrics(folder: Path) -> None:
    """Empty the folder of an earlier run's counts; tell the workers to use it."""
    folder.mkdir(parents=True, exist_ok=True)
    for earlier in folder.glob("*.db"):
        earlier.unlink()
    os.environ[MULTIPROCESS_DIR] = str(folder)


def worker_exited(server: Arbiter, worker: Worker) -> None:
    """Drop a gone worker from the live figures; its counts stay in the totals."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]


def serve(host: str, port: int, workers: int) -> None:
    """Serve until stopped."""
    prepare_metrics(metrics_folder(os.environ))
    Server(
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            "accesslog": "-",
            "access_log_format": ACCESS_LOG_FORMAT,
            "preload_app": False,
            "timeout": 60,
            "child_exit": worker_exited,
        }
    ).run()
