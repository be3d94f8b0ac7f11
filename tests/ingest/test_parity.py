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


OFFSET_FORMS = [
    ("t1", "2024-01-01T10:00:00Z", (10, 0, 0)),
    ("t2", "2024-01-01T10:00:00.123Z", (10, 0, 123_000)),
    ("t3", "2024-01-01 10:00:00+0100", (9, 0, 0)),
    ("t4", "2024-01-01T10:00:00-05", (15, 0, 0)),
    ("t5", "2024-01-01T10:00Z", (10, 0, 0)),
    ("t6", "2024-01-01 10:00+01", (9, 0, 0)),
    ("t7", "2024-01-01T10:30-02:30", (13, 0, 0)),
]


@pytest.mark.spark
@pytest.mark.parametrize("engine", ["duckdb", "spark"])
def test_every_offset_form_is_converted_to_utc(tmp_path: Path, engine: str) -> None:
    """Spark's cast reads an offset only after seconds; `10:00Z` must not be quarantined."""
    header = "txn_id,ts,amount,currency,src_account,dst_account,channel\n"
    rows = "".join(f"{t},{ts},1,GBP,A,B,fps\n" for t, ts, _ in OFFSET_FORMS)
    path = tmp_path / "offsets.csv"
    path.write_text(header + rows)
    location = tmp_path / ("s.duckdb" if engine == "duckdb" else "spark")
    with open_engine(location, engine) as store:
        ingest(store, path, table="transactions")
        got = {r["txn_id"]: r["ts"] for r in store.table("transactions").to_pylist()}
        assert store.count("quarantine") == 0
    for txn, _, (hour, minute, micros) in OFFSET_FORMS:
        stamp = got[txn]
        assert (stamp.day, stamp.hour, stamp.minute, stamp.microsecond) == (1, hour, minute, micros)
