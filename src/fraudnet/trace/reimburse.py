"""The UK mandatory APP reimbursement view (Payment Systems Regulator, from 7 October 2024).

Per report: the claim, what the scheme reimburses (capped at £85,000, less any excess),
the 50:50 split of that cost between the sending and the receiving firm, and the victim's
money still held in accounts (recoverable), shared in the same proportion once recovered.
Sources: PSR PS23/3 and PS24/7 (cap cut from £415,000 to £85,000), see docs/tracing.md.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from decimal import Decimal

import pyarrow as pa

from fraudnet.engine import Engine
from fraudnet.trace.money import money_array, to_pence
from fraudnet.trace.result import TraceResult

SCHEME_START = datetime(2024, 10, 7)
CLAIM_CAP = Decimal("85000.00")
MAX_EXCESS = Decimal("100.00")
CLAIM_WINDOW_DAYS = 396  # 13 months, counted generously as 13 x 30.5 days
SCHEME_CHANNELS = ("fps",)


def reimbursement_view(
    engine: Engine, result: TraceResult, excess: Decimal = Decimal("0.00")
) -> pa.Table:
    """Per report: claim, reimbursable, each firm's share, recoverable held funds."""
    if result.upper_bound:
        raise ValueError(
            f"rule {result.rule!r} gives an upper bound, not recoverable funds; "
            "use fifo, lifo, pro_rata or hallett"
        )
    if not Decimal(0) <= excess <= MAX_EXCESS:
        raise ValueError(f"the excess must be between £0 and £{MAX_EXCESS}")
    held: dict[str, int] = defaultdict(int)
    for r in result.traces.to_pylist():
        if r["kind"] == "held":
            held[r["report_id"]] += to_pence(r["amount"])
    reports = _reports(engine, sorted({*result.traces.column("report_id").to_pylist()}))
    return _view(reports, held, to_pence(excess))


def _reports(engine: Engine, report_ids: list[str]) -> list[dict[str, object]]:
    ids = pa.table({"report_id": pa.array(report_ids, pa.string())})
    engine.temp_table("_trace_claims", ids)
    rows = engine.sql(
        "SELECT r.report_id, r.victim_party_id, r.reported_at, "
        "COALESCE(r.amount, t.amount) AS claim, t.ts, t.channel, "
        "s.institution AS sending_firm, d.institution AS receiving_firm "
        "FROM fraud_reports r JOIN _trace_claims k ON k.report_id = r.report_id "
        "LEFT JOIN transactions t ON t.txn_id = r.txn_id "
        "LEFT JOIN accounts s ON s.account_id = t.src_account "
        "LEFT JOIN accounts d ON d.account_id = t.dst_account ORDER BY r.report_id"
    ).to_pylist()
    engine.drop_temp("_trace_claims")
    return rows


def _view(reports: list[dict[str, object]], held: dict[str, int], excess: int) -> pa.Table:
    cols: dict[str, list[object]] = defaultdict(list)
    for rep in reports:
        claim = to_pence(rep["claim"] or 0)  # type: ignore[arg-type]
        in_scope = _in_scope(rep)
        reimbursable = max(min(claim, to_pence(CLAIM_CAP)) - excess, 0) if in_scope else 0
        sending = reimbursable - reimbursable // 2  # an odd penny falls to the sending firm
        recoverable = held.get(str(rep["report_id"]), 0)
        to_firms = min(recoverable, reimbursable)
        firms_sending = to_firms - to_firms // 2
        for name, value in (
            ("report_id", rep["report_id"]),
            ("victim_party_id", rep["victim_party_id"]),
            ("sending_firm", rep["sending_firm"]),
            ("receiving_firm", rep["receiving_firm"]),
            ("in_scope", in_scope),
            ("claim", claim),
            ("reimbursable", reimbursable),
            ("sending_firm_share", sending),
            ("receiving_firm_share", reimbursable - sending),
            ("recoverable_held", recoverable),
            ("recovery_to_sending_firm", firms_sending),
            ("recovery_to_receiving_firm", to_firms - firms_sending),
            ("recovery_to_victim", recoverable - to_firms),
        ):
            cols[name].append(value)
    money = {
        "claim",
        "reimbursable",
        "sending_firm_share",
        "receiving_firm_share",
        "recoverable_held",
        "recovery_to_sending_firm",
        "recovery_to_receiving_firm",
        "recovery_to_victim",
    }
    names = [
        "report_id",
        "victim_party_id",
        "sending_firm",
        "receiving_firm",
        "in_scope",
        "claim",
        "reimbursable",
        "sending_firm_share",
        "receiving_firm_share",
        "recoverable_held",
        "recovery_to_sending_firm",
        "recovery_to_receiving_firm",
        "recovery_to_victim",
    ]
    arrays = {
        n: money_array(int(str(v)) for v in cols[n]) if n in money else pa.array(cols[n])
        for n in names
    }
    if not reports:
        arrays = {n: money_array([]) if n in money else pa.array([], pa.string()) for n in names}
        arrays["in_scope"] = pa.array([], pa.bool_())
    return pa.table(arrays)


def _in_scope(rep: dict[str, object]) -> bool:
    """Faster Payments made on or after 7 October 2024, claimed within 13 months."""
    ts, reported = rep["ts"], rep["reported_at"]
    if not isinstance(ts, datetime) or rep["channel"] not in SCHEME_CHANNELS:
        return False
    if ts < SCHEME_START:
        return False
    return not (isinstance(reported, datetime) and (reported - ts).days > CLAIM_WINDOW_DAYS)
