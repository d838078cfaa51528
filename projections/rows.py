"""A view's rows kept in memory between batches, each written once per transaction.

Most events change one row of a view (a case's status, its dates). Reading
and rewriting that row for every event costs several SQL statements each; a
view holding its rows in `Rows` instead reads the rows a batch needs in one
query (or finds them still in memory from the batch before), lets its
handlers change them as plain values, and writes each changed row once per
transaction (one batch, or several while rebuilding), with the position.

Rows in memory are only as good as the tables they were read from: the view
forgets them whenever its position is not where its last batch left it
(another worker wrote in between) or a batch failed (see `View.advance`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from itertools import islice
from typing import Any

from projections.datastore import Cursor

# Rows kept between batches; enough for every case active in a few months.
CAPACITY = 50_000


class Row:
    """One row's values, as a handler reads and changes them."""

    __slots__ = ("_rows", "key", "values")

    def __init__(self, rows: Rows, key: str, values: dict[str, Any]) -> None:
        self._rows = rows
        self.key = key
        self.values = values

    def __getitem__(self, column: str) -> Any:
        return self.values[column]

    @property
    def new(self) -> bool:
        """Whether the row was added since the table was last written."""
        return self.key in self._rows.added

    def set(self, **columns: Any) -> None:
        """Give columns new values, to be written with the batch."""
        self.values.update(columns)
        self._rows.changed.add(self.key)

    def earliest(self, column: str, day: str) -> None:
        """Keep the earlier of the column's date and `day` (ISO dates)."""
        current = self.values[column]
        if current is None or day < current:
            self.set(**{column: day})


class Rows:
    """The rows of one table, by key, read and written a batch at a time.

    Each row is a plain dict of SQL values; the garbage collector does not
    track such dicts, so keeping tens of thousands of them costs it nothing.
    """

    def __init__(
        self, table: str, key: str, columns: Sequence[str], *, capacity: int = CAPACITY
    ) -> None:
        self.table = table
        self.key = key
        self.columns = tuple(columns)
        self.capacity = capacity
        # In the order they were loaded or added: the oldest go first.
        self._rows: dict[str, dict[str, Any]] = {}
        # Keys of rows added, and of rows changed, since the table was written.
        self.added: set[str] = set()
        self.changed: set[str] = set()
        self._insert = (
            f"INSERT INTO {table} ({', '.join(self.columns)}) "  # nosec B608
            f"VALUES ({', '.join('?' for _ in self.columns)})"
        )
        self._others = [col for col in self.columns if col != key]
        self._update = (
            f"UPDATE {table} SET {', '.join(f'{col} = ?' for col in self._others)} "  # nosec B608
            f"WHERE {key} = ?"
        )
        self._select = (
            f"SELECT {', '.join(self.columns)} FROM {table} "  # nosec B608
            f"WHERE {key} IN "
        )

    def load(self, c: Cursor, keys: Iterable[str]) -> None:
        """Have in memory the rows of these keys that the table holds."""
        missing = [key for key in set(keys) if key not in self._rows]
        if missing:
            c.execute(f"{self._select}({c.dialect.listed()})", (json.dumps(missing),))
            for found in c.fetchall():
                values = dict(zip(self.columns, found, strict=True))
                self._rows[values[self.key]] = values

    def get(self, key: str) -> Row | None:
        """The row of this key, if it was loaded or added."""
        values = self._rows.get(key)
        return None if values is None else Row(self, key, values)

    def __getitem__(self, key: str) -> Row:
        """The row of this key, which an earlier event must have added."""
        row = self.get(key)
        if row is None:
            raise LookupError(f"{self.table}: no row {key} was loaded or added")
        return row

    def add(self, **values: Any) -> Row:
        """A new row, written with the batch."""
        row = {column: values.get(column) for column in self.columns}
        key = str(row[self.key])
        self._rows[key] = row
        self.added.add(key)
        return Row(self, key, row)

    def write(self, c: Cursor) -> None:
        """Write every new and changed row, then keep only the newest loaded."""
        rows, columns, others = self._rows, self.columns, self._others
        c.executemany(
            self._insert, [[rows[key][col] for col in columns] for key in self.added]
        )
        c.executemany(
            self._update,
            [
                [*(rows[key][col] for col in others), key]
                for key in self.changed - self.added
            ],
        )
        self.added, self.changed = set(), set()
        for key in list(islice(rows, max(0, len(rows) - self.capacity))):
            del rows[key]

    def forget(self) -> None:
        """Drop every row held in memory, written or not."""
        self._rows.clear()
        self.added, self.changed = set(), set()
