"""The freeze list: per institution, the accounts holding victims' money and whose it is."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pyarrow as pa

from fraudnet.safe_csv import write_safe_csv
from fraudnet.trace.money import money_array, to_pence
from fraudnet.trace.result import TraceResult

Held = dict[tuple[str | None, str | None, str], dict[tuple[str, str | None], int]]


def freeze_list(result: TraceResult) -> pa.Table:
    """One row per (institution, account, victim's report), largest holdings first.

    `account_held` is everything traced to the account; `share` is this report's part of
    it, so a freezing order can name the amount and a repatriation request the victims.
    """
    held: Held = defaultdict(dict)
    for r in result.traces.to_pylist():
        if r["kind"] != "held":
            continue
        key = (r["institution"], r["jurisdiction"], r["account_id"])
        held[key][(r["report_id"], r["victim_party_id"])] = to_pence(r["amount"])
    rows = []
    for (institution, jurisdiction, account), reports in held.items():
        total = sum(reports.values())
        for (report_id, victim), pence in sorted(reports.items(), key=lambda kv: kv[0][0]):
            rows.append((institution, jurisdiction, account, total, report_id, victim, pence))
    rows.sort(key=lambda r: (r[0] or "", -r[3], r[2], r[4]))
    return pa.table(
        {
            "institution": pa.array([r[0] for r in rows], pa.string()),
            "jurisdiction": pa.array([r[1] for r in rows], pa.string()),
            "account_id": pa.array([r[2] for r in rows], pa.string()),
            "account_held": money_array(r[3] for r in rows),
            "report_id": pa.array([r[4] for r in rows], pa.string()),
            "victim_party_id": pa.array([r[5] for r in rows], pa.string()),
            "victim_amount": money_array(r[6] for r in rows),
            "victim_share_pct": pa.array(
                [round(100 * r[6] / r[3], 2) if r[3] else 0.0 for r in rows], pa.float64()
            ),
            "rule": pa.array([result.rule] * len(rows), pa.string()),
            "upper_bound": pa.array([result.upper_bound] * len(rows), pa.bool_()),
        }
    )


def write_freeze_list(result: TraceResult, path: Path) -> int:
    """Write the freeze list as CSV (atomically, owner-only, formulas neutralised); row count."""
    table = freeze_list(result)
    write_safe_csv(table, path)
    return table.num_rows
