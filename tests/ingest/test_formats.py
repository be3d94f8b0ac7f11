"""Canonical headers load with no mapping; JSON Lines, Parquet and YAML mappings work."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from fraudnet.engine import Engine
from fraudnet.ingest import IngestError, MappingError, ingest


def test_labels_csv_without_source_is_analyst(store: Engine, tmp_path: Path) -> None:
    path = tmp_path / "labels.csv"
    path.write_text("subject,label\nGB-123456-12345678,mule\nACC9,legitimate\nACC10,wizard\n")
    result = ingest(store, path, table="labels")
    rows = store.table("labels").to_pylist()
    assert [(r["subject"], r["label"], r["source"]) for r in rows] == [
        ("ACC9", "legitimate", "analyst"),
        ("GB-123456-12345678", "mule", "analyst"),
    ]
    assert result.quarantine_reasons == {"unknown label": 1}


def test_fraud_reports_canonical_csv(store: Engine, tmp_path: Path) -> None:
    path = tmp_path / "reports.csv"
    path.write_text(
        "report_id,txn_id,reported_at,fraud_type,amount\n"
        "r1,t1,2024-02-01 09:00:00,romance,1500.00\nr2,t2,2024-02-02,invoice_mandate,99.99\n"
    )
    ingest(store, path, table="fraud_reports")
    rows = store.table("fraud_reports").to_pylist()
    assert [r["amount"] for r in rows] == [Decimal("1500.00"), Decimal("99.99")]
    assert rows[1]["reported_at"] == dt.datetime(2024, 2, 2)


def test_jsonl_bad_line_is_quarantined(store: Engine, tmp_path: Path) -> None:
    path = tmp_path / "parties.jsonl"
    lines = [
        json.dumps({"party_id": "p1", "name": "Ann Lee", "dob": "1990-02-03", "kind": "person"}),
        "{not json",
        json.dumps({"party_id": "p2", "name": "Bob", "dob": "31/12/1985"}),
    ]
    path.write_text("\n".join(lines) + "\n")
    ingest(store, path, table="parties")
    assert store.table("parties").column("party_id").to_pylist() == ["p1"]
    q = store.sql("SELECT line, field, reason FROM quarantine ORDER BY line").to_pylist()
    assert q == [
        {"line": 2, "field": None, "reason": "not a JSON object"},
        {"line": 3, "field": "dob", "reason": "unparseable date in dob"},
    ]


def test_parquet_with_yaml_mapping(duck_store: Engine, tmp_path: Path) -> None:
    data = pa.table(
        {
            "Ref": ["a", "b"],
            "When": ["03/01/2024 14:05", "04/01/2024 09:00"],
            "Value": ["12.30", "7"],
            "From": ["X", "Y"],
            "To": ["Y", "Z"],
        }
    )
    pq.write_table(data, tmp_path / "in.parquet")
    (tmp_path / "map.yaml").write_text(
        "table: transactions\n"
        "columns: {Ref: txn_id, When: ts, Value: amount, From: src_account, To: dst_account}\n"
        "timestamp_formats: ['%d/%m/%Y %H:%M']\n"
        "constants: {currency: GBP, channel: fps, source: bank-x}\n"
    )
    ingest(duck_store, tmp_path / "in.parquet", mapping=tmp_path / "map.yaml")
    rows = duck_store.table("transactions").to_pylist()
    assert [r["ts"] for r in rows] == [dt.datetime(2024, 1, 3, 14, 5), dt.datetime(2024, 1, 4, 9)]
    assert rows[0]["source"] == "bank-x" and rows[1]["amount"] == Decimal("7.00")


def test_clear_errors_for_unusable_input(duck_store: Engine, tmp_path: Path) -> None:
    missing_key = tmp_path / "t.csv"
    missing_key.write_text("ts,amount\n2024-01-01,5\n")
    with pytest.raises(MappingError, match="required field 'txn_id'"):
        ingest(duck_store, missing_key, table="transactions")
    with pytest.raises(IngestError, match="no such file"):
        ingest(duck_store, tmp_path / "nope.csv", table="transactions")
    with pytest.raises(MappingError, match=r"cannot ingest into .transaction."):
        ingest(duck_store, missing_key, table="transaction")
    bad_map = tmp_path / "m.yaml"
    bad_map.write_text("table: transactions\ncolumns: {ts: when}\n")
    with pytest.raises(MappingError, match="when not columns of transactions"):
        ingest(duck_store, missing_key, mapping=bad_map)
    assert duck_store.count("transactions") == 0
