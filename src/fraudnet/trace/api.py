"""`trace_reports`: the one call a notebook user or the CLI makes."""

from __future__ import annotations

from datetime import datetime

from fraudnet.engine import Engine
from fraudnet.trace.engine import run_trace
from fraudnet.trace.ledger import RestrictedLedger, load_ledger
from fraudnet.trace.result import TraceResult, build_result, store_result
from fraudnet.trace.rules import get_rule


def trace_reports(
    engine: Engine,
    rule: str = "fifo",
    report_ids: list[str] | None = None,
    as_of: datetime | None = None,
    store: bool = True,
    check: bool = False,
) -> TraceResult:
    """Trace each fraud report's money forward under `rule`; write `traces`/`trace_flows`.

    `as_of` cuts the ledger (default: the last payment). Re-running replaces the stored
    rows of the same (report, rule) pairs. `check` verifies after every step that no
    account holds more taint than its balance (for tests; slower).
    """
    rule_class = get_rule(rule)
    ledger = prepare(engine, report_ids, as_of)
    return trace_ledger(engine, ledger, rule_class.name, store=store, check=check)


def prepare(
    engine: Engine, report_ids: list[str] | None = None, as_of: datetime | None = None
) -> RestrictedLedger:
    """The restricted ledger for these reports; reuse it to trace under several rules."""
    return load_ledger(engine, as_of or _last_payment(engine), report_ids)


def trace_ledger(
    engine: Engine | None,
    ledger: RestrictedLedger,
    rule: str,
    store: bool = True,
    check: bool = False,
) -> TraceResult:
    rule_class = get_rule(rule)
    amounts = {r.report_id: r.pence for r in ledger.reports}
    raw = run_trace(ledger, rule_class(amounts), check=check)
    result = build_result(ledger, raw, rule_class.name, rule_class.upper_bound)
    if store and engine is not None:
        store_result(engine, result, [r.report_id for r in ledger.reports])
    return result


def _last_payment(engine: Engine) -> datetime:
    last = engine.sql("SELECT MAX(ts) AS last FROM transactions").column("last")[0].as_py()
    return last if last is not None else datetime(1970, 1, 1)
