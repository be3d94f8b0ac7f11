"""The restricted ledger the lot engine walks: only accounts that can ever hold taint.

Balances and lot positions do not depend on the tracing rule, so they are computed here
once, vectorised: per account, the known balance after each of its payments (a payment
larger than the balance empties the account; the shortfall is money of unknown origin,
never invented), the running total of money in (where a first-in lot sits) and of money
out (which interval a first-in debit spends).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc

from fraudnet.engine import Engine
from fraudnet.trace.exits import exit_channels_sql
from fraudnet.trace.reach import (
    REACH,
    REPORTS,
    TX,
    reachable_accounts,
    stage_ledger,
    unstage_ledger,
)

_INFO = "_trace_reach_info"


@dataclass(frozen=True, slots=True)
class Report:
    """One fraud report as the tracer needs it; `row` is its payment's place in the ledger."""

    report_id: str
    txn_id: str
    victim_party_id: str | None
    pence: int
    row: int | None
    account: str | None


@dataclass(slots=True)
class RestrictedLedger:
    """Rows in global time order (ts, txn_id); per-row facts for the rows the engine visits."""

    as_of: datetime
    accounts: list[str]
    institution: dict[str, str | None]
    jurisdiction: dict[str, str | None]
    rows: pa.Table  # txn_id, ts, pence, src_account, dst_account, channel
    reports: list[Report]
    visit: list[int] = field(default_factory=list)  # rows with a live payer or a victim
    src: list[int] = field(default_factory=list)  # per visited row: payer index or -1
    dst: list[int] = field(default_factory=list)
    pence: list[int] = field(default_factory=list)
    src_live: list[bool] = field(default_factory=list)
    is_exit: list[bool] = field(default_factory=list)
    bal_src_before: list[int] = field(default_factory=list)
    bal_src_after: list[int] = field(default_factory=list)
    out_before: list[int] = field(default_factory=list)
    out_after: list[int] = field(default_factory=list)
    bal_dst_before: list[int] = field(default_factory=list)
    in_before: list[int] = field(default_factory=list)
    reach_rounds: int = 0


def load_ledger(engine: Engine, as_of: datetime, report_ids: list[str] | None) -> RestrictedLedger:
    """Restrict the store's ledger to what the given reports can reach, and precompute it."""
    stage_ledger(engine, as_of)
    _stage_reports(engine, report_ids)
    rounds = reachable_accounts(engine)
    info = _reach_info(engine)
    rows = engine.sql(_DETAIL_SQL)
    reports_raw = engine.sql(f"SELECT * FROM {REPORTS} ORDER BY report_id")
    for name in (_INFO, REACH, REPORTS):
        engine.drop_temp(name)
    unstage_ledger(engine)
    accounts = info.column("account").to_pylist()
    ledger = RestrictedLedger(
        as_of=as_of,
        accounts=accounts,
        institution=dict(zip(accounts, info.column("institution").to_pylist(), strict=True)),
        jurisdiction=dict(zip(accounts, info.column("jurisdiction").to_pylist(), strict=True)),
        rows=rows,
        reports=[],
        reach_rounds=rounds,
    )
    ledger.reports = _reports(reports_raw, rows)
    _precompute(ledger, info)
    return ledger


def _stage_reports(engine: Engine, report_ids: list[str] | None) -> None:
    selected = "fraud_reports r"
    if report_ids is not None:
        ids = pa.table({"report_id": pa.array(sorted(set(report_ids)), pa.string())})
        engine.temp_table("_trace_report_ids", ids)
        selected = "fraud_reports r JOIN _trace_report_ids k ON k.report_id = r.report_id"
    engine.temp_table(
        REPORTS,
        "SELECT r.report_id, r.txn_id, r.victim_party_id, "
        "CAST(COALESCE(r.amount, p.amount) * 100 AS BIGINT) AS reported_pence, t.pence, "
        f"t.dst_account, t.src_account FROM {selected} LEFT JOIN {TX} t ON t.txn_id = r.txn_id "
        # the amount of a report that gives none: its payment's, even if it is not traced
        "LEFT JOIN transactions p ON p.txn_id = r.txn_id",
    )
    if report_ids is not None:
        engine.drop_temp("_trace_report_ids")


def _reach_info(engine: Engine) -> pa.Table:
    """Per reachable account: who holds it, whether it is known, its balance at first taint."""
    engine.temp_table(
        _INFO,
        "SELECT r.account, r.first_ts, a.institution, a.jurisdiction, "
        "CAST(COALESCE(a.opening_balance, 0) * 100 AS BIGINT) AS opening, "
        "(a.account_id IS NOT NULL OR o.src_account IS NOT NULL) AS known "
        f"FROM {REACH} r LEFT JOIN accounts a ON a.account_id = r.account "
        f"LEFT JOIN (SELECT DISTINCT t.src_account FROM {TX} t JOIN {REACH} q "
        "ON t.src_account = q.account) o ON o.src_account = r.account",
    )
    pre = engine.sql(_PRE_SQL)
    info = engine.sql(f"SELECT * FROM {_INFO} ORDER BY account")
    return _with_start_balance(info, pre)


_PRE_SQL = f"""
WITH legs AS (
  SELECT t.src_account AS account, t.ts, t.txn_id, 0 AS leg, -t.pence AS delta
  FROM {TX} t JOIN {_INFO} r ON t.src_account = r.account WHERE t.ts < r.first_ts
  UNION ALL
  SELECT t.dst_account AS account, t.ts, t.txn_id, 1 AS leg, t.pence AS delta
  FROM {TX} t JOIN {_INFO} r ON t.dst_account = r.account WHERE t.ts < r.first_ts
), running AS (
  SELECT account, delta, SUM(delta) OVER (PARTITION BY account ORDER BY ts, txn_id, leg
    ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS s
  FROM legs
)
SELECT account, CAST(SUM(delta) AS BIGINT) AS total, CAST(MIN(s) AS BIGINT) AS lowest
FROM running GROUP BY account
"""

_DETAIL_SQL = f"""
SELECT t.txn_id, t.ts, t.pence, t.src_account, t.dst_account, t.channel,
  rs.account IS NOT NULL AND t.ts >= rs.first_ts AS src_live,
  rd.account IS NOT NULL AND t.ts >= rd.first_ts AS dst_live,
  t.channel IN {exit_channels_sql()} OR rd.account IS NULL OR NOT rd.known AS is_exit
FROM {TX} t
LEFT JOIN {_INFO} rs ON t.src_account = rs.account
LEFT JOIN {_INFO} rd ON t.dst_account = rd.account
LEFT JOIN (SELECT DISTINCT txn_id AS victim_txn FROM {REPORTS}) v ON v.victim_txn = t.txn_id
WHERE (rs.account IS NOT NULL AND t.ts >= rs.first_ts)
   OR (rd.account IS NOT NULL AND t.ts >= rd.first_ts)
   OR v.victim_txn IS NOT NULL
ORDER BY t.ts, t.txn_id
"""


def _with_start_balance(info: pa.Table, pre: pa.Table) -> pa.Table:
    """Balance at first taint: opening balance plus earlier history, never below zero.

    With b = max(0, b + x) at every step, the balance is the running sum minus its lowest
    point below zero (the reflection of a random walk), so it needs only SUM and MIN.
    """
    totals = dict(
        zip(pre.column("account").to_pylist(), pre.column("total").to_pylist(), strict=True)
    )
    lows = dict(
        zip(pre.column("account").to_pylist(), pre.column("lowest").to_pylist(), strict=True)
    )
    start = []
    for account, opening in zip(
        info.column("account").to_pylist(), info.column("opening").to_pylist(), strict=True
    ):
        b0 = max(int(opening or 0), 0)
        total = int(totals.get(account, 0) or 0)
        lowest = min(0, b0 + int(lows.get(account, 0) or 0))
        start.append(b0 + total - lowest)
    return info.append_column("start_balance", pa.array(start, pa.int64()))


def _reports(raw: pa.Table, rows: pa.Table) -> list[Report]:
    found = pc.index_in(raw.column("txn_id"), value_set=rows.column("txn_id").combine_chunks())
    row_of = found.to_pylist()
    reports = []
    for rec, row in zip(raw.to_pylist(), row_of, strict=True):
        pence = rec["reported_pence"] if rec["reported_pence"] is not None else rec["pence"]
        in_ledger = rec["pence"] is not None
        reports.append(
            Report(
                report_id=rec["report_id"],
                txn_id=rec["txn_id"],
                victim_party_id=rec["victim_party_id"],
                pence=int(pence or 0),
                row=row if in_ledger else None,
                account=rec["dst_account"] if in_ledger else None,
            )
        )
    return reports


def _precompute(ledger: RestrictedLedger, info: pa.Table) -> None:
    rows = ledger.rows
    n = rows.num_rows
    names = info.column("account")
    src_idx = _index(rows.column("src_account"), names)
    dst_idx = _index(rows.column("dst_account"), names)
    src_live = _bools(rows.column("src_live"))
    dst_live = _bools(rows.column("dst_live"))
    pence = rows.column("pence").to_numpy(zero_copy_only=False).astype(np.int64)
    start = info.column("start_balance").to_numpy().astype(np.int64)
    legs = _legs(src_idx, dst_idx, src_live, dst_live, pence, start)
    debit = legs.filter(pl.col("leg") == 0)
    credit = legs.filter(pl.col("leg") == 1)
    bal_src_before, bal_src_after, out_before, out_after, bal_dst_before, in_before = (
        np.zeros(n, np.int64) for _ in range(6)
    )
    d_rows = debit["row"].to_numpy()
    bal_src_before[d_rows] = debit["bal_before"].to_numpy()
    bal_src_after[d_rows] = debit["bal"].to_numpy()
    out_before[d_rows] = debit["out_before"].to_numpy()
    out_after[d_rows] = debit["out"].to_numpy()
    c_rows = credit["row"].to_numpy()
    bal_dst_before[c_rows] = credit["bal_before"].to_numpy()
    in_before[c_rows] = credit["in_before"].to_numpy()
    victim_rows = {r.row for r in ledger.reports if r.row is not None}
    victim = np.zeros(n, bool)
    victim[list(victim_rows)] = True
    visit = np.flatnonzero(src_live | victim)
    ledger.visit = visit.tolist()
    ledger.src = src_idx[visit].tolist()
    ledger.dst = dst_idx[visit].tolist()
    ledger.pence = pence[visit].tolist()
    ledger.src_live = src_live[visit].tolist()
    ledger.is_exit = _bools(rows.column("is_exit"))[visit].tolist()
    ledger.bal_src_before = bal_src_before[visit].tolist()
    ledger.bal_src_after = bal_src_after[visit].tolist()
    ledger.out_before = out_before[visit].tolist()
    ledger.out_after = out_after[visit].tolist()
    ledger.bal_dst_before = bal_dst_before[visit].tolist()
    ledger.in_before = in_before[visit].tolist()


def _legs(
    src_idx: np.ndarray,
    dst_idx: np.ndarray,
    src_live: np.ndarray,
    dst_live: np.ndarray,
    pence: np.ndarray,
    start: np.ndarray,
) -> pl.DataFrame:
    """Every live leg with the account's balance and first-in positions around it."""
    d_rows = np.flatnonzero(src_live)
    c_rows = np.flatnonzero(dst_live)
    acct = np.concatenate([src_idx[d_rows], dst_idx[c_rows]])
    legs = pl.DataFrame(
        {
            "acct": acct,
            "row": np.concatenate([d_rows, c_rows]),
            "leg": np.concatenate([np.zeros(len(d_rows), np.int8), np.ones(len(c_rows), np.int8)]),
            "delta": np.concatenate([-pence[d_rows], pence[c_rows]]),
            "credit": np.concatenate([np.zeros(len(d_rows), np.int64), pence[c_rows]]),
            "start": start[acct] if len(acct) else np.zeros(0, np.int64),
        }
    ).sort(["acct", "row", "leg"])
    running = pl.col("start") + pl.col("delta").cum_sum().over("acct")
    legs = legs.with_columns(running.alias("s"))
    low = pl.min_horizontal(pl.lit(0, pl.Int64), pl.col("s").cum_min().over("acct"))
    legs = legs.with_columns(
        (pl.col("s") - low).alias("bal"),
        (pl.col("start") + pl.col("credit").cum_sum().over("acct")).alias("in"),
    )
    legs = legs.with_columns(
        pl.col("bal").shift(1).over("acct").fill_null(pl.col("start")).alias("bal_before"),
        (pl.col("in") - pl.col("bal")).alias("out"),
        (pl.col("in") - pl.col("credit")).alias("in_before"),
    )
    return legs.with_columns(pl.col("out").shift(1).over("acct").fill_null(0).alias("out_before"))


def _index(values: pa.ChunkedArray, names: pa.ChunkedArray) -> np.ndarray:
    found = pc.index_in(values, value_set=names.combine_chunks())
    return found.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)


def _bools(column: pa.ChunkedArray) -> np.ndarray:
    return column.fill_null(False).to_numpy(zero_copy_only=False).astype(bool)
