"""The store as a notebook user sees it: open, inspect, export."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from fraudnet.atomic import atomic_path
from fraudnet.engine import Engine, open_engine
from fraudnet.errors import InvalidValueError
from fraudnet.redact import redact_table
from fraudnet.safe_csv import write_safe_csv
from fraudnet.schema import get_table

DEFAULT_STORE = Path("fraudnet.duckdb")
NOT_EXPORTABLE = ("users",)
"""Password hashes stay in the store: `fraudnet users list` shows users without them."""


def open_store(location: str | Path = DEFAULT_STORE, engine: str | None = None) -> Engine:
    """Open or create a store: a DuckDB file by default, a directory on `engine="spark"`."""
    return open_engine(location, engine)


def table_counts(engine: Engine) -> pa.Table:
    """Rows per table, in declaration order."""
    names = engine.table_names()
    counts = [engine.count(n) for n in names]
    return pa.table({"table": names, "rows": pa.array(counts, pa.int64())})


def quarantine_summary(engine: Engine) -> pa.Table:
    """Quarantined rows by target table and reason, most frequent first."""
    return engine.sql(
        "SELECT target_table, reason, COUNT(*) AS rows, MIN(file) AS example_file, "
        "MIN(line) AS first_line FROM quarantine GROUP BY target_table, reason "
        "ORDER BY rows DESC, target_table, reason"
    )


def export_table(engine: Engine, table: str, out: str | Path, redact: bool = False) -> Path:
    """Write a table to CSV or Parquet (chosen by extension): the stable way to read results.

    The file appears whole (temporary name, then rename) and is readable by its owner only;
    CSV cells a spreadsheet would run as formulas are neutralised; `redact` masks personal
    fields (see `fraudnet.redact`).
    """
    get_table(table)
    if table in NOT_EXPORTABLE:
        raise InvalidValueError(f"table {table!r} holds password hashes and is not exported")
    path = Path(out)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".parquet", ".pq"):
        raise InvalidValueError(f"{path}: export writes .csv or .parquet files")
    data = engine.table(table)
    if redact:
        data = redact_table(table, data)
    if suffix == ".csv":
        return write_safe_csv(data, path)
    with atomic_path(path) as tmp:
        pq.write_table(data, tmp)
    return path
