"""Per-account tabular features as of a cut-off.

Aggregates (volumes, ages, reported fraud, shared identifiers) are written once in
DuckDB-dialect SQL and run through the engine, so the same code runs on DuckDB and Spark.
What needs each account's payments in order or by counterparty (moved on within 1h/24h/7d,
dwell, quiet spells, active days, distinct counterparties) comes from one fetch of the legs
and one sorted numpy pass (`fraudnet.detect.leg_pass`); ratios and ages are numpy arithmetic
on the per-account results. Every query reads the cut-off views of `fraudnet.detect.asof`,
so nothing after the cut-off leaks in. Results are keyed by the integer account `code` and
land in numpy arrays by position.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from fraudnet.detect.asof import ACCOUNTS, LEGS, TXN, Cutoff, account_universe
from fraudnet.detect.leg_pass import leg_pass_features
from fraudnet.engine import Engine
from fraudnet.schema.detect import TABULAR_FEATURES
from fraudnet.share.intel import NOT_FLAGS

LARGE_CREDIT_QUANTILE = 0.95
"""A credit is "large" above this quantile of all credits up to the cut-off."""

AMOUNT_HISTOGRAM_SQL = """
SELECT CAST(FLOOR(LOG10(amount + 0.01) * 50) AS BIGINT) AS bucket, COUNT(*) AS n
FROM {legs} WHERE is_in = 1 AND amount > 0 GROUP BY 1
"""

VOLUME_SQL = """
SELECT code, is_in, COUNT(*) AS n,
  SUM(CASE WHEN ts > {t7} THEN 1 ELSE 0 END) AS n_7d,
  SUM(CASE WHEN ts > {t30} THEN 1 ELSE 0 END) AS n_30d,
  SUM(amount) AS sum,
  SUM(CASE WHEN ts > {t7} THEN amount ELSE 0 END) AS sum_7d,
  SUM(CASE WHEN ts > {t30} THEN amount ELSE 0 END) AS sum_30d,
  SUM(CASE WHEN own = 0 THEN amount ELSE 0 END) AS sum_ext,
  SUM(CASE WHEN channel = 'cash_out' THEN amount ELSE 0 END) AS cash_out,
  SUM(CASE WHEN channel = 'cash_in' THEN amount ELSE 0 END) AS cash_in,
  SUM(CASE WHEN channel = 'crypto' THEN amount ELSE 0 END) AS crypto,
  SUM(CASE WHEN channel = 'intl_wire' THEN amount ELSE 0 END) AS intl,
  SUM(CASE WHEN amount >= 100
      AND CAST(ROUND(amount * 100) AS BIGINT) % 10000 = 0 THEN 1 ELSE 0 END) AS round,
  SUM(own) AS own_n,
  DATE_DIFF('second', MIN(ts), {as_of}) AS span_s,
  MIN(CASE WHEN amount >= {large} THEN ts END) AS first_large_ts
FROM {legs} WHERE code IS NOT NULL GROUP BY code, is_in
"""
"""Per account and direction: one row for credits, one for debits (pivoted in `_volume`).
Grouping by direction too halves the conditional sums each leg feeds."""

ACCOUNT_SQL = """
SELECT u.code, a.opened_at,
  DATE_DIFF('day', a.opened_at, {as_of}) AS account_age_days,
  DATE_DIFF('day', p.dob, {as_date}) AS holder_age_days
FROM accounts a
JOIN {accounts} u ON u.account_id = a.account_id
LEFT JOIN (SELECT party_id, MIN(dob) AS dob FROM parties GROUP BY party_id) p
  ON p.party_id = a.holder_party_id
WHERE a.opened_at IS NULL OR a.opened_at <= {as_of}
"""

REPORTED_SQL = """
SELECT t.dst_code AS code, COUNT(*) AS reported_in_n, SUM(t.amount) AS reported_in_sum
FROM {txn} t
JOIN (SELECT DISTINCT txn_id FROM fraud_reports
      WHERE reported_at IS NULL OR reported_at <= {as_of}) r ON r.txn_id = t.txn_id
WHERE t.dst_code IS NOT NULL GROUP BY t.dst_code
"""

DEVICE_SQL = """
WITH uses AS (
  SELECT owner AS account_id, kind, value FROM identifiers
  WHERE owner_kind = 'account' AND kind IN ('device', 'ip')
    AND (first_seen IS NULL OR first_seen <= {as_of})
  UNION
  SELECT subject AS account_id, 'device' AS kind, device AS value FROM events
  WHERE subject_kind = 'account' AND device IS NOT NULL AND ts <= {as_of}
  UNION
  SELECT subject AS account_id, 'ip' AS kind, ip AS value FROM events
  WHERE subject_kind = 'account' AND ip IS NOT NULL AND ts <= {as_of}
), sharing AS (
  SELECT kind, value, COUNT(account_id) AS n FROM uses GROUP BY kind, value
)
SELECT a.code,
  MAX(CASE WHEN u.kind = 'device' THEN s.n END) AS device_shared_max,
  MAX(CASE WHEN u.kind = 'ip' THEN s.n END) AS ip_shared_max
FROM uses u JOIN sharing s ON s.kind = u.kind AND s.value = u.value
JOIN {accounts} a ON a.account_id = u.account_id
GROUP BY a.code
"""

PARTY_SHARING_SQL = """
WITH uses AS (
  SELECT DISTINCT owner AS party_id, kind, value FROM identifiers
  WHERE owner_kind = 'party' AND kind IN ('phone', 'address')
    AND (first_seen IS NULL OR first_seen <= {as_of})
), sharing AS (
  SELECT kind, value, COUNT(party_id) AS n FROM uses GROUP BY kind, value
)
SELECT a.code,
  MAX(CASE WHEN u.kind = 'phone' THEN s.n END) AS phone_shared_max,
  MAX(CASE WHEN u.kind = 'address' THEN s.n END) AS address_shared_max
FROM {accounts} a
JOIN uses u ON u.party_id = a.holder_party_id
JOIN sharing s ON s.kind = u.kind AND s.value = u.value
GROUP BY a.code
"""
"""In both sharing queries `uses` holds distinct rows, so COUNT is a count of distinct owners
(COUNT(DISTINCT) per group cost 17 s on a million accounts)."""


FLAGGED_ELSEWHERE = (
    "SELECT subject_account AS account_id, COUNT(DISTINCT sender) AS n FROM shared_intel "
    "WHERE subject_account IS NOT NULL AND claim NOT IN ("
    + ", ".join(f"'{claim}'" for claim in NOT_FLAGS)
    + ") AND received_at <= {as_of} GROUP BY subject_account"
)
"""Accounts another organisation's package put in a network or a freeze list, received by the
cut-off (`shared_intel`, docs/sharing.md): intelligence, not labels, so no target leaks in."""

SHARED_FLAG_SQL = (
    "SELECT a.code, MAX(f.n) AS shared_flagged_by FROM {accounts} a "
    "JOIN (" + FLAGGED_ELSEWHERE + ") f ON f.account_id = a.account_id GROUP BY a.code"
)

SHARED_FLAG_CP_SQL = (
    "SELECT l.code, COUNT(DISTINCT l.cp) AS shared_flagged_cp_n FROM {legs} l "
    "JOIN (" + FLAGGED_ELSEWHERE + ") f ON f.account_id = l.cp "
    "WHERE l.code IS NOT NULL GROUP BY l.code"
)

PER_ACCOUNT_SQL = (
    REPORTED_SQL,
    ACCOUNT_SQL,
    DEVICE_SQL,
    PARTY_SHARING_SQL,
    SHARED_FLAG_SQL,
    SHARED_FLAG_CP_SQL,
)
"""Queries returning one row per account `code` (at most)."""


def tabular_features(engine: Engine, cutoff: Cutoff) -> pd.DataFrame:
    """One row per account (index account_id) with every column of TABULAR_FEATURES."""
    params = _params(engine, cutoff)
    accounts = account_universe(engine)
    raw = _volume(engine.sql(VOLUME_SQL.format(**params)), len(accounts))
    for sql in PER_ACCOUNT_SQL:
        raw |= _by_code(engine.sql(sql.format(**params)), len(accounts))
    raw |= leg_pass_features(engine, cutoff, len(accounts))
    frame = pd.DataFrame(raw, index=accounts)
    return _derive(frame.sort_index(), cutoff)


def large_credit_threshold(engine: Engine) -> float:
    """The LARGE_CREDIT_QUANTILE of credit amounts, from a log-scale histogram (2.3% bins)."""
    hist = engine.sql(AMOUNT_HISTOGRAM_SQL.format(legs=LEGS)).to_pandas()
    if hist.empty:
        return float("inf")
    hist = hist.sort_values("bucket")
    cumulative = hist["n"].cumsum() / hist["n"].sum()
    bucket = int(hist["bucket"].to_numpy()[np.searchsorted(cumulative, LARGE_CREDIT_QUANTILE)])
    return float(round(10 ** (bucket / 50), 2))


def _params(engine: Engine, cutoff: Cutoff) -> dict[str, str]:
    return {
        "as_of": cutoff.literal(),
        "as_date": cutoff.date_literal,
        "t7": cutoff.literal(7),
        "t30": cutoff.literal(30),
        "legs": LEGS,
        "txn": TXN,
        "accounts": ACCOUNTS,
        "large": repr(large_credit_threshold(engine)).replace("inf", "1e300"),
    }


def _by_code(table: pa.Table, n_accounts: int) -> dict[str, np.ndarray]:
    """Each column of a per-account result as an array indexed by code (missing: NaN/NaT)."""
    code = table.column("code").to_numpy()
    out: dict[str, np.ndarray] = {}
    for name in table.column_names:
        if name == "code":
            continue
        values = table.column(name)
        if pa.types.is_timestamp(values.type):
            column = np.full(n_accounts, np.datetime64("NaT"), dtype="datetime64[us]")
            column[code] = values.cast(pa.timestamp("us")).to_numpy()
        else:
            # SUMs of integers arrive as 128-bit decimals: cast in Arrow, not per Python object
            column = np.full(n_accounts, np.nan)
            column[code] = values.cast(pa.float64()).to_numpy()
        out[name] = column
    return out


VOLUME_COLUMNS = {
    "n": ("in_n", "out_n"),
    "n_7d": ("in_n_7d", "out_n_7d"),
    "n_30d": ("in_n_30d", "out_n_30d"),
    "sum": ("in_sum", "out_sum"),
    "sum_7d": ("in_sum_7d", "out_sum_7d"),
    "sum_30d": ("in_sum_30d", "out_sum_30d"),
    "sum_ext": ("in_sum_ext", "out_sum_ext"),
    "round": ("round_in", "round_out"),
    "cash_in": ("in_cash", None),
    "first_large_ts": ("first_large_credit_ts", None),
    "cash_out": (None, "out_cash"),
    "crypto": (None, "out_crypto"),
    "intl": (None, "out_intl"),
}
"""Column of VOLUME_SQL -> raw column for its credit row and for its debit row."""


def _volume(table: pa.Table, n_accounts: int) -> dict[str, np.ndarray]:
    """Pivot VOLUME_SQL's rows (code, direction) into per-account columns.

    An account with payments in one direction only gets 0 (not missing) for the other, as
    the conditional sums of one row per account gave.
    """
    is_in = table.column("is_in").to_numpy() == 1
    by_direction = [_by_code(table.filter(pa.array(~is_in)), n_accounts)]
    by_direction.insert(0, _by_code(table.filter(pa.array(is_in)), n_accounts))
    active = ~np.isnan(by_direction[0]["n"]) | ~np.isnan(by_direction[1]["n"])
    raw: dict[str, np.ndarray] = {}
    for column, names in VOLUME_COLUMNS.items():
        for side, name in zip(by_direction, names, strict=True):
            if name is None:
                continue
            values = side[column]
            if values.dtype.kind == "f":
                values = np.where(active & np.isnan(values), 0.0, values)
            raw[name] = values
    totals = [np.nan_to_num(side["own_n"]) for side in by_direction]
    raw["own_n"] = np.where(active, totals[0] + totals[1], np.nan)
    raw["span_s"] = np.fmax(by_direction[0]["span_s"], by_direction[1]["span_s"])
    return raw


def _ratio(num: pd.Series, den: pd.Series) -> pd.Series:
    den = den.astype(float)
    return (num.astype(float) / den.where(den > 0)).fillna(0.0)


def _derive(raw: pd.DataFrame, cutoff: Cutoff) -> pd.DataFrame:
    """Turn raw per-account sums into the declared features (ratios, ages, shares)."""
    f = pd.DataFrame(index=raw.index)
    counts = [c for c, _ in TABULAR_FEATURES if c.startswith(("in_n", "out_n", "in_sum", "out_s"))]
    for col in [*counts, "in_cp", "out_cp", "new_in_cp_30d", "new_out_cp_30d", "active_days"]:
        f[col] = raw[col].astype(float).fillna(0.0)
    f["in_top_share"] = _ratio(raw["in_top_amt"], raw["in_sum_ext"])
    f["pass_through"] = _ratio(raw["out_sum_ext"], raw["in_sum_ext"]).clip(upper=1.0)
    f["fast_out_share_1h"] = _ratio(raw["fast1h_amt"], raw["credit_amt"])
    f["fast_out_share_24h"] = _ratio(raw["fast24h_amt"], raw["credit_amt"])
    f["fast_out_share_7d"] = _ratio(raw["fast7d_amt"], raw["credit_amt"])
    f["dwell_hours"] = raw["dwell_s"].astype(float) / 3600.0
    f["quiet_days_before_recent"] = raw["quiet_s"].astype(float).fillna(0.0) / 86400.0
    f["span_days"] = raw["span_s"].astype(float) / 86400.0
    f["account_age_days"] = raw["account_age_days"].astype(float)
    opened = pd.to_datetime(raw["opened_at"])
    first_large = pd.to_datetime(raw["first_large_credit_ts"])
    f["age_at_first_large_credit_days"] = (first_large - opened).dt.total_seconds() / 86400.0
    f["holder_age_years"] = raw["holder_age_days"].astype(float) / 365.25
    out_sum = raw["out_sum"]
    f["out_cash_share"] = _ratio(raw["out_cash"], out_sum)
    f["out_crypto_share"] = _ratio(raw["out_crypto"], out_sum)
    f["out_intl_share"] = _ratio(raw["out_intl"], out_sum)
    exits = raw["out_cash"].fillna(0) + raw["out_crypto"].fillna(0) + raw["out_intl"].fillna(0)
    f["out_exit_share"] = _ratio(exits, out_sum)
    f["in_cash_share"] = _ratio(raw["in_cash"], raw["in_sum"])
    f["round_in_share"] = _ratio(raw["round_in"], raw["in_n"])
    f["round_out_share"] = _ratio(raw["round_out"], raw["out_n"])
    f["mean_in_amount"] = _ratio(raw["in_sum"], raw["in_n"])
    f["mean_out_amount"] = _ratio(raw["out_sum"], raw["out_n"])
    f["out_in_amount_ratio"] = _ratio(f["mean_out_amount"], f["mean_in_amount"])
    f["own_transfer_share"] = _ratio(raw["own_n"], raw["in_n"].fillna(0) + raw["out_n"].fillna(0))
    f["reported_in_n"] = raw["reported_in_n"].astype(float).fillna(0.0)
    f["reported_in_sum"] = raw["reported_in_sum"].astype(float).fillna(0.0)
    for col in ("device_shared_max", "ip_shared_max", "phone_shared_max", "address_shared_max"):
        f[col] = raw[col].astype(float).fillna(0.0)
    for col in ("shared_flagged_by", "shared_flagged_cp_n"):
        f[col] = raw[col].astype(float).fillna(0.0)
    return f[[c for c, _ in TABULAR_FEATURES]]
