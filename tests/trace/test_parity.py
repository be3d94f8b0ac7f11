"""DuckDB and Spark give the same traces: the same code path runs on both engines."""

from __future__ import annotations

import pytest

from fraudnet.engine import Engine
from fraudnet.trace import prepare, rule_names, trace_ledger
from fraudnet.trace.reference import reference_trace
from tests.trace.ledgers import MIXED_ACCOUNTS, MIXED_PAYMENTS, MIXED_REPORTS, write_ledger


@pytest.mark.spark
def test_engines_agree(store: Engine) -> None:
    write_ledger(store, MIXED_ACCOUNTS, MIXED_PAYMENTS, MIXED_REPORTS)
    ledger = prepare(store)
    txns, accounts, reports = (
        store.table(n) for n in ("transactions", "accounts", "fraud_reports")
    )
    for rule in rule_names():
        result = trace_ledger(store, ledger, rule, store=rule == "fifo")
        ref = reference_trace(txns, accounts, reports, rule)
        held = {
            (r["report_id"], r["account_id"]): int(r["amount"] * 100)
            for r in result.traces.to_pylist()
            if r["kind"] == "held"
        }
        assert held == {k: v for k, v in ref.held.items() if v}, (store.name, rule)
    stored = store.sql("SELECT rule, COUNT(*) AS n FROM traces GROUP BY rule ORDER BY rule")
    assert stored.column("rule").to_pylist() == ["fifo"]
