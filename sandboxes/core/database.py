"""The emulator's own SQLite file, separate from the kiosk's database.

One connection behind one lock, and one transaction per request: balances,
locks and usage change atomically, and two concurrent requests on the same
record are simply served one after the other. That is slower than the real
service, but a sandbox serves a handful of clients and must never be the one
that double-spends.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path


class SandboxDatabase:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        # Autocommit mode: transactions are opened explicitly below.
        self._connection = sqlite3.connect(
            path, check_same_thread=False, isolation_level=None
        )
        self._connection.row_factory = sqlite3.Row
        self._connection.execute("PRAGMA journal_mode=WAL")
        self._connection.execute("PRAGMA synchronous=NORMAL")
        self._connection.execute("PRAGMA foreign_keys=ON")
        self._lock = threading.Lock()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Hold the database for one request; roll back if the block raises."""
        with self._lock:
            self._connection.execute("BEGIN IMMEDIATE")
            try:
                yield self._connection
            except BaseException:
                self._connection.execute("ROLLBACK")
                raise
            self._connection.execute("COMMIT")

    def schema_version(self) -> int:
        with self._lock:
            row = self._connection.execute("PRAGMA user_version").fetchone()
        return int(row[0])

    def close(self) -> None:
        with self._lock:
            self._connection.close()


def schema_replace(
    connection: sqlite3.Connection, statements: Sequence[str], version: int
) -> None:
    """Drop every table and create the schema again, inside the open transaction.

    `executescript` would commit first, so the statements run one by one.
    """
    connection.execute("PRAGMA defer_foreign_keys=ON")
    tables = connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ).fetchall()
    for table in tables:
        connection.execute(f'DROP TABLE IF EXISTS "{table["name"]}"')
    for statement in statements:
        connection.execute(statement)
    connection.execute(f"PRAGMA user_version = {int(version)}")
