"""Reading a views database as plain rows, to compare two of them."""

from __future__ import annotations

from projections.datastore import Cursor
from projections.views import Views

# Bookkeeping, not view content: positions differ between two copies.
_NOT_CONTENT = ("tracking",)

_SQLITE_TABLES = (
    "SELECT name, sql FROM sqlite_master WHERE type = 'table' "
    "AND name NOT LIKE 'sqlite_%' ORDER BY name"
)
_SQLITE_INDEXES = (
    "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
    "AND sql IS NOT NULL ORDER BY name"
)
_POSTGRES_TABLES = (
    "SELECT table_name, '' FROM information_schema.tables "
    "WHERE table_schema = current_schema() AND table_name NOT LIKE '%events' "
    "AND table_name NOT LIKE '%snapshots' ORDER BY table_name"
)
_POSTGRES_INDEXES = (
    "SELECT indexname, indexdef FROM pg_indexes "
    "WHERE schemaname = current_schema() AND indexname NOT LIKE '%pkey%' "
    "AND tablename NOT LIKE '%events' AND tablename NOT LIKE '%snapshots' "
    "ORDER BY indexname"
)


def dump(views: Views) -> dict[str, list[tuple[object, ...]]]:
    """Every view table's rows, sorted, by table name (FTS internals left out).

    Under ``(indexes)``, every index the views declare, with its definition.
    """
    with views.datastore.transaction(commit=False) as c:
        sqlite = c.dialect.name == "sqlite"
        tables = _rows(c, _SQLITE_TABLES if sqlite else _POSTGRES_TABLES)
        virtual = [
            name
            for name, sql in tables
            if str(sql).upper().startswith("CREATE VIRTUAL")
        ]
        content = [
            str(name)
            for name, _ in tables
            if name not in _NOT_CONTENT
            and not any(str(name).startswith(f"{v}_") for v in virtual)
        ]
        indexes = _rows(c, _SQLITE_INDEXES if sqlite else _POSTGRES_INDEXES)
        if not sqlite:
            # Each copy in a schema of its own: the definitions name it.
            c.execute("SELECT current_schema()")
            schema = f"{c.fetchone()[0]}."
            indexes = [(n, str(d).replace(schema, "")) for n, d in indexes]
        return {
            "(indexes)": indexes,
            **{
                table: sorted(_rows(c, f"SELECT * FROM {table}"), key=repr)
                for table in content
            },
        }


def _rows(c: Cursor, sql: str) -> list[tuple[object, ...]]:
    c.execute(sql)
    return [tuple(row) for row in c.fetchall()]
