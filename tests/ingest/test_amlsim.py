"""AMLSim output loads with ids kept verbatim; ground truth only reaches labels, on request."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow as pa

from fraudnet.engine import Engine
from fraudnet.ingest import ingest

GROUND_TRUTH_FIELDS = {"is_sar", "alert_id", "prior_sar_count"}
GROUND_TRUTH_VALUES = {"True", "False", "true", "false", "7", "-1"}
# column types as DuckDB stores them after an AMLSim load (information_schema)
STORED_TYPES = {
    "transactions": {"txn_id": "VARCHAR", "ts": "TIMESTAMP", "amount": "DECIMAL(18,2)",
                     "currency": "VARCHAR", "src_account": "VARCHAR", "dst_account": "VARCHAR",
                     "channel": "VARCHAR", "reference": "VARCHAR", "source": "VARCHAR"},
    "accounts": {"account_id": "VARCHAR", "institution": "VARCHAR", "jurisdiction": "VARCHAR",
                 "opened_at": "TIMESTAMP", "closed_at": "TIMESTAMP",
                 "holder_party_id": "VARCHAR", "kind": "VARCHAR", "currency": "VARCHAR",
                 "opening_balance": "DECIMAL(18,2)", "source": "VARCHAR"},
}  # fmt: skip


def test_amlsim_without_labels_has_no_ground_truth(store: Engine, amlsim_dir: Path) -> None:
    result = ingest(store, amlsim_dir, source_format="amlsim")
    assert result.rows_quarantined == 0
    assert store.count("labels") == 0
    accounts = store.table("accounts").to_pylist()
    assert [a["account_id"] for a in accounts] == ["100", "200", "300"]
    assert accounts[2]["kind"] == "business"
    assert accounts[1]["opened_at"] is None  # AMLSim day offsets are not dates: kept empty
    txns = store.table("transactions").to_pylist()
    assert [(t["src_account"], t["dst_account"]) for t in txns][:2] == [
        ("100", "200"),
        ("200", "300"),
    ]
    assert txns[0]["amount"] == Decimal("500.25") and txns[0]["currency"] == "USD"
    parties = store.table("parties").to_pylist()
    assert (
        parties[0]["given_name"] == "Ann"
        and parties[0]["party_id"] == accounts[0]["holder_party_id"]
    )
    # what was stored, read raw (not conformed to the declared schema): no column carries
    # AMLSim's ground-truth fields, and no cell their values (is_sar True/False, alert id 7/-1)
    for name in store.table_names():
        stored = store.sql(f"SELECT * FROM {name}")
        assert not GROUND_TRUTH_FIELDS & set(stored.column_names), name
        for column in stored.column_names:
            if pa.types.is_string(stored.schema.field(column).type):
                assert not GROUND_TRUTH_VALUES & set(stored.column(column).to_pylist()), column
    values = store.sql("SELECT value FROM identifiers").column(0).to_pylist()
    assert "123-45-6789" in values


def test_amlsim_with_labels(store: Engine, amlsim_dir: Path) -> None:
    ingest(store, amlsim_dir, source_format="amlsim", with_labels=True)
    labels = store.table("labels").to_pylist()
    assert {(r["subject"], r["network_id"]) for r in labels} == {
        ("100", "amlsim-alert-7"),
        ("200", "amlsim-alert-7"),
        ("300", "amlsim-alert-7"),
        ("200", None),
    }
    assert {r["source"] for r in labels} == {"ground_truth"}


def test_amlsim_stored_types_and_values_in_duckdb(duck_store: Engine, amlsim_dir: Path) -> None:
    ingest(duck_store, amlsim_dir, source_format="amlsim")
    location = duck_store.location
    duck_store.close()
    with duckdb.connect(str(location), read_only=True) as db:
        for table, expected in STORED_TYPES.items():
            rows = db.execute(
                "SELECT column_name, data_type FROM information_schema.columns "
                "WHERE table_name = ? ORDER BY ordinal_position",
                [table],
            ).fetchall()
            assert dict(rows) == expected, table
        stored = db.execute(
            "SELECT txn_id, ts, amount, typeof(amount) FROM transactions ORDER BY txn_id"
        ).fetchall()
        balances = db.execute(
            "SELECT account_id, opening_balance, opened_at FROM accounts ORDER BY account_id"
        ).fetchall()
    assert stored == [
        ("1", dt.datetime(2017, 1, 1, 0, 0), Decimal("500.25"), "DECIMAL(18,2)"),
        ("2", dt.datetime(2017, 1, 1, 2, 30), Decimal("480.00"), "DECIMAL(18,2)"),
        ("3", dt.datetime(2017, 1, 2, 0, 0), Decimal("470.10"), "DECIMAL(18,2)"),
        ("4", dt.datetime(2017, 1, 3, 0, 0), Decimal("12.50"), "DECIMAL(18,2)"),
    ]
    assert balances == [
        ("100", Decimal("1000.00"), dt.datetime(2016, 6, 1)),
        ("200", Decimal("250.50"), None),
        ("300", Decimal("9000.00"), dt.datetime(2015, 1, 1)),
    ]
