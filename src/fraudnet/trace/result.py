"""Turn a raw pass into the `traces` and `trace_flows` Arrow tables, and store them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import pyarrow as pa

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
    records: list[tuple[str, str, str | None, str | None, str | None, int]] = []
    for (report, holder), pence in sorted(raw.held.items()):
        records.append((report, "held", holder, None, None, pence))
    for (report, source, channel, payee), pence in sorted(raw.exited.items(), key=_exit_order):
        records.append((report, "exited", source, channel, payee, pence))
    for (report, account), pence in sorted(raw.unexplained.items(), key=_str_order):
        records.append((report, "unexplained", account, None, None, pence))
    records.sort(key=lambda r: (r[0], KINDS.index(r[1]), r[2] or "", r[3] or "", r[4] or ""))
    accounts = [r[2] for r in records]
    traces = pa.table(
        {
            "report_id": [r[0] for r in records],
            "rule": [rule] * len(records),
            "victim_party_id": [victims.get(r[0]) for r in records],
            "kind": [r[1] for r in records],
            "account_id": accounts,
            "institution": [ledger.institution.get(a) if a else None for a in accounts],
            "jurisdiction": [ledger.jurisdiction.get(a) if a else None for a in accounts],
            "amount": money_array(r[5] for r in records),
            "exit_channel": [r[3] for r in records],
            "destination": [r[4] for r in records],
            "upper_bound": [upper_bound] * len(records),
            "as_of": pa.array([ledger.as_of] * len(records), pa.timestamp("us")),
        }
    )
    return TraceResult(
        rule=rule,
        as_of=ledger.as_of,
        upper_bound=upper_bound,
        traces=_conform(traces, "traces"),
        trace_flows=_flows_table(ledger, raw, rule, upper_bound),
    )


def _flows_table(ledger: RestrictedLedger, raw: RawTrace, rule: str, upper_bound: bool) -> pa.Table:
    flows = sorted(raw.flows, key=lambda f: (f[0], f[1]))
    rows = pa.array([f[1] for f in flows], pa.int64())
    picked = ledger.rows.take(rows)
    n = len(flows)
    table = pa.table(
        {
            "report_id": pa.array([f[0] for f in flows], pa.string()),
            "rule": [rule] * n,
            "txn_id": picked.column("txn_id"),
            "ts": picked.column("ts"),
            "src_account": picked.column("src_account"),
            "dst_account": picked.column("dst_account"),
            "channel": picked.column("channel"),
            "amount": money_array(f[2] for f in flows),
            "upper_bound": [upper_bound] * n,
            "as_of": pa.array([ledger.as_of] * n, pa.timestamp("us")),
        }
    )
    return _conform(table, "trace_flows")


def _conform(table: pa.Table, name: str) -> pa.Table:
    schema = arrow_schema(get_table(name))
    return pa.Table.from_arrays([table.column(f.name).cast(f.type) for f in schema], schema=schema)


def _exit_order(item: tuple[tuple[str, str | None, str, str | None], int]) -> tuple[str, ...]:
    (report, source, channel, payee), _ = item
    return (report, source or "", channel, payee or "")


def _str_order(item: tuple[tuple[str, str | None], int]) -> tuple[str, str]:
    (report, account), _ = item
    return (report, account or "")


def store_result(engine: Engine, result: TraceResult, report_ids: list[str]) -> None:
    """Replace the stored rows of the traced (report, rule) pairs, keeping all others."""
    keys = pa.table({"report_id": pa.array(sorted(set(report_ids)), pa.string())})
    engine.temp_table("_trace_keys", keys)
    kept = {}
    for name in ("traces", "trace_flows"):
        kept[name] = engine.sql(
            f"SELECT * FROM {name} s WHERE s.rule <> '{_rule_literal(result.rule)}' OR NOT "
            "EXISTS (SELECT 1 FROM _trace_keys k WHERE k.report_id = s.report_id)"
        )
    engine.drop_temp("_trace_keys")
    engine.commit(
        replaces={
            "traces": pa.concat_tables([_conform(kept["traces"], "traces"), result.traces]),
            "trace_flows": pa.concat_tables(
                [_conform(kept["trace_flows"], "trace_flows"), result.trace_flows]
            ),
        }
    )


def _rule_literal(rule: str) -> str:
    if not rule.replace("_", "").isalnum():
        raise ValueError(f"bad rule name {rule!r}")
    return rule


__all__ = ["KINDS", "TraceResult", "build_result", "store_result", "to_decimal"]
