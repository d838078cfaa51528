"""Reading a views database as plain rows, to compare two of them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

# Bookkeeping, not view content: positions differ between two copies.
_NOT_CONTENT = ("tracking",)


def dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every view table's rows, sorted, by table name (FTS internals left out).

    Under ``(indexes)``, every index the views declare, with its definition.
    """
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = connection.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name"
        ).fetchall()
        virtual = [
            name for name, sql in rows if sql.upper().startswith("CREATE VIRTUAL")
        ]
        tables = [
            name
            for name, _ in rows
            if name not in _NOT_CONTENT
            and not any(name.startswith(f"{v}_") for v in virtual)
        ]
        indexes = connection.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
            "AND sql IS NOT NULL ORDER BY name"
        ).fetchall()
        return {
            "(indexes)": indexes,
            **{
                table: sorted(
                    connection.execute(f"SELECT * FROM {table}").fetchall(),
                    key=repr,
                )
                for table in tables
            },
        }
    finally:
        connection.close()
