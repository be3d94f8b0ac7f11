"""Engines: `duckdb` (embedded, the default) and `spark` (scale-out), chosen by one setting."""

from __future__ import annotations

import os
from pathlib import Path

from fraudnet.engine.base import Data, Engine, RawRead
from fraudnet.engine.spark_engine import MANIFEST
from fraudnet.errors import InvalidValueError

ENGINES = ("duckdb", "spark")


def detect_engine(location: Path) -> str:
    """An existing Spark store is a directory with our manifest; anything else is DuckDB."""
    if location.is_dir() and (location / MANIFEST).exists():
        return "spark"
    return os.environ.get("FRAUDNET_ENGINE", "duckdb")


def open_engine(location: str | Path, engine: str | None = None) -> Engine:
    """Open (creating if needed) the store at `location` on the chosen engine."""
    path = Path(location)
    chosen = engine or detect_engine(path)
    if chosen == "duckdb":
        from fraudnet.engine.duckdb_engine import DuckDBEngine

        if path.is_dir():
            raise InvalidValueError(f"{path} is a directory: a DuckDB store is a single file")
        return DuckDBEngine(path)
    if chosen == "spark":
        from fraudnet.engine.spark_engine import SparkEngine

        return SparkEngine(path)
    raise InvalidValueError(f"unknown engine {chosen!r}; choose one of {', '.join(ENGINES)}")


__all__ = ["ENGINES", "Data", "Engine", "RawRead", "detect_engine", "open_engine"]
