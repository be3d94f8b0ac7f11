"""Transfer-level temporal motifs, aggregated per account.

Account totals over the whole window dilute a launderer who makes a handful of criminal
transfers among dozens of ordinary ones (AMLSim's accounts do exactly that). These features
look at single transfers in their time context first, then keep each account's strongest
instance: did this payment go to a *new* counterparty that was receiving from many new senders
within a few days (a fan-in burst), did the account pass money it had just received from a new
sender on to another new payee (a relay), did it forward about the amount it had just received
less a cut (layering keeps a margin), and how repetitive are its amounts and pairs (ordinary
standing orders repeat; laundering patterns are one-off).

Written once in DuckDB-dialect SQL over the cut-off views (`dt_txn`, `dt_legs`), so the same
code runs on Spark and nothing after the cut-off is read. Only account-to-account transfers
between different people count (`own = 0`); accounts with more than HUB_LEGS payments in the
window (shops, employers) are left out of the relay and forward joins, which stay linear.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from fraudnet.detect.asof import LEGS, TXN
from fraudnet.detect.temporal_cycles import temporal_cycles
from fraudnet.engine import Engine
from fraudnet.schema.detect import MOTIF_FEATURES

WINDOW_DAYS = 3
"""How close in time the transfers of one motif must be (AMLSim's steps are days)."""
FORWARD_KEEP = (0.8, 1.0)
"""A forward pays on between 80% and 100% of a credit received shortly before."""
HUB_LEGS = 2_000
LAYERING_MOTIFS = (
    *(
        name + suffix
        for name in (
            "paid_into_burst_max",
            "received_from_burst_max",
            "new_sender_burst_max",
            "new_payee_burst_max",
        )
        for suffix in ("", "_1d")
    ),
    "new_relays",
)
"""The motifs the label-free score averages (ranks): each is a laundering shape seen on
single transfers, whatever the generator's amounts or timestamps."""
MOTIF_TXN = "dt_motif_txn"

BURST_SCALES = {"": WINDOW_DAYS, "_1d": 1, "_7d": 7}
"""Burst features at several time scales (suffix -> days either side): launderers and
generators differ in how fast a pattern completes, so the model picks the scale."""

MOTIF_TXN_SQL = """
WITH t AS (
  SELECT txn_id, src, dst, amount,
    DATE_DIFF('second', TIMESTAMP '2000-01-01 00:00:00', ts) AS s
  FROM {txn} WHERE src IS NOT NULL AND dst IS NOT NULL AND own = 0 AND src <> dst
), p AS (
  SELECT txn_id, src, dst, amount, s,
    CASE WHEN ROW_NUMBER() OVER (PARTITION BY src, dst ORDER BY s, txn_id) = 1
      THEN 1 ELSE 0 END AS first_pair,
    COUNT(*) OVER (PARTITION BY src, dst) AS pair_n
  FROM t
)
SELECT txn_id, src, dst, amount, s, first_pair, pair_n{bursts}
FROM p
"""
BURST_WINDOW_SQL = """,
  SUM(first_pair) OVER (PARTITION BY dst ORDER BY s
    RANGE BETWEEN {w} PRECEDING AND {w} FOLLOWING) AS dst_new_burst{suffix},
  SUM(first_pair) OVER (PARTITION BY src ORDER BY s
    RANGE BETWEEN {w} PRECEDING AND {w} FOLLOWING) AS src_new_burst{suffix}"""

BURST_SQL = """
WITH legs AS (
  SELECT dst AS account_id, 1 AS is_in, first_pair, pair_n{in_cols}
  FROM {m}
  UNION ALL
  SELECT src AS account_id, 0 AS is_in, first_pair, pair_n{out_cols}
  FROM {m}
)
SELECT account_id,
  AVG(CASE WHEN pair_n = 1 THEN 1.0 ELSE 0.0 END) AS one_off_transfer_share{maxima},
  COUNT(*) AS transfers
FROM legs GROUP BY account_id
"""
BURST_MAX_SQL = """,
  MAX(CASE WHEN is_in = 1 THEN own_burst{suffix} ELSE 0 END) AS new_sender_burst_max{suffix},
  MAX(CASE WHEN is_in = 0 THEN own_burst{suffix} ELSE 0 END) AS new_payee_burst_max{suffix},
  MAX(CASE WHEN is_in = 0 AND first_pair = 1 THEN cp_burst{suffix} ELSE 0 END)
    AS paid_into_burst_max{suffix},
  MAX(CASE WHEN is_in = 1 AND first_pair = 1 THEN cp_burst{suffix} ELSE 0 END)
    AS received_from_burst_max{suffix}"""


def _burst_sql() -> tuple[str, str]:
    """The transfer-level and per-account SQL with one set of burst columns per scale."""
    bursts = in_cols = out_cols = maxima = ""
    for suffix, days in BURST_SCALES.items():
        bursts += BURST_WINDOW_SQL.format(w=days * 86_400, suffix=suffix)
        dst, src = f"dst_new_burst{suffix}", f"src_new_burst{suffix}"
        in_cols += f", {dst} AS own_burst{suffix}, {src} AS cp_burst{suffix}"
        out_cols += f", {src} AS own_burst{suffix}, {dst} AS cp_burst{suffix}"
        maxima += BURST_MAX_SQL.format(suffix=suffix)
    txn = MOTIF_TXN_SQL.replace("{bursts}", bursts)
    per_account = BURST_SQL.replace("{in_cols}", in_cols).replace("{out_cols}", out_cols)
    return txn, per_account.replace("{maxima}", maxima)


RELAY_SQL = """
WITH legs AS (
  SELECT dst AS account_id, src AS cp, txn_id, s, amount, first_pair, 1 AS is_in FROM {m}
  UNION ALL
  SELECT src AS account_id, dst AS cp, txn_id, s, amount, first_pair, 0 AS is_in FROM {m}
), busy AS (
  SELECT account_id FROM legs GROUP BY account_id HAVING COUNT(*) > {hub}
), quiet AS (
  SELECT l.* FROM legs l LEFT JOIN busy b ON b.account_id = l.account_id
  WHERE b.account_id IS NULL
), windowed AS (
  SELECT account_id, is_in, first_pair,
    SUM(CASE WHEN is_in = 1 AND first_pair = 1 THEN 1 ELSE 0 END) OVER (
      PARTITION BY account_id ORDER BY s RANGE BETWEEN {w} PRECEDING AND CURRENT ROW
    ) AS new_in_before
  FROM quiet
), forwards AS (
  SELECT o.account_id, o.txn_id
  FROM quiet o JOIN quiet i
    ON i.account_id = o.account_id AND i.is_in = 1 AND o.is_in = 0
    AND i.s <= o.s AND i.s >= o.s - {w} AND i.cp <> o.cp
    AND o.amount <= {keep_hi} * i.amount AND o.amount >= {keep_lo} * i.amount
  GROUP BY o.account_id, o.txn_id
), relays AS (
  SELECT account_id,
    SUM(CASE WHEN is_in = 0 AND first_pair = 1 THEN 1 ELSE 0 END) AS new_out,
    SUM(CASE WHEN is_in = 0 AND first_pair = 1 AND new_in_before > 0 THEN 1 ELSE 0 END)
      AS new_relays,
    SUM(CASE WHEN is_in = 0 THEN 1 ELSE 0 END) AS out_n
  FROM windowed GROUP BY account_id
)
SELECT r.account_id, r.new_out, r.new_relays, r.out_n, COALESCE(f.forwards, 0) AS forwards
FROM relays r
LEFT JOIN (SELECT account_id, COUNT(*) AS forwards FROM forwards GROUP BY account_id) f
  ON f.account_id = r.account_id
"""

CYCLE_EDGES_SQL = """
WITH busy AS (
  SELECT account_id FROM (
    SELECT src AS account_id FROM {m} UNION ALL SELECT dst AS account_id FROM {m}
  ) x GROUP BY account_id HAVING COUNT(*) > {hub}
)
SELECT m.src, m.dst, m.s FROM {m} m
LEFT JOIN busy a ON a.account_id = m.src
LEFT JOIN busy b ON b.account_id = m.dst
WHERE m.first_pair = 1 AND a.account_id IS NULL AND b.account_id IS NULL
"""

AMOUNT_SHAPE_SQL = """
WITH per_amount AS (
  SELECT account_id, amount, COUNT(*) AS n FROM {legs}
  WHERE own = 0 AND cp IS NOT NULL GROUP BY account_id, amount
)
SELECT account_id, MAX(n) AS mode_n, COUNT(*) AS distinct_n, SUM(n) AS n
FROM per_amount GROUP BY account_id
"""

AMOUNT_EXTREMES_SQL = """
SELECT account_id,
  MAX(CASE WHEN is_in = 1 THEN amount END) AS max_in_amount,
  MAX(CASE WHEN is_in = 0 THEN amount END) AS max_out_amount,
  STDDEV_POP(amount) / NULLIF(AVG(amount), 0) AS amount_cv
FROM {legs} WHERE own = 0 AND cp IS NOT NULL GROUP BY account_id
"""


def motif_features(engine: Engine, accounts: pd.Index) -> pd.DataFrame:
    """MOTIF_FEATURES for `accounts` (0 where an account has no transfers)."""
    params = {
        "txn": TXN,
        "legs": LEGS,
        "m": MOTIF_TXN,
        "w": str(WINDOW_DAYS * 86_400),
        "hub": str(HUB_LEGS),
        "keep_lo": repr(FORWARD_KEEP[0]),
        "keep_hi": repr(FORWARD_KEEP[1]),
    }
    txn_sql, burst_sql = _burst_sql()
    engine.temp_table(MOTIF_TXN, txn_sql.format(**params))
    try:
        raw = pd.DataFrame(index=accounts)
        for sql in (burst_sql, RELAY_SQL, AMOUNT_SHAPE_SQL, AMOUNT_EXTREMES_SQL):
            part = engine.sql(sql.format(**params)).to_pandas().set_index("account_id")
            raw = raw.join(part, how="left")
        raw = raw.join(_cycles(engine.sql(CYCLE_EDGES_SQL.format(**params)), raw.index))
    finally:
        engine.drop_temp(MOTIF_TXN)
    return _derive(raw)


def _cycles(edges: pa.Table, accounts: pd.Index) -> pd.DataFrame:
    """Time-respecting cycles of first-time transfers through each account."""
    src = accounts.get_indexer(edges.column("src").to_pandas())
    dst = accounts.get_indexer(edges.column("dst").to_pandas())
    seconds = edges.column("s").to_numpy()
    known = (src >= 0) & (dst >= 0)
    count, shortest = temporal_cycles(src[known], dst[known], seconds[known], len(accounts))
    return pd.DataFrame(
        {"temporal_cycles": count, "temporal_cycle_shortest": shortest}, index=accounts
    )


def _share(num: pd.Series, den: pd.Series) -> pd.Series:
    den = den.astype(float)
    return (num.astype(float) / den.where(den > 0)).fillna(0.0)


def _derive(raw: pd.DataFrame) -> pd.DataFrame:
    f = pd.DataFrame(index=raw.index)
    bursts = (
        "new_sender_burst_max",
        "new_payee_burst_max",
        "paid_into_burst_max",
        "received_from_burst_max",
    )
    for col in (
        *(name + suffix for name in bursts for suffix in BURST_SCALES),
        "one_off_transfer_share",
        "max_in_amount",
        "max_out_amount",
        "amount_cv",
        "temporal_cycles",
        "temporal_cycle_shortest",
    ):
        f[col] = raw[col].astype(float).fillna(0.0)
    f["new_relays"] = raw["new_relays"].astype(float).fillna(0.0)
    f["new_relay_share"] = _share(raw["new_relays"], raw["new_out"])
    f["margin_forwards"] = raw["forwards"].astype(float).fillna(0.0)
    f["margin_forward_share"] = _share(raw["forwards"], raw["out_n"])
    f["amount_mode_share"] = _share(raw["mode_n"], raw["n"])
    f["amount_distinct_share"] = _share(raw["distinct_n"], raw["n"])
    return f[[name for name, _ in MOTIF_FEATURES]]


CYCLE_WEIGHT = 0.35
"""Share of the label-free layering score that is "on a time-ordered cycle" (round-tripping)."""


def layering_score(frame: pd.DataFrame) -> np.ndarray:
    """A label-free "moves money like a layer" score in [0, 1].

    The mean rank of the LAYERING_MOTIFS, raised for accounts on a time-ordered cycle of
    first-time transfers (round-tripping, rare in ordinary traffic).
    """
    if frame.empty:
        return np.zeros(0)
    ranks = [frame[name].rank(method="average", pct=True).to_numpy() for name in LAYERING_MOTIFS]
    on_cycle = (frame["temporal_cycles"].to_numpy() > 0).astype(np.float64)
    mean_rank = np.asarray(np.mean(ranks, axis=0), dtype=np.float64)
    return (1 - CYCLE_WEIGHT) * mean_rank + CYCLE_WEIGHT * on_cycle
