"""The same files ingested on DuckDB and on Spark give identical tables and quarantine."""

from __future__ import annotations

from pathlib import Path

import pytest

from fraudnet.engine import open_engine
from fraudnet.ingest import ingest

QUARANTINE_COLUMNS = ["row_ref", "target_table", "file", "line", "field", "value", "reason", "raw"]


@pytest.mark.spark
def test_engines_agree_on_ingest(
    tmp_path: Path, bad_transactions_csv: Path, amlsim_dir: Path
) -> None:
    tables = {}
    for engine in ("duckdb", "spark"):
        location = tmp_path / ("s.duckdb" if engine == "duckdb" else "spark")
        with open_engine(location, engine) as store:
            ingest(store, bad_transactions_csv, table="transactions")
            ingest(store, amlsim_dir, source_format="amlsim", with_labels=True)
            tables[engine] = {
                name: store.table(name)
                for name in ("transactions", "accounts", "parties", "identifiers", "labels")
            }
            tables[engine]["quarantine"] = store.table("quarantine").select(QUARANTINE_COLUMNS)
    for name, duck in tables["duckdb"].items():
        spark = tables["spark"][name]
        assert duck.num_rows > 0, name
        assert duck.equals(spark), f"{name} differs between engines"
