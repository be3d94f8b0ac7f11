"""The numpy window pass agrees with the SQL windows that define it, on random payments."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from fraudnet.detect.asof import LEGS, Cutoff
from fraudnet.detect.leg_pass import leg_pass_features
from fraudnet.engine import open_engine

START = dt.datetime(2025, 1, 1)

REFERENCE_SQL = """
WITH timed AS (
  SELECT code, ts, amount, is_in,
    DATE_DIFF('second', TIMESTAMP '2000-01-01 00:00:00', ts) * 2 + 1 - is_in AS k
  FROM legs WHERE own = 0
), seq AS (
  SELECT code, ts, amount, is_in,
    MIN(CASE WHEN is_in = 0 THEN ts END) OVER (PARTITION BY code ORDER BY k
      ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS next_out,
    LAG(ts) OVER (PARTITION BY code ORDER BY k) AS prev_ts,
    SUM(CASE WHEN is_in = 0 THEN amount ELSE 0 END) OVER (PARTITION BY code ORDER BY k
      RANGE BETWEEN CURRENT ROW AND 7201 FOLLOWING) AS out_1h,
    SUM(CASE WHEN is_in = 0 THEN amount ELSE 0 END) OVER (PARTITION BY code ORDER BY k
      RANGE BETWEEN CURRENT ROW AND 172801 FOLLOWING) AS out_24h,
    SUM(CASE WHEN is_in = 0 THEN amount ELSE 0 END) OVER (PARTITION BY code ORDER BY k
      RANGE BETWEEN CURRENT ROW AND 1209601 FOLLOWING) AS out_7d
  FROM timed
), gaps AS (
  SELECT *, DATE_DIFF('second', ts, next_out) AS dwell_s,
    DATE_DIFF('second', prev_ts, ts) AS gap_s FROM seq
)
SELECT code,
  SUM(CASE WHEN is_in = 1 THEN amount ELSE 0 END) AS credit_amt,
  SUM(CASE WHEN is_in = 1 THEN LEAST(amount, out_1h) ELSE 0 END) AS fast1h_amt,
  SUM(CASE WHEN is_in = 1 THEN LEAST(amount, out_24h) ELSE 0 END) AS fast24h_amt,
  SUM(CASE WHEN is_in = 1 THEN LEAST(amount, out_7d) ELSE 0 END) AS fast7d_amt,
  AVG(CASE WHEN is_in = 1 THEN LEAST(COALESCE(dwell_s, 2592000), 2592000) END) AS dwell_s,
  MAX(CASE WHEN ts > {t30} THEN gap_s END) AS quiet_s
FROM gaps GROUP BY code ORDER BY code
"""
"""The per-account SQL windows the numpy pass replaced (credits sort before debits)."""

COUNTERPARTY_SQL = """
WITH pairs AS (
  SELECT code, cp_code, is_in, MIN(ts) AS first_ts, SUM(amount) AS amt
  FROM legs WHERE cp_code IS NOT NULL AND own = 0 GROUP BY code, cp_code, is_in
)
SELECT code,
  SUM(is_in) AS in_cp, SUM(1 - is_in) AS out_cp,
  SUM(CASE WHEN is_in = 1 AND first_ts > {t30} THEN 1 ELSE 0 END) AS new_in_cp_30d,
  SUM(CASE WHEN is_in = 0 AND first_ts > {t30} THEN 1 ELSE 0 END) AS new_out_cp_30d,
  MAX(CASE WHEN is_in = 1 THEN amt END) AS in_top_amt
FROM pairs GROUP BY code
"""
"""The two-phase counterparty aggregation the numpy pass replaced."""


def _random_legs(rng: np.random.Generator, rows: int, accounts: int) -> pd.DataFrame:
    seconds = rng.integers(0, 60 * 86_400, rows)
    seconds[: rows // 4] = seconds[rows // 4 : rows // 2]  # ties in time
    micros = rng.integers(0, 1_000_000, rows)
    return pd.DataFrame(
        {
            "code": rng.integers(0, accounts, rows).astype(np.int32),
            "ts": [
                START + dt.timedelta(seconds=int(s), microseconds=int(u))
                for s, u in zip(seconds, micros, strict=True)
            ],
            "is_in": rng.integers(0, 2, rows),
            "amount": np.round(rng.uniform(1, 2_000, rows), 2),
            "own": (rng.random(rows) < 0.1).astype(np.int64),
            "cp_code": pd.array(rng.integers(0, 40, rows), dtype="Int32"),
        }
    ).assign(cp_code=lambda f: f["cp_code"].mask(rng.random(rows) < 0.05))


def test_moved_on_dwell_and_quiet_match_the_sql_windows(tmp_path: Path) -> None:
    rng = np.random.default_rng(11)
    legs = _random_legs(rng, 6_000, 300)
    credits = legs[(legs["is_in"] == 1) & (legs["own"] == 0)].head(600)
    edges = []  # debits exactly at and just past each window's end
    for k, lag in enumerate((3_600, 3_601, 86_400, 86_401, 604_800, 604_801)):
        debit = credits.iloc[k * 100 : (k + 1) * 100].assign(is_in=0)
        edges.append(debit.assign(ts=debit["ts"] + pd.Timedelta(seconds=lag)))
    legs = pd.concat([legs, *edges], ignore_index=True)
    cutoff = Cutoff(START + dt.timedelta(days=61))
    with open_engine(tmp_path / "w.duckdb", "duckdb") as engine:
        engine.temp_table(LEGS, pa.Table.from_pandas(legs, preserve_index=False))
        fast = leg_pass_features(engine, cutoff, 300)
    con = duckdb.connect()
    con.register("legs", legs)
    reference = con.sql(REFERENCE_SQL.format(t30=cutoff.literal(30))).to_df().set_index("code")
    assert len(reference) > 250
    for column in reference.columns:
        expected = reference[column].to_numpy(dtype=np.float64)
        got = fast[column][reference.index.to_numpy()]
        same = np.isclose(got, expected, rtol=1e-9, atol=1e-6) | (
            np.isnan(got) & np.isnan(expected)
        )
        assert same.all(), (column, got[~same][:3], expected[~same][:3])
    missing = np.setdiff1d(np.arange(300), reference.index.to_numpy())
    assert (fast["credit_amt"][missing] == 0).all()
    pairs = con.sql(COUNTERPARTY_SQL.format(t30=cutoff.literal(30))).to_df().set_index("code")
    for column in pairs.columns:
        expected = pairs[column].to_numpy(dtype=np.float64)
        assert np.allclose(fast[column][pairs.index.to_numpy()], expected, equal_nan=True), column
    days = con.sql("SELECT code, COUNT(DISTINCT CAST(ts AS DATE)) AS n FROM legs GROUP BY code")
    expected_days = days.to_df().set_index("code")["n"]
    assert np.array_equal(fast["active_days"][expected_days.index.to_numpy()], expected_days)
