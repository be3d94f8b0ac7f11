"""A fraud report's traces as the tracing view shows them: where the money went, the Sankey
links, and what can still be frozen, by institution, read from the stored `traces` tables.

Nothing is recomputed here: `fraudnet trace` writes the tables; this reads one report and one
rule back into a `TraceResult` so the existing Sankey and freeze-list code draws it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pyarrow as pa

from fraudnet.engine import Engine
from fraudnet.engine.types import conform
from fraudnet.errors import InvalidValueError
from fraudnet.schema import get_table
from fraudnet.trace.freeze import freeze_list
from fraudnet.trace.result import TraceResult
from fraudnet.trace.rules import rule_names
from fraudnet.trace.sankey import sankey_figure
from fraudnet.workspace.guard import literal, require
from fraudnet.workspace.permissions import READ_NETWORK


@dataclass(frozen=True, slots=True)
class SankeyData:
    nodes: list[str]
    links: list[dict[str, Any]]  # source and target (node indexes), amount (Decimal)


def fraud_reports(
    engine: Engine, user_id: str, page: int = 1, page_size: int = 50
) -> tuple[int, pa.Table]:
    """The fraud reports, newest first, with the rules each was traced under."""
    require(engine, user_id, READ_NETWORK)
    if page < 1 or not 1 <= page_size <= 500:
        raise InvalidValueError("page must be >= 1 and page_size 1 to 500")
    found = engine.sql(
        f"""SELECT r.report_id, r.txn_id, r.victim_party_id, r.fraud_type, r.reported_at,
               r.amount, (SELECT string_agg(DISTINCT t.rule, ',' ORDER BY t.rule) FROM traces t
                          WHERE t.report_id = r.report_id) AS traced_rules
        FROM fraud_reports r ORDER BY r.reported_at DESC NULLS LAST, r.report_id
        LIMIT {page_size} OFFSET {(page - 1) * page_size}"""
    )
    return engine.count("fraud_reports"), found


def stored_trace(
    engine: Engine, user_id: str, report_id: str | None, rule: str = "fifo"
) -> TraceResult:
    """The stored trace of one report (or, with None, of every report) under `rule`."""
    require(engine, user_id, READ_NETWORK)
    if rule not in rule_names():
        raise InvalidValueError(f"rule must be one of {', '.join(rule_names())}, not {rule!r}")
    where = f"rule = {literal(rule, 'rule')}"
    if report_id is not None:
        rid = literal(report_id, "report_id")
        if not engine.sql(f"SELECT 1 FROM fraud_reports WHERE report_id = {rid}").num_rows:
            raise KeyError(f"no fraud report {report_id!r} in this store")
        where += f" AND report_id = {rid}"
    traces = conform(engine.sql(f"SELECT * FROM traces WHERE {where}"), get_table("traces"))
    if report_id is not None and not traces.num_rows:
        raise KeyError(f"report {report_id!r} has no stored trace under {rule}: run fraudnet trace")
    flows = conform(
        engine.sql(f"SELECT * FROM trace_flows WHERE {where} ORDER BY report_id, ts, txn_id"),
        get_table("trace_flows"),
    )
    as_of = traces.column("as_of")[0].as_py() if traces.num_rows else None
    upper = bool(traces.column("upper_bound")[0].as_py()) if traces.num_rows else False
    return TraceResult(rule, as_of, upper, traces, flows)  # type: ignore[arg-type]


def sankey_data(result: TraceResult, report_id: str) -> SankeyData:
    """Nodes and links of the report's Sankey diagram (the same as `fraudnet trace --sankey`)."""
    figure = sankey_figure(result, report_id)
    sankey = figure.data[0]
    labels = [str(n) for n in sankey.node.label]
    amounts = [Decimal(str(text).lstrip("£").replace(",", "")) for text in sankey.link.customdata]
    links = [
        {"source": int(s), "target": int(t), "amount": amount}
        for s, t, amount in zip(sankey.link.source, sankey.link.target, amounts, strict=True)
    ]
    return SankeyData(labels, links)


def report_freeze_list(result: TraceResult) -> pa.Table:
    """Per institution, the accounts holding this trace's money and whose it is."""
    return freeze_list(result)


__all__ = ["SankeyData", "fraud_reports", "report_freeze_list", "sankey_data", "stored_trace"]
