"""A real DuckDB store per test, and raw-SQL tampering done the way an intruder would."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from fraudnet.engine import Engine
from fraudnet.store import open_store

AUDIT_KEY = b"test-anchor-key-kept-outside-the-store"


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "workspace.duckdb"


@pytest.fixture
def engine(store_path: Path) -> Iterator[Engine]:
    eng = open_store(store_path, "duckdb")
    yield eng
    eng.close()


def tamper(store_path: Path, *statements: str) -> None:
    """Run raw SQL on the store file from a separate connection, outside fraudnet entirely."""
    con = duckdb.connect(str(store_path))
    try:
        for statement in statements:
            con.execute(statement)
    finally:
        con.close()
