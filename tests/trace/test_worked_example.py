"""The issue's worked example, table-driven over the rules, exact to the penny."""

from __future__ import annotations

from decimal import Decimal

import pytest

from fraudnet.engine import Engine
from fraudnet.trace import trace_reports
from tests.trace.ledgers import WORKED_ACCOUNTS, WORKED_PAYMENTS, WORKED_REPORTS, write_ledger

# rule: (B, C, A) tainted amounts, from the issue.
EXPECTED = {
    "fifo": ("600.00", "400.00", "0.00"),
    "lifo": ("100.00", "800.00", "100.00"),
    "pro_rata": ("400.00", "533.33", "66.67"),
    "hallett": ("100.00", "800.00", "100.00"),
    "poison": ("600.00", "800.00", "100.00"),
}


@pytest.mark.parametrize("rule", sorted(EXPECTED))
def test_worked_example(duck_store: Engine, rule: str) -> None:
    write_ledger(duck_store, WORKED_ACCOUNTS, WORKED_PAYMENTS, WORKED_REPORTS)
    result = trace_reports(duck_store, rule=rule)
    held = {
        r["account_id"]: r["amount"]
        for r in result.traces.to_pylist()
        if r["kind"] == "held" and r["report_id"] == "R1"
    }
    b, c, a = (Decimal(x) for x in EXPECTED[rule])
    assert held.get("B", Decimal("0.00")) == b
    assert held.get("C", Decimal("0.00")) == c
    assert held.get("A", Decimal("0.00")) == a
    assert result.upper_bound is (rule == "poison")
    if rule != "poison":
        assert sum(result.totals().values()) == Decimal("1000.00")


def test_rerun_replaces_rows(duck_store: Engine) -> None:
    write_ledger(duck_store, WORKED_ACCOUNTS, WORKED_PAYMENTS, WORKED_REPORTS)
    first = trace_reports(duck_store, rule="fifo")
    trace_reports(duck_store, rule="lifo")
    trace_reports(duck_store, rule="fifo")
    stored = duck_store.sql("SELECT * FROM traces WHERE rule = 'fifo'")
    assert stored.num_rows == first.traces.num_rows
    assert duck_store.count("traces") == first.traces.num_rows + 3  # lifo: B, C, A
    flows = duck_store.sql("SELECT txn_id FROM trace_flows WHERE rule = 'fifo' ORDER BY txn_id")
    assert flows.column("txn_id").to_pylist() == ["t1", "t3", "t4"]


def test_as_of_and_report_selection(duck_store: Engine) -> None:
    from tests.trace.ledgers import at

    write_ledger(
        duck_store,
        WORKED_ACCOUNTS,
        [*WORKED_PAYMENTS, ("t6", 6, "V", "C", "10.00", "fps")],
        [*WORKED_REPORTS, ("R2", "t6", "V", "10.00")],
    )
    early = trace_reports(duck_store, rule="fifo", as_of=at(3))  # before A pays C
    held = {(r["report_id"], r["account_id"]): r["amount"] for r in early.traces.to_pylist()}
    assert held == {
        ("R1", "B"): Decimal("600.00"),
        ("R1", "A"): Decimal("400.00"),
        ("R2", None): Decimal("10.00"),  # its payment is after as_of: unexplained
    }
    only_r2 = trace_reports(duck_store, rule="fifo", report_ids=["R2"])
    assert set(only_r2.traces.column("report_id").to_pylist()) == {"R2"}
    stored = duck_store.sql("SELECT report_id, kind, amount FROM traces ORDER BY report_id")
    assert stored.to_pylist()[-1] == {"report_id": "R2", "kind": "held", "amount": Decimal("10.00")}
    assert stored.num_rows == 3  # R1 twice (as of t3), R2 replaced by the later trace
