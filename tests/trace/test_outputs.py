"""Freeze list, Sankey HTML, reimbursement view and the CLI, on small ledgers."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path

import pyarrow.csv as pacsv
import pytest
from typer.testing import CliRunner

from fraudnet.cli.main import app
from fraudnet.engine import Engine, open_engine
from fraudnet.trace import get_rule, prepare, rule_names, trace_reports
from fraudnet.trace.engine import InvariantError, run_trace
from fraudnet.trace.freeze import freeze_list
from fraudnet.trace.reimburse import reimbursement_view
from fraudnet.trace.rules import ProRata
from fraudnet.trace.sankey import write_sankeys
from tests.trace.ledgers import (
    MIXED_ACCOUNTS,
    MIXED_PAYMENTS,
    MIXED_REPORTS,
    WORKED_ACCOUNTS,
    WORKED_PAYMENTS,
    WORKED_REPORTS,
    write_ledger,
)


def test_registry_docstrings_and_errors() -> None:
    assert rule_names() == ["fifo", "hallett", "lifo", "poison", "pro_rata"]
    for name in rule_names():
        doc = get_rule(name).__doc__ or ""
        assert "Legal source" in doc or "Proceeds of Crime" in doc, name
    with pytest.raises(KeyError, match="known rules"):
        get_rule("libr2")


def test_mixed_victims_exits_and_shortfall(duck_store: Engine) -> None:
    write_ledger(duck_store, MIXED_ACCOUNTS, MIXED_PAYMENTS, MIXED_REPORTS)
    result = trace_reports(duck_store, rule="fifo")
    rows = {
        (r["report_id"], r["kind"], r["account_id"], r["exit_channel"]): r["amount"]
        for r in result.traces.to_pylist()
    }
    # A: 50 clean, then R1 1000, R2 500. A->B 900 = 50 clean + 850 R1 (FIFO): one lot in
    # B, so B's later partial debits take R1 and clean in proportion (850:50).
    # cash 300 -> R1 283.33; wire 200 -> R1 188.89; B keeps R1 377.78 of that lot.
    # A left: 150 R1, 500 R2; crypto 100 = R1; then 600 > balance 550: the whole known
    # balance (R1 50, R2 500) goes to B, the 50 shortfall is money of unknown origin.
    assert rows[("R1", "exited", "B", "cash_out")] == Decimal("283.33")
    assert rows[("R1", "exited", "B", "intl_wire")] == Decimal("188.89")
    assert rows[("R1", "exited", "A", "crypto")] == Decimal("100.00")
    assert rows[("R1", "held", "B", None)] == Decimal("427.78")
    assert rows[("R2", "held", "B", None)] == Decimal("500.00")
    assert sum(result.by_report()["R1"].values()) == Decimal("1000.00")
    freeze = freeze_list(result).to_pylist()
    assert {(f["account_id"], f["report_id"]) for f in freeze} == {("B", "R1"), ("B", "R2")}
    shares = {f["report_id"]: f["victim_share_pct"] for f in freeze}
    assert shares == {"R1": pytest.approx(46.11), "R2": pytest.approx(53.89)}
    assert {f["account_held"] for f in freeze} == {Decimal("927.78")}


def test_sankey_html_is_offline(duck_store: Engine, tmp_path: Path) -> None:
    write_ledger(duck_store, MIXED_ACCOUNTS, MIXED_PAYMENTS, MIXED_REPORTS)
    result = trace_reports(duck_store, rule="pro_rata")
    paths = write_sankeys(result, tmp_path / "sankey")
    assert [p.name for p in paths] == ["R1-pro_rata.html", "R2-pro_rata.html"]
    html = paths[0].read_text()
    assert "cdn.plot.ly" not in html and "plotly.min.js" in html
    assert (tmp_path / "sankey" / "plotly.min.js").stat().st_size > 100_000
    assert "exit: cash_out" in html


def test_reimbursement_view(duck_store: Engine) -> None:
    accounts = [("V", "200000.00"), ("M", "0.00")]
    payments = [
        ("big", 1, "V", "M", "100000.00", "fps"),
        ("small", 2, "V", "M", "2000.01", "fps"),
        ("chaps", 3, "V", "M", "10.00", "chaps"),
    ]
    reports = [("R1", "big", "P", None), ("R2", "small", "P", None), ("R3", "chaps", "P", None)]
    write_ledger(duck_store, accounts, payments, reports)
    view = {
        r["report_id"]: r
        for r in reimbursement_view(duck_store, trace_reports(duck_store, rule="fifo")).to_pylist()
    }
    assert view["R1"]["reimbursable"] == Decimal("85000.00")
    assert view["R1"]["sending_firm_share"] == view["R1"]["receiving_firm_share"]
    assert view["R2"]["sending_firm_share"] == Decimal("1000.01")
    assert view["R2"]["receiving_firm_share"] == Decimal("1000.00")
    assert view["R1"]["recoverable_held"] == Decimal("100000.00")
    assert view["R1"]["recovery_to_victim"] == Decimal("15000.00")
    assert view["R3"]["in_scope"] is False and view["R3"]["reimbursable"] == Decimal("0.00")
    with pytest.raises(ValueError, match="upper bound"):
        reimbursement_view(duck_store, trace_reports(duck_store, rule="poison"))


def test_cli_trace(tmp_path: Path) -> None:
    location = tmp_path / "s.duckdb"
    with open_engine(location, "duckdb") as engine:
        write_ledger(engine, WORKED_ACCOUNTS, WORKED_PAYMENTS, WORKED_REPORTS)
    out = tmp_path / "freeze.csv"
    result = CliRunner().invoke(
        app,
        [
            "trace",
            str(location),
            "--rule",
            "all",
            "--freeze-list",
            str(out),
            "--sankey",
            str(tmp_path / "html"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "upper bound" in result.output and "pro_rata" in result.output
    table = pacsv.read_csv(tmp_path / "freeze-pro_rata.csv")
    held = dict(
        zip(
            table.column("account_id").to_pylist(),
            table.column("victim_amount").to_pylist(),
            strict=True,
        )
    )
    assert held == {"C": 533.33, "B": 400.0, "A": 66.67}
    with open_engine(location, "duckdb") as engine:
        assert engine.sql("SELECT DISTINCT rule FROM traces").num_rows == 5


def test_invariant_check_catches_a_rule_that_invents_taint(duck_store: Engine) -> None:
    class Inflating(ProRata):
        name = ""  # not registered

        def credit(
            self,
            account: int,
            taint: Mapping[str, int],
            amount: int,
            balance_before: int,
            in_before: int,
        ) -> None:
            super().credit(account, {k: 2 * v for k, v in taint.items()}, amount, 0, 0)

    write_ledger(duck_store, WORKED_ACCOUNTS, WORKED_PAYMENTS, WORKED_REPORTS)
    ledger = prepare(duck_store)
    with pytest.raises(InvariantError):
        run_trace(ledger, Inflating({"R1": 100_000}), check=True)
    assert "" not in rule_names()
