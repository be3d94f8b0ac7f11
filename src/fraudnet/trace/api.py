"""`trace_reports`: the one call a notebook user or the CLI makes."""

from __future__ import annotations

from datetime import datetime

import pyarrow as pa

from fraudnet.engine import Engine
from fraudnet.errors import FraudnetError
from fraudnet.trace.engine import run_trace
from fraudnet.trace.ledger import RestrictedLedger, load_ledger
from fraudnet.trace.result import TraceResult, build_result, store_result, store_results
from fraudnet.trace.rules import get_rule


class UnknownReportError(FraudnetError):
    """A report id asked for that the store does not hold."""


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


def trace_rules(
    engine: Engine,
    rules: list[str],
    report_ids: list[str] | None = None,
    as_of: datetime | None = None,
) -> list[TraceResult]:
    """Trace under several rules and store them in one commit: all rules or none."""
    ledger = prepare(engine, report_ids, as_of)
    results = [trace_ledger(engine, ledger, rule, store=False) for rule in rules]
    store_results(engine, results, [r.report_id for r in ledger.reports])
    return results


def prepare(
    engine: Engine, report_ids: list[str] | None = None, as_of: datetime | None = None
) -> RestrictedLedger:
    """The restricted ledger for these reports; reuse it to trace under several rules.

    Naming a report the store does not hold is an error (not an empty trace).
    """
    if report_ids is not None:
        _check_reports_exist(engine, report_ids)
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


def _check_reports_exist(engine: Engine, report_ids: list[str]) -> None:
    wanted = pa.table({"report_id": pa.array(sorted(set(report_ids)), pa.string())})
    engine.temp_table("_trace_wanted", wanted)
    missing = engine.sql(
        "SELECT w.report_id FROM _trace_wanted w WHERE NOT EXISTS "
        "(SELECT 1 FROM fraud_reports r WHERE r.report_id = w.report_id) ORDER BY w.report_id"
    )
    engine.drop_temp("_trace_wanted")
    unknown = [str(r) for r in missing.column("report_id").to_pylist()]
    if unknown:
        raise UnknownReportError(
            f"unknown report id(s): {', '.join(unknown)} (not in fraud_reports)",
            field="--report",
        )


def _last_payment(engine: Engine) -> datetime:
    last = engine.sql("SELECT MAX(ts) AS last FROM transactions").column("last")[0].as_py()
    return last if last is not None else datetime(1970, 1, 1)
