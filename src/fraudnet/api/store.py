"""The server's one hold on the store: one DuckDB database, a cursor per request, one writer.

DuckDB lets a single process open a store file for writing, and one connection must not be
used by two threads at once. So the server opens the file once, lends each request its own
cursor (a connection to the same database, from a pool) for reading, and runs every write
(decisions, notes, shares, user changes and the audit entries of reads) under one lock, so
writes happen one at a time in arrival order while reads go on in parallel (DuckDB's MVCC).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from fraudnet.engine import Engine
from fraudnet.engine.base import Engine as BaseEngine
from fraudnet.engine.duckdb_engine import DuckDBEngine
from fraudnet.errors import FraudnetError

T = TypeVar("T")


class CursorEngine(DuckDBEngine):
    """A DuckDB engine over a cursor of an open connection (same database, own session)."""

    def __init__(self, parent: DuckDBEngine) -> None:
        BaseEngine.__init__(self, parent.location)
        self.con = parent.con.cursor()
        self.con.execute("SET TimeZone = 'UTC'")
        self.con.execute("SET enable_progress_bar = false")
        self._arrow_views = {}


class StoreHandle:
    """The open store, a pool of per-request engines and the write lock."""

    def __init__(self, path: str | Path) -> None:
        location = Path(path)
        if not location.is_file():
            raise FraudnetError(f"{location}: no such store (the API serves a DuckDB store file)")
        self.root = DuckDBEngine(location)  # creates any table declared since the store was made
        self._pool: list[CursorEngine] = []
        self._pool_lock = threading.Lock()
        self._write_lock = threading.Lock()

    @contextmanager
    def borrow(self) -> Iterator[Engine]:
        """An engine for this request alone, returned to the pool afterwards."""
        with self._pool_lock:
            engine = self._pool.pop() if self._pool else CursorEngine(self.root)
        try:
            yield engine
        finally:
            with self._pool_lock:
                self._pool.append(engine)

    def write(self, action: Callable[[], T]) -> T:
        """Run `action` (which writes) while no other write runs."""
        with self._write_lock:
            return action()

    def close(self) -> None:
        with self._pool_lock:
            for engine in self._pool:
                engine.close()
            self._pool.clear()
        self.root.close()


__all__ = ["CursorEngine", "StoreHandle"]
