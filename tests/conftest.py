"""Shared fixtures: a fresh store on each engine, so store-touching tests run on both."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from fraudnet.engine import Engine, open_engine


def _store_location(tmp_path: Path, engine_name: str) -> Path:
    return tmp_path / ("store.duckdb" if engine_name == "duckdb" else "spark-store")


@pytest.fixture(params=["duckdb", pytest.param("spark", marks=pytest.mark.spark)])
def engine_name(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def store(tmp_path: Path, engine_name: str) -> Iterator[Engine]:
    """An empty canonical store on the parametrised engine."""
    engine = open_engine(_store_location(tmp_path, engine_name), engine_name)
    yield engine
    engine.close()


@pytest.fixture
def duck_store(tmp_path: Path) -> Iterator[Engine]:
    engine = open_engine(tmp_path / "store.duckdb", "duckdb")
    yield engine
    engine.close()
