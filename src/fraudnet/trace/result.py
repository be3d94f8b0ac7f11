"""Turn a raw pass into the `traces` and `trace_flows` Arrow tables, and store them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from fraudnet.engine import Engine
from fraudnet.engine.types import arrow_schema
from fraudnet.schema import get_table
from fraudnet.trace.engine import RawTrace
from fraudnet.trace.ledger import RestrictedLedger
from fraudnet.trace.money import money_array, to_decimal

KINDS = ("held", "exited", "unexplained")


@dataclass(frozen=True, slots=True)
class TraceResult:
    """Traces and flows for one rule; `upper_bound` marks amounts that must not be summed."""

    rule: str
    as_of: datetime
    upper_bound: bool
    traces: pa.Table
    trace_flows: pa.Table

    def totals(self) -> dict[str, Decimal]:
        """Total per kind over all traced reports (an upper bound, not a sum, for poison)."""
        sums = dict.fromkeys(KINDS, Decimal("0.00"))
        for kind, amount in zip(
            self.traces.column("kind").to_pylist(),
            self.traces.column("amount").to_pylist(),
            strict=True,
        ):
            sums[kind] += amount
        return sums

    def by_report(self) -> dict[str, dict[str, Decimal]]:
        """Per report, total per kind."""
        out: dict[str, dict[str, Decimal]] = defaultdict(lambda: dict.fromkeys(KINDS, Decimal(0)))
        for rec in self.traces.select(["report_id", "kind", "amount"]).to_pylist():
            out[rec["report_id"]][rec["kind"]] += rec["amount"]
        return dict(out)


def build_result(
    ledger: RestrictedLedger, raw: RawTrace, rule: str, upper_bound: bool
) -> TraceResult:
    victims = {r.report_id: r.victim_party_id for r in ledger.reports}
    cols: dict[str, list[Any]] = {k: [] for k in ("report", "kind", "account", "channel", "dest")}
    pence: list[int] = []
    parts: list[tuple[str, dict[Any, int]]] = [
        ("held", raw.held),
        ("exited", raw.exited),
        ("unexplained", raw.unexplained),
    ]
    for kind, found in parts:
        for key, amount in found.items():
            cols["report"].append(key[0])
            cols["kind"].append(kind)
            cols["account"].append(key[1])
            cols["channel"].append(key[2] if kind == "exited" else None)
            cols["dest"].append(key[3] if kind == "exited" else None)
            pence.append(amount)
    n = len(pence)
    accounts = cols["account"]
    traces = pa.table(
        {
            "report_id": pa.array(cols["report"], pa.string()),
            "rule": pa.array([rule] * n, pa.string()),
            "victim_party_id": pa.array([victims.get(r) for r in cols["report"]], pa.string()),
            "kind": pa.array(cols["kind"], pa.string()),
            "account_id": pa.array(accounts, pa.string()),
            "institution": pa.array([ledger.institution.get(a) for a in accounts], pa.string()),
            "jurisdiction": pa.array([ledger.jurisdiction.get(a) for a in accounts], pa.string()),
            "amount": money_array(pence),
            "exit_channel": pa.array(cols["channel"], pa.string()),
            "destination": pa.array(cols["dest"], pa.string()),
            "upper_bound": pa.array([upper_bound] * n, pa.bool_()),
            "as_of": pa.array([ledger.as_of] * n, pa.timestamp("us")),
        }
    )
    order = ["report_id", "kind", "account_id", "exit_channel", "destination"]
    traces = traces.sort_by([(c, "ascending") for c in order])
    return TraceResult(
        rule=rule,
        as_of=ledger.as_of,
        upper_bound=upper_bound,
        traces=_conform(traces, "traces"),
        trace_flows=_flows_table(ledger, raw, rule, upper_bound),
    )


def _flows_table(ledger: RestrictedLedger, raw: RawTrace, rule: str, upper_bound: bool) -> pa.Table:
    n = len(raw.flows)
    reports = pa.array([f[0] for f in raw.flows], pa.string())
    rows = pa.array([f[1] for f in raw.flows], pa.int64())
    pence = np.fromiter((f[2] for f in raw.flows), np.int64, n)
    order = _sort_indices(reports, rows)
    picked = ledger.rows.take(rows.take(order))
    table = pa.table(
        {
            "report_id": reports.take(order),
            "rule": pa.array([rule] * n, pa.string()),
            "txn_id": picked.column("txn_id"),
            "ts": picked.column("ts"),
            "src_account": picked.column("src_account"),
            "dst_account": picked.column("dst_account"),
            "channel": picked.column("channel"),
            "amount": money_array(pence[order.to_numpy()]),
            "upper_bound": pa.array([upper_bound] * n, pa.bool_()),
            "as_of": pa.array([ledger.as_of] * n, pa.timestamp("us")),
        }
    )
    return _conform(table, "trace_flows")


def _sort_indices(reports: pa.Array, rows: pa.Array) -> pa.Array:
    keys = pa.table({"report_id": reports, "row": rows})
    return pc.sort_indices(keys, sort_keys=[("report_id", "ascending"), ("row", "ascending")])


def _conform(table: pa.Table, name: str) -> pa.Table:
    schema = arrow_schema(get_table(name))
    return pa.Table.from_arrays([table.column(f.name).cast(f.type) for f in schema], schema=schema)


def store_result(engine: Engine, result: TraceResult, report_ids: list[str]) -> None:
    """Replace the stored rows of the traced (report, rule) pairs, keeping all others."""
    store_results(engine, [result], report_ids)


def store_results(engine: Engine, results: list[TraceResult], report_ids: list[str]) -> None:
    """Replace the stored rows of every traced (report, rule) pair in one commit.

    One commit is one DuckDB transaction (or one Spark manifest swap): a run over several
    rules stores all of them or, if killed, none. When none of the pairs is stored yet (the
    usual first run) the new rows are simply appended.
    """
    if not results:
        return
    keys = pa.table({"report_id": pa.array(sorted(set(report_ids)), pa.string())})
    engine.temp_table("_trace_keys", keys)
    rules = ", ".join(f"'{_rule_literal(r.rule)}'" for r in results)
    mine = (
        f"s.rule IN ({rules}) AND "
        "EXISTS (SELECT 1 FROM _trace_keys k WHERE k.report_id = s.report_id)"
    )
    stored = engine.sql(
        f"SELECT (SELECT COUNT(*) FROM traces s WHERE {mine}) "
        f"+ (SELECT COUNT(*) FROM trace_flows s WHERE {mine}) AS n"
    )
    new = {
        "traces": pa.concat_tables([r.traces for r in results]),
        "trace_flows": pa.concat_tables([r.trace_flows for r in results]),
    }
    if not stored.column("n")[0].as_py():
        engine.drop_temp("_trace_keys")
        engine.commit(appends=new)
        return
    kept = {name: engine.sql(f"SELECT * FROM {name} s WHERE NOT ({mine})") for name in new}
    engine.drop_temp("_trace_keys")
    engine.commit(
        replaces={name: pa.concat_tables([_conform(kept[name], name), new[name]]) for name in new}
    )


def _rule_literal(rule: str) -> str:
    if not rule.replace("_", "").isalnum():
        raise ValueError(f"bad rule name {rule!r}")
    return rule


__all__ = ["KINDS", "TraceResult", "build_result", "store_result", "store_results", "to_decimal"]
