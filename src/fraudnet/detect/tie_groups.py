"""Groups of short-lived ties: the shapes laundering leaves without any label or report.

A laundering pattern is a small group of accounts that start paying each other within days
and stop again: the ties are *short-lived* (every payment of the pair falls within a few days
of its first) and the group is *dense* (a bipartite or stacked layer, a scatter-gather, a
random walk inside a ring close many four-cycles). Ordinary short-lived ties (a one-off
purchase, a gift) are sparse and tree-like, so their four-cycles are rare: in a window's graph
of short-lived ties the four-cycles and triangles through an account measure how ring-like
its new acquaintances are. Fans are stars, not cycles: a hub's short-lived degree in one
window (`tie_fan_max`) and, for a spoke, the largest such degree among the accounts it met
in that window (`tie_spoke_max`, hubs excluded) carry them.

Windows have several widths (`WINDOW_DAYS`), each stepped by half its width, so a pattern
that takes two days or two weeks is seen whole in some window; the maximum over windows is
kept. Accounts with more than `HUB_TIES` short-lived ties in a window (shops, payroll) stay
out of the cycle counts: their neighbours' cycles are chance, and the sparse product would
grow with the square of their degree. Everything is from the cut-off's transfers only.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp

WINDOW_DAYS = (4, 8, 16)
"""Widths of the windows in days; a tie is short-lived in a window when all its payments fall
within the window's width of its first."""
DAY = 86_400
HUB_TIES = 30
"""Accounts with more short-lived ties than this in one window are left out of cycle counts."""
TIE_GROUP_FEATURES = ("tie_squares_max", "tie_triangles_max", "tie_fan_max", "tie_spoke_max")


class ShortTies:
    """Undirected account pairs with their first and last transfer (seconds)."""

    def __init__(self, src: np.ndarray, dst: np.ndarray, s: np.ndarray) -> None:
        low, high = np.minimum(src, dst), np.maximum(src, dst)
        pairs = pd.DataFrame({"a": low, "b": high, "s": s})
        spans = pairs.groupby(["a", "b"], sort=False)["s"].agg(["min", "max"])
        spans = spans.sort_values("min", kind="stable")  # windows are slices by first payment
        self.a = spans.index.get_level_values("a").to_numpy()
        self.b = spans.index.get_level_values("b").to_numpy()
        self.first = spans["min"].to_numpy()
        self.span = spans["max"].to_numpy() - self.first


def tie_group_features(
    src: np.ndarray, dst: np.ndarray, s: np.ndarray, n: int
) -> dict[str, np.ndarray]:
    """TIE_GROUP_FEATURES of transfers between positions `src` -> `dst` at seconds `s`, for
    `n` accounts: the maximum over every window."""
    best = {name: np.zeros(n) for name in TIE_GROUP_FEATURES}
    if len(s) == 0:
        return best
    ties = ShortTies(src, dst, s)
    for days in WINDOW_DAYS:
        width = days * DAY
        short = ties.span <= width
        a, b, first = ties.a[short], ties.b[short], ties.first[short]
        if len(first) == 0:
            continue
        starts = np.arange(int(first.min()), int(first.max()) + 1, width // 2)
        lows = np.searchsorted(first, starts, side="left")
        highs = np.searchsorted(first, starts + width, side="left")
        for low, high in zip(lows, highs, strict=True):
            if high > low:
                window = _window_shapes(a[low:high], b[low:high], n)
                for name, values in window.items():
                    np.maximum(best[name], values, out=best[name])
    return best


def _window_shapes(a: np.ndarray, b: np.ndarray, n: int) -> dict[str, np.ndarray]:
    """Four-cycles, triangles, degree and largest neighbour degree in one window's graph."""
    adjacency = _symmetric(a, b, n)
    degree = np.diff(adjacency.indptr).astype(np.float64)
    quiet = degree <= HUB_TIES
    spoke = _neighbour_max(adjacency, np.where(quiet, degree, 0.0))
    # leaves lie on no cycle: dropping them (and hubs) first keeps the product small
    keep = quiet[a] & quiet[b] & (degree[a] > 1) & (degree[b] > 1)
    small = _symmetric(a[keep], b[keep], n)
    paths = small @ small
    triangles = np.asarray(small.multiply(paths).sum(axis=1)).ravel() / 2
    paths = paths.tocoo()
    other = paths.row != paths.col
    shared = paths.data[other].astype(np.float64)
    # a four-cycle through i has one far corner j: pick 2 of the neighbours i and j share
    squares = np.bincount(paths.row[other], shared * (shared - 1) / 2, n)
    return {
        "tie_squares_max": squares,
        "tie_triangles_max": triangles,
        "tie_fan_max": degree,
        "tie_spoke_max": spoke,
    }


def _symmetric(a: np.ndarray, b: np.ndarray, n: int) -> sp.csr_matrix:
    rows, cols = np.concatenate([a, b]), np.concatenate([b, a])
    matrix = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    matrix.data[:] = 1.0  # a pair listed twice is still one tie
    return matrix


def _neighbour_max(adjacency: sp.csr_matrix, degree: np.ndarray) -> np.ndarray:
    """For each account, the largest degree among its neighbours (0 without any)."""
    weighted = adjacency.multiply(degree[np.newaxis, :]).tocsr()
    return np.asarray(weighted.max(axis=1).todense()).ravel()


def tie_group_score(frame: pd.DataFrame) -> np.ndarray:
    """A label-free "member of a dense group of new ties" score in [0, 1]."""
    if frame.empty:
        return np.zeros(0)
    cycles = np.log1p(frame["tie_squares_max"].to_numpy() + frame["tie_triangles_max"].to_numpy())
    hub = frame["tie_fan_max"].to_numpy()
    fan = np.where(hub <= HUB_TIES, hub, 0.0)
    fans = np.log1p(np.maximum(fan, frame["tie_spoke_max"].to_numpy()))
    raw = cycles + FAN_SHARE * fans
    return np.asarray(raw / max(float(raw.max()), 1e-9), dtype=np.float64)


FAN_SHARE = 0.3
"""Weight of the fan (star) part against the cycle part in `tie_group_score`."""
