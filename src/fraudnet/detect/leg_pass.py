"""Money moved on within a window, dwell time and quiet spells: one sorted pass in numpy.

Per account, in time order (credits before debits within one second), over payments between
different people (`own` = 0):

- moved-on amounts: for each credit, min(credit, debits in the window after it), for 1 hour,
  24 hours and 7 days (the *amount-matched* share of money received that went out again);
- dwell: seconds from a credit to the next debit (30 days when there is none, capped at 30);
- quiet spell: the longest gap between consecutive payments that ends in the last 30 days.

These are window functions over each account's payments. Written as SQL windows
(`PARTITION BY account ORDER BY time RANGE ...`) they cost a database a partition per
account: on a million accounts that one query took minutes. Here the engine only fetches the
legs (integer account code, whole seconds, amount); the legs are sorted once by a composite
integer key and every window becomes a binary search plus a difference of prefix sums, in
integer minor units, so the result does not depend on the order of tied rows.
"""

from __future__ import annotations

import numpy as np

from fraudnet.detect.asof import LEGS, Cutoff
from fraudnet.engine import Engine

MOVED_ON_WINDOWS = {"fast1h_amt": 3_600, "fast24h_amt": 86_400, "fast7d_amt": 7 * 86_400}
"""Raw column -> window length in seconds after a credit."""
DWELL_CAP_S = 30 * 86_400

LEGS_SQL = """
SELECT code, DATE_DIFF('second', TIMESTAMP '2000-01-01 00:00:00', ts) AS s,
  CAST(is_in AS TINYINT) AS is_in, amount,
  CAST(CASE WHEN ts > {t30} THEN 1 ELSE 0 END AS TINYINT) AS recent
FROM {legs} WHERE own = 0 AND code IS NOT NULL
"""


def flow_window_features(engine: Engine, cutoff: Cutoff, n_accounts: int) -> dict[str, np.ndarray]:
    """Raw per-account columns, indexed by account code: credit_amt, fast*_amt, dwell_s, quiet_s.

    credit_amt and the fast*_amt sums are money; dwell_s is NaN for an account with no credit
    and quiet_s NaN for one with no gap ending in the last 30 days.
    """
    table = engine.sql(LEGS_SQL.format(legs=LEGS, t30=cutoff.literal(30)))
    code = table.column("code").to_numpy().astype(np.int64)
    seconds = table.column("s").to_numpy().astype(np.int64)
    is_in = table.column("is_in").to_numpy().astype(bool)
    cents = np.rint(table.column("amount").to_numpy() * 100).astype(np.int64)
    recent = table.column("recent").to_numpy().astype(bool)
    del table
    if len(code) == 0:
        return _empty(n_accounts)
    key, span = _sort_key(code, seconds, is_in)
    order = np.argsort(key, kind="stable")
    key, code, seconds = key[order], code[order], seconds[order]
    is_in, cents, recent = is_in[order], cents[order], recent[order]
    del order
    credits = np.flatnonzero(is_in)
    credit_code = code[credits]
    raw: dict[str, np.ndarray] = {
        "credit_amt": _per_account(credit_code, cents[credits], n_accounts) / 100.0
    }
    raw |= _moved_on(key, cents, is_in, credits, credit_code, n_accounts)
    raw["dwell_s"] = _dwell(code, seconds, is_in, credits, n_accounts)
    raw["quiet_s"] = _quiet(code, seconds, recent, n_accounts)
    assert span > 0
    return raw


def _sort_key(code: np.ndarray, seconds: np.ndarray, is_in: np.ndarray) -> tuple[np.ndarray, int]:
    """code x span + k, k = 2 x seconds + (0 for a credit, 1 for a debit): one int64 per leg.

    A window of S seconds after a credit covers keys [k, k + 2S + 1]; span is wide enough
    that no window reaches the next account's keys.
    """
    k = 2 * (seconds - seconds.min()) + 1 - is_in.astype(np.int64)
    span = int(k.max()) + 2 * max(MOVED_ON_WINDOWS.values()) + 2
    if (int(code.max()) + 1) * span >= 2**62:
        raise ValueError("payments span too long a time for the window key")
    return code * span + k, span


def _per_account(code: np.ndarray, values: np.ndarray, n_accounts: int) -> np.ndarray:
    return np.bincount(code, weights=values.astype(np.float64), minlength=n_accounts)


def _moved_on(
    key: np.ndarray,
    cents: np.ndarray,
    is_in: np.ndarray,
    credits: np.ndarray,
    credit_code: np.ndarray,
    n_accounts: int,
) -> dict[str, np.ndarray]:
    """For each credit, min(credit, debits keyed within the window), summed per account."""
    debit_prefix = np.concatenate([[0], np.cumsum(np.where(is_in, 0, cents))])
    start = np.searchsorted(key, key[credits], side="left")
    credit_cents = cents[credits]
    out: dict[str, np.ndarray] = {}
    for column, window in MOVED_ON_WINDOWS.items():
        end = np.searchsorted(key, key[credits] + 2 * window + 1, side="right")
        matched = np.minimum(credit_cents, debit_prefix[end] - debit_prefix[start])
        out[column] = _per_account(credit_code, matched, n_accounts) / 100.0
    return out


def _dwell(
    code: np.ndarray, seconds: np.ndarray, is_in: np.ndarray, credits: np.ndarray, n: int
) -> np.ndarray:
    """Mean over credits of the seconds to the account's next debit (capped; NaN: no credit)."""
    debits = np.flatnonzero(~is_in)
    dwell = np.full(len(credits), DWELL_CAP_S, dtype=np.int64)
    if len(debits):
        following = np.searchsorted(debits, credits, side="left")
        nxt = debits[np.minimum(following, len(debits) - 1)]
        found = (following < len(debits)) & (code[nxt] == code[credits])
        dwell[found] = np.minimum(seconds[nxt[found]] - seconds[credits[found]], DWELL_CAP_S)
    credit_code = code[credits]
    count = np.bincount(credit_code, minlength=n).astype(np.float64)
    total = _per_account(credit_code, dwell, n)
    return np.divide(total, count, out=np.full(n, np.nan), where=count > 0)


def _quiet(code: np.ndarray, seconds: np.ndarray, recent: np.ndarray, n: int) -> np.ndarray:
    """Longest gap between consecutive payments of an account that ends in the last 30 days."""
    ends = np.flatnonzero(recent[1:] & (code[1:] == code[:-1])) + 1
    quiet = np.full(n, np.nan)
    if len(ends) == 0:
        return quiet
    gap = seconds[ends] - seconds[ends - 1]
    gap_code = code[ends]
    first = np.flatnonzero(np.r_[True, gap_code[1:] != gap_code[:-1]])
    quiet[gap_code[first]] = np.maximum.reduceat(gap, first)
    return quiet


def _empty(n_accounts: int) -> dict[str, np.ndarray]:
    zeros = {column: np.zeros(n_accounts) for column in ("credit_amt", *MOVED_ON_WINDOWS)}
    return zeros | {"dwell_s": np.full(n_accounts, np.nan), "quiet_s": np.full(n_accounts, np.nan)}
