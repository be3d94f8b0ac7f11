"""Property tests on random small ledgers: conservation, balance caps, row-order invariance,
and agreement with the straightforward reference walk, for every rule."""

from __future__ import annotations

import os
import random
import tempfile
from collections import defaultdict
from collections.abc import Hashable
from pathlib import Path

import pyarrow as pa
from hypothesis import HealthCheck, given, settings

from fraudnet.engine import open_engine
from fraudnet.trace import TraceResult, prepare, rule_names, trace_ledger
from fraudnet.trace.money import to_pence
from fraudnet.trace.reference import ReferenceResult, reference_trace
from tests.trace.ledgers import write_ledger
from tests.trace.strategies import SmallLedger, small_ledgers

SETTINGS = settings(
    max_examples=int(os.environ.get("FRAUDNET_TRACE_EXAMPLES", "30")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
Row = tuple[Hashable, ...]


def _trace_all(
    ledger: SmallLedger, shuffle_seed: int | None = None
) -> tuple[dict[str, TraceResult], list[pa.Table]]:
    """Every rule traced with the invariant check on, plus the stored input tables."""
    accounts, payments, reports = list(ledger.accounts), list(ledger.payments), list(ledger.reports)
    if shuffle_seed is not None:
        rng = random.Random(shuffle_seed)
        rng.shuffle(accounts)
        rng.shuffle(payments)
        rng.shuffle(reports)
    with tempfile.TemporaryDirectory() as tmp:
        engine = open_engine(Path(tmp) / "s.duckdb", "duckdb")
        try:
            write_ledger(engine, accounts, payments, reports)
            restricted = prepare(engine)
            results = {
                rule: trace_ledger(engine, restricted, rule, store=False, check=True)
                for rule in rule_names()
            }
            tables = [engine.table(n) for n in ("transactions", "accounts", "fraud_reports")]
        finally:
            engine.close()
    return results, tables


def _reported(ledger: SmallLedger) -> dict[str, int]:
    amounts = {p[0]: to_pence(p[4]) for p in ledger.payments}
    return {
        rid: to_pence(amount) if amount is not None else amounts.get(txn, 0)
        for rid, txn, _, amount in ledger.reports
    }


def _rows(result: TraceResult) -> dict[Row, int]:
    out: dict[Row, int] = {}
    for r in result.traces.to_pylist():
        key = (r["report_id"], r["kind"], r["account_id"], r["exit_channel"], r["destination"])
        out[key] = to_pence(r["amount"])
    return out


def _reference_rows(ref: ReferenceResult) -> dict[Row, int]:
    expected: dict[Row, int] = {}
    for (rid, acct), p in ref.held.items():
        expected[(rid, "held", acct, None, None)] = p
    for (rid, src, ch, dst), p in ref.exited.items():
        expected[(rid, "exited", src, ch, dst)] = p
    for (rid, acct), p in ref.unexplained.items():
        expected[(rid, "unexplained", acct, None, None)] = p
    return {k: v for k, v in expected.items() if v}


@given(small_ledgers())
@SETTINGS
def test_conservation_and_reference(ledger: SmallLedger) -> None:
    results, (txns, accounts, reports) = _trace_all(ledger)
    reported = _reported(ledger)
    for rule, result in results.items():
        ref = reference_trace(txns, accounts, reports, rule)
        assert _rows(result) == _reference_rows(ref), rule
        flows = {
            (r["report_id"], r["txn_id"]): to_pence(r["amount"])
            for r in result.trace_flows.to_pylist()
        }
        assert flows == ref.flows, rule
        if rule == "poison":
            continue
        per_report: dict[Hashable, int] = defaultdict(int)
        for key, pence in _rows(result).items():
            per_report[key[0]] += pence
        assert dict(per_report) == {k: v for k, v in reported.items() if v}, rule


@given(small_ledgers())
@SETTINGS
def test_row_order_invariance(ledger: SmallLedger) -> None:
    first, _ = _trace_all(ledger)
    second, _ = _trace_all(ledger, shuffle_seed=7)
    for rule in rule_names():
        assert first[rule].traces.equals(second[rule].traces), rule
        assert first[rule].trace_flows.equals(second[rule].trace_flows), rule
