"""Per-account features from one fetch of every payment leg, in numpy.

Per account, in time order (credits before debits within one second), over payments between
different people (`own` = 0):

- moved-on amounts: for each credit, min(credit, debits in the window after it), for 1 hour,
  24 hours and 7 days (the *amount-matched* share of money received that went out again);
- dwell: seconds from a credit to the next debit (30 days when there is none, capped at 30);
- quiet spell: the longest gap between consecutive payments that ends in the last 30 days;
- counterparties: distinct senders and payees, those first seen in the last 30 days, the
  money from the largest sender (two-phase: by account pair, then by account);

and, over all its payments (own transfers too), the number of days with any payment.

These are window functions and large group-bys over each account's payments. Written as SQL
(`PARTITION BY account ORDER BY time RANGE ...`) they cost a database a partition per
account: on a million accounts the windows alone took minutes. Here the engine only fetches
the legs (integer account codes, whole seconds, amount, two flags); the legs are sorted once by
a composite integer key and every window becomes a binary search plus a difference of prefix
sums, in integer minor units, so the result does not depend on the order of tied rows.
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
  CAST(CASE WHEN ts > {t30} THEN 1 ELSE 0 END AS TINYINT) AS recent,
  CAST(own AS TINYINT) AS own, COALESCE(cp_code, -1) AS cp_code
FROM {legs} WHERE code IS NOT NULL
"""


def leg_pass_features(engine: Engine, cutoff: Cutoff, n_accounts: int) -> dict[str, np.ndarray]:
    """Raw per-account columns, indexed by account code: credit_amt, fast*_amt, dwell_s,
    quiet_s, active_days, in_cp, out_cp, new_in_cp_30d, new_out_cp_30d, in_top_amt.

    credit_amt, the fast*_amt sums and in_top_amt are money; dwell_s is NaN for an account
    with no credit, quiet_s NaN for one with no gap ending in the last 30 days, in_top_amt
    NaN for one with no sender.
    """
    table = engine.sql(LEGS_SQL.format(legs=LEGS, t30=cutoff.literal(30)))
    code = table.column("code").to_numpy().astype(np.int64)
    seconds = table.column("s").to_numpy().astype(np.int64)
    is_in = table.column("is_in").to_numpy().astype(bool)
    cents = np.rint(table.column("amount").to_numpy() * 100).astype(np.int64)
    recent = table.column("recent").to_numpy().astype(bool)
    own = table.column("own").to_numpy().astype(bool)
    counterparty = table.column("cp_code").to_numpy().astype(np.int64)
    del table
    if len(code) == 0:
        return _empty(n_accounts)
    key, span = _sort_key(code, seconds, is_in)
    order = np.argsort(key, kind="stable")
    code, seconds = code[order], seconds[order]
    active_days = _active_days(code, seconds, n_accounts)
    external = ~own[order]
    order = order[external]
    key, code, seconds = key[order], code[external], seconds[external]
    is_in, cents, recent = is_in[order], cents[order], recent[order]
    counterparty = counterparty[order]
    del order, external
    if len(code) == 0:
        return _empty(n_accounts) | {"active_days": active_days}
    credits = np.flatnonzero(is_in)
    credit_code = code[credits]
    raw: dict[str, np.ndarray] = {
        "credit_amt": _per_account(credit_code, cents[credits], n_accounts) / 100.0
    }
    raw |= _moved_on(key, cents, is_in, credits, credit_code, n_accounts)
    raw["dwell_s"] = _dwell(code, seconds, is_in, credits, n_accounts)
    raw["quiet_s"] = _quiet(code, seconds, recent, n_accounts)
    raw["active_days"] = active_days
    raw |= _counterparties(code, counterparty, is_in, recent, cents, n_accounts)
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


def _counterparties(
    code: np.ndarray,
    counterparty: np.ndarray,
    is_in: np.ndarray,
    recent: np.ndarray,
    cents: np.ndarray,
    n: int,
) -> dict[str, np.ndarray]:
    """Distinct senders/payees, those first seen in the last 30 days, the largest sender's sum.

    Phase one groups the legs by (account, direction, counterparty); a pair is new when every
    one of its payments is recent. Phase two counts pairs per account.
    """
    known = counterparty >= 0
    pair = (code[known] * 2 + is_in[known]) * max(n, 1) + counterparty[known]
    order = np.argsort(pair)
    pair = pair[order]
    starts = np.flatnonzero(np.r_[True, pair[1:] != pair[:-1]])
    pair_account = code[known][order][starts]
    pair_in = is_in[known][order][starts]
    pair_new = np.minimum.reduceat(recent[known][order], starts) if len(starts) else pair_in
    pair_cents = np.add.reduceat(cents[known][order], starts) if len(starts) else pair_account
    top = np.full(n, -1, dtype=np.int64)
    np.maximum.at(top, pair_account[pair_in], pair_cents[pair_in])
    out = {
        "in_cp": np.bincount(pair_account[pair_in], minlength=n),
        "out_cp": np.bincount(pair_account[~pair_in], minlength=n),
        "new_in_cp_30d": np.bincount(pair_account[pair_in & pair_new], minlength=n),
        "new_out_cp_30d": np.bincount(pair_account[~pair_in & pair_new], minlength=n),
    }
    raw = {name: counts.astype(np.float64) for name, counts in out.items()}
    raw["in_top_amt"] = np.where(top >= 0, top / 100.0, np.nan)
    return raw


def _active_days(code: np.ndarray, seconds: np.ndarray, n: int) -> np.ndarray:
    """Distinct UTC days with a payment, per account (legs sorted by account, then time)."""
    day = seconds // 86_400
    new_day = np.r_[True, (code[1:] != code[:-1]) | (day[1:] != day[:-1])]
    return np.bincount(code[new_day], minlength=n).astype(np.float64)


def _empty(n_accounts: int) -> dict[str, np.ndarray]:
    zeros = {column: np.zeros(n_accounts) for column in ("credit_amt", *MOVED_ON_WINDOWS)}
    counts = ("active_days", "in_cp", "out_cp", "new_in_cp_30d", "new_out_cp_30d")
    missing = {name: np.full(n_accounts, np.nan) for name in ("dwell_s", "quiet_s", "in_top_amt")}
    return zeros | missing | {name: np.zeros(n_accounts) for name in counts}
