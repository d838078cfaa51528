"""The store going away under a running app, for real: a relay that can be cut.

The app reaches PostgreSQL through a TCP relay on a local port. Cutting the
relay closes every connection the app holds and refuses new ones, as when
the database server stops or the network between them fails.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from flask import Flask

from tests.postgres import URL
from tests.stores import Store, create_database, database_url, drop_database
from tests.web.conftest import close_app, make_app


class Relay:
    """Forwards connections from a local port to a server, until cut."""

    def __init__(self, server: tuple[str, int]) -> None:
        self.server = server
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self.listener.getsockname()[1]
        self.open: list[socket.socket] = []
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                near, _ = self.listener.accept()
            except OSError:  # cut
                return
            far = socket.create_connection(self.server)
            with self.lock:
                self.open += [near, far]
            for source, target in ((near, far), (far, near)):
                threading.Thread(
                    target=_pump, args=(source, target), daemon=True
                ).start()

    def cut(self) -> None:
        """Close every relayed connection and refuse new ones."""
        self.listener.shutdown(socket.SHUT_RDWR)  # wakes the accepting thread
        self.listener.close()
        with self.lock:
            for end in self.open:
                _close(end)


def _pump(source: socket.socket, target: socket.socket) -> None:
    """Copy bytes one way until either end closes."""
    try:
        while data := source.recv(65536):
            target.sendall(data)
    except OSError:
        pass
    _close(target)


def _close(end: socket.socket) -> None:
    with suppress(OSError):  # already closed
        end.shutdown(socket.SHUT_RDWR)
    end.close()


@contextmanager
def app_through_relay(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Flask, Relay]]:
    """The app on a PostgreSQL database of its own, reached through a relay."""
    # eventsourcing tries a lost connection again, waiting this long each time.
    monkeypatch.setenv("TRACKER_POSTGRES_CONNECT_TIMEOUT", "1")
    database = create_database()
    parts = urlsplit(database_url(database))
    relay = Relay((parts.hostname or "127.0.0.1", parts.port or 5432))
    relayed = urlunsplit(parts._replace(netloc=_netloc(URL, relay.port)))
    # No database of the Store's own: TRACKER_DB names the relay's.
    app = make_app(Store("sqlite"), home, {"TRACKER_DB": relayed})
    try:
        yield app, relay
    finally:
        close_app(app)
        drop_database(database)


def _netloc(url: str, port: int) -> str:
    """The user (and password) of `url`, at the relay's port."""
    parts = urlsplit(url)
    user, _, _ = parts.netloc.rpartition("@")
    return f"{user}@127.0.0.1:{port}" if user else f"127.0.0.1:{port}"
