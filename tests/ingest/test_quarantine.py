"""Bad input loses nothing: every rejected row is in quarantine with line, field and reason."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from fraudnet.engine import Engine
from fraudnet.ingest import ingest
from tests.ingest.conftest import EXPECTED_QUARANTINE


def test_bad_rows_are_quarantined_with_reasons(store: Engine, bad_transactions_csv: Path) -> None:
    result = ingest(store, bad_transactions_csv, table="transactions")
    got = store.sql("SELECT line, field, reason, file FROM quarantine ORDER BY line").to_pylist()
    assert [(r["line"], r["field"], r["reason"]) for r in got] == EXPECTED_QUARANTINE
    assert {r["file"] for r in got} == {str(bad_transactions_csv.resolve())}
    (outcome,) = result.outcomes
    assert outcome.rows_read == 13
    assert outcome.rows_loaded == 3
    assert outcome.rows_duplicate == 1
    assert outcome.rows_quarantined == len(EXPECTED_QUARANTINE)
    # nothing lost: every data line is accounted for exactly once
    assert (
        outcome.rows_loaded + outcome.rows_duplicate + outcome.rows_quarantined == outcome.rows_read
    )


def test_good_rows_are_normalised(store: Engine, bad_transactions_csv: Path) -> None:
    ingest(store, bad_transactions_csv, table="transactions")
    rows = {r["txn_id"]: r for r in store.table("transactions").to_pylist()}
    assert set(rows) == {"t1", "t2", "t9"}
    assert rows["t1"]["src_account"] == "GB-123456-12345678"
    assert rows["t1"]["dst_account"] == "GB29NWBK60161331926819"
    assert rows["t2"]["amount"] == Decimal("1250.50")
    assert rows["t2"]["currency"] == "GBP"
    assert rows["t2"]["channel"] == "fps"
    assert rows["t2"]["ts"] == dt.datetime(2024, 1, 1, 10, 0)  # +01:00 converted to UTC
    assert rows["t9"]["src_account"] is None


def test_rerun_adds_nothing(store: Engine, bad_transactions_csv: Path) -> None:
    ingest(store, bad_transactions_csv, table="transactions")
    before = (store.table("transactions"), store.count("quarantine"))
    again = ingest(store, bad_transactions_csv, table="transactions")
    assert store.table("transactions").equals(before[0])
    assert store.count("quarantine") == before[1]
    assert again.rows_loaded == 0
    assert again.outcomes[0].rows_duplicate == 4


def test_conflict_with_store_is_quarantined(store: Engine, tmp_path: Path) -> None:
    first = tmp_path / "a.csv"
    first.write_text(
        "txn_id,ts,amount,currency,src_account,dst_account,channel\nx1,2024-05-01,10,GBP,A,B,fps\n"
    )
    second = tmp_path / "b.csv"
    second.write_text(
        "txn_id,ts,amount,currency,src_account,dst_account,channel\n"
        "x1,2024-05-01,11,GBP,A,B,fps\nx2,2024-05-01,3,GBP,A,B,fps\n"
    )
    ingest(store, first, table="transactions")
    result = ingest(store, second, table="transactions")
    assert result.rows_loaded == 1
    reasons = store.sql("SELECT reason, line FROM quarantine").to_pylist()
    assert reasons == [
        {"reason": "same txn_id already in the store with different content", "line": 2}
    ]
    amount = store.sql("SELECT amount FROM transactions WHERE txn_id = 'x1'").column(0)[0]
    assert amount.as_py() == Decimal("10.00")
