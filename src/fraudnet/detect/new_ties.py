"""Counterparties met once: fans and cycles of one-off ties, without labels.

A *one-off tie* is a pair of accounts with exactly one payment between them, in either
direction, up to the cut-off. Standing relations (family, landlord, payroll) repeat, and a
payment that is answered (the mutual patterns of ordinary traffic) is two; a laundering fan or
cycle is a set of strangers each paying once. Two shapes are measured on these ties only:

- *fan bursts*: for each account, the most one-off counterparties it received from (paid) in
  one `FAN_WINDOW_DAYS` window, and how surprising that count is against the account's own
  rate of one-off ties (a Poisson tail, -log10): a shop that meets new customers every day has
  a high rate, so a busy week is no surprise, while a quiet account that suddenly hears from
  six strangers in three days is. A spoke (one of the strangers) gets the surprise of the
  densest window at its counterparty that contains its own payment, so every member of a fan
  carries the fan's value. Windows with more than `FAN_HUB_TIES` ties (a shop's rush) give
  their spokes nothing.
- *one-off cycles*: time-ordered cycles (`temporal_cycles`) whose every payment is a one-off
  tie, with hops up to 3 days apart and, separately, up to 7 days (`WIDE_GAP_DAYS`): without
  the repeated and answered ties of ordinary traffic, coincidental cycles are rare and the
  wider search stays small, which is what makes the 7-day gap affordable.

Everything comes from the cut-off's transfers (payer, payee, seconds), nothing else.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import poisson

from fraudnet.detect.temporal_cycles import temporal_cycles

DAY = 86_400
FAN_WINDOW_DAYS = 3
"""Width of a fan burst's window: a fan's payments all fall within it."""
FAN_HUB_TIES = 30
"""A window with more one-off ties than this is a shop's rush: its spokes inherit nothing."""
FLOOR_TIES_PER_DAY = 1 / 30
"""The lowest rate of new one-off ties an account is assumed to have (one a month), so a
brand-new account's first two strangers are not infinitely surprising."""
CYCLE_GAP_DAYS = 3
WIDE_GAP_DAYS = 7
"""Hop gaps of the two one-off cycle searches (days between one payment and the next)."""
CYCLE_WINDOW_DAYS = 10
WIDE_WINDOW_DAYS = 60
"""Longest a one-off cycle may take, first payment to last, for each search."""
NEW_TIE_FEATURES = (
    "one_off_in_burst",
    "one_off_out_burst",
    "one_off_fan_surprise",
    "one_off_spoke_surprise",
    "one_off_cycles",
    "one_off_cycles_wide",
)


def one_off_ties(src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """Per transfer: the only payment, either way, between its two accounts."""
    if len(src) == 0:
        return np.zeros(0, dtype=bool)
    low = np.minimum(src, dst).astype(np.int64)
    high = np.maximum(src, dst).astype(np.int64)
    key = low * (int(high.max()) + 1) + high
    _, inverse, counts = np.unique(key, return_inverse=True, return_counts=True)
    return np.asarray(counts[inverse] == 1)


def new_tie_features(
    src: np.ndarray, dst: np.ndarray, s: np.ndarray, n: int, quiet: np.ndarray | None = None
) -> dict[str, np.ndarray]:
    """NEW_TIE_FEATURES for `n` accounts from transfers `src` -> `dst` at seconds `s`.

    `quiet` marks accounts allowed on a cycle (default: all); busy hubs are left out, as in
    the other cycle search.
    """
    out = {name: np.zeros(n) for name in NEW_TIE_FEATURES}
    if len(s) == 0:
        return out
    s = s.astype(np.int64)
    one = one_off_ties(src, dst)
    active = _active_days(src, dst, s, n)
    for hub_side, spoke_side, name in ((dst, src, "in"), (src, dst, "out")):
        count, surprise, spoke = _bursts(hub_side[one], spoke_side[one], s[one], n, active)
        out[f"one_off_{name}_burst"] = count
        np.maximum(out["one_off_fan_surprise"], surprise, out=out["one_off_fan_surprise"])
        np.maximum(out["one_off_spoke_surprise"], spoke, out=out["one_off_spoke_surprise"])
    cyclic = one if quiet is None else one & quiet[src] & quiet[dst]
    for name, gap, window in (
        ("one_off_cycles", CYCLE_GAP_DAYS, CYCLE_WINDOW_DAYS),
        ("one_off_cycles_wide", WIDE_GAP_DAYS, WIDE_WINDOW_DAYS),
    ):
        cycles, _ = temporal_cycles(
            src[cyclic], dst[cyclic], s[cyclic], n, gap_days=gap, window_days=window
        )
        out[name] = cycles.astype(np.float64)
    return out


def _active_days(src: np.ndarray, dst: np.ndarray, s: np.ndarray, n: int) -> np.ndarray:
    """Days from each account's first transfer to its last (at least one window)."""
    account = np.concatenate([src, dst])
    both = np.concatenate([s, s])
    first = np.full(n, np.iinfo(np.int64).max)
    last = np.full(n, np.iinfo(np.int64).min)
    np.minimum.at(first, account, both)
    np.maximum.at(last, account, both)
    days = np.where(last >= first, (last - first) / DAY, 0.0)
    return np.maximum(days, float(FAN_WINDOW_DAYS))


def _bursts(
    hub: np.ndarray, spoke: np.ndarray, s: np.ndarray, n: int, active: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(most one-off ties in one window, its surprise, per spoke the best surprise of a
    window at its counterparty containing its own payment) for one direction."""
    count_max, surprise_max, spoke_max = np.zeros(n), np.zeros(n), np.zeros(n)
    if len(s) == 0:
        return count_max, surprise_max, spoke_max
    width = FAN_WINDOW_DAYS * DAY
    base = int(s.min())
    span = int(s.max()) - base + width + 1
    key = hub.astype(np.int64) * span + (s - base)
    order = np.argsort(key, kind="stable")
    key, hub, spoke = key[order], hub[order], spoke[order]
    # ties in [s, s + width) at the same hub: a window starting at each tie
    count = np.searchsorted(key, key + width, side="left") - np.arange(len(key))
    total = np.bincount(hub, minlength=n)
    rest = np.maximum(total[hub] - count, 0)
    days = np.maximum(active[hub] - FAN_WINDOW_DAYS, float(FAN_WINDOW_DAYS))
    rate = np.maximum(rest / days, FLOOR_TIES_PER_DAY)
    surprise = -poisson.logsf(count - 1, rate * FAN_WINDOW_DAYS) / np.log(10)
    np.maximum.at(count_max, hub, count.astype(np.float64))
    np.maximum.at(surprise_max, hub, surprise)
    # a spoke's window: the best one starting in (s - width, s] at the same hub
    inherit = np.where((count > 1) & (count <= FAN_HUB_TIES), surprise, 0.0)
    best = inherit.copy()
    for back in range(1, FAN_HUB_TIES):
        earlier = np.arange(len(key)) - back
        valid = (earlier >= 0) & (key[np.maximum(earlier, 0)] > key - width)
        if not valid.any():
            break
        best[valid] = np.maximum(best[valid], inherit[earlier[valid]])
    np.maximum.at(spoke_max, spoke, best)
    return count_max, surprise_max, spoke_max


def new_tie_score(frame: pd.DataFrame) -> np.ndarray:
    """A label-free "strangers who each paid once, in a burst or a ring" score in [0, 1]:
    the fan surprise (as hub or spoke) on a ramp, or being on a one-off cycle."""
    surprise = np.maximum(
        frame["one_off_fan_surprise"].to_numpy(), frame["one_off_spoke_surprise"].to_numpy()
    )
    fan = np.clip((surprise - SURPRISE_FROM) / SURPRISE_SPAN, 0.0, 1.0)
    cycles = frame["one_off_cycles"].to_numpy()
    wide = frame["one_off_cycles_wide"].to_numpy()
    ring = np.where(cycles > 0, 1.0, np.where(wide > 0, WIDE_CYCLE_SHARE, 0.0))
    return np.asarray(np.maximum(fan, ring), dtype=np.float64)


SURPRISE_FROM = 3.0
SURPRISE_SPAN = 5.0
"""A fan burst counts from a surprise of 3 (p = 0.001) and fully from 8 (p = 1e-8)."""
WIDE_CYCLE_SHARE = 0.7
"""A one-off cycle only found with 7-day hops counts this much of one with 3-day hops."""
