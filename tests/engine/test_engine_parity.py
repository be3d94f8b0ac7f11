"""The same writes and queries give the same tables on DuckDB and Spark."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from fraudnet.engine import Engine, open_engine


def _txns() -> pa.Table:
    return pa.table(
        {
            "txn_id": ["t2", "t1"],
            "ts": [dt.datetime(2024, 1, 2, 9, 30), dt.datetime(2024, 1, 1, 23, 59, 59)],
            "amount": [Decimal("10.05"), Decimal("0.01")],
            "currency": ["GBP", "GBP"],
            "src_account": ["A", "B"],
            "dst_account": ["B", None],
            "channel": ["fps", "cash_out"],
        }
    )


def test_append_and_read_back_exactly(store: Engine) -> None:
    store.append("transactions", _txns())
    got = store.table("transactions")
    assert got.column("txn_id").to_pylist() == ["t1", "t2"]
    assert got.column("amount").to_pylist() == [Decimal("0.01"), Decimal("10.05")]
    assert got.column("ts").to_pylist()[0] == dt.datetime(2024, 1, 1, 23, 59, 59)
    assert got.schema.field("amount").type == pa.decimal128(18, 2)


def test_sql_is_translated_and_sums_exactly(store: Engine) -> None:
    store.append("transactions", _txns())
    result = store.sql(
        "SELECT SUM(amount) AS total, MAX(TRY_STRPTIME('2024-03-04 05:06:07', "
        "'%Y-%m-%d %H:%M:%S')) AS parsed FROM transactions"
    )
    assert result.column("total")[0].as_py() == Decimal("10.06")
    assert result.column("parsed")[0].as_py() == dt.datetime(2024, 3, 4, 5, 6, 7)


def test_replace_swaps_whole_table(store: Engine) -> None:
    store.append("transactions", _txns())
    store.replace("transactions", _txns().slice(0, 1))
    assert store.count("transactions") == 1


def _missing_table_error(engine_name: str) -> type[Exception]:
    """The error each engine raises for a query over a table that does not exist."""
    if engine_name == "spark":
        from pyspark.errors import AnalysisException

        return AnalysisException
    return duckdb.CatalogException


def test_commit_failure_leaves_store_unchanged(store: Engine) -> None:
    store.append("transactions", _txns())
    with pytest.raises(_missing_table_error(store.name), match="no_such_table"):
        store.commit(
            appends={
                "accounts": pa.table({"account_id": ["X"]}),  # valid: written, then undone
                "transactions": "SELECT * FROM no_such_table",
            }
        )
    assert store.count("transactions") == 2
    assert store.count("accounts") == 0


def test_store_persists_across_reopen(store: Engine) -> None:
    store.append("transactions", _txns())
    location, name = store.location, store.name
    store.close()
    reopened = open_engine(location, name)
    assert reopened.count("transactions") == 2
    reopened.close()


def test_older_duckdb_store_gains_new_columns(tmp_path: Path) -> None:
    """A store written before a column was declared still opens and accepts writes."""
    location = tmp_path / "old.duckdb"
    with open_engine(location, "duckdb") as store:
        store.execute('ALTER TABLE transactions DROP COLUMN "reference"')
        store.execute('ALTER TABLE transactions ADD COLUMN "legacy_flag" VARCHAR')
    with open_engine(location, "duckdb") as store:
        store.append("transactions", _txns())
        got = store.table("transactions")
        assert "reference" in got.column_names and "legacy_flag" not in got.column_names
        assert got.num_rows == 2
