"""Label features never carry an account's own verdict, not even along a path through itself."""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from fraudnet.detect.motifs import Transfers, known_in_bursts
from fraudnet.detect.scorer import label_proximity

DAY = 86_400


def _adjacency(edges: list[tuple[int, int]], n: int) -> sp.csr_matrix:
    src = np.array([e[0] for e in edges], dtype=np.int64)
    dst = np.array([e[1] for e in edges], dtype=np.int64)
    return sp.csr_matrix((np.ones(len(edges)), (src, dst)), shape=(n, n))


def test_a_path_back_through_the_account_does_not_deflate_a_known_mule() -> None:
    """i -> j, j -> i, j -> m with m a known mule: i is two hops from m, labelled or not."""
    i, m = 0, 2
    adjacency = _adjacency([(0, 1), (1, 0), (1, 2)], 3)
    unlabelled = np.array([False, False, True])
    labelled = np.array([True, False, True])
    before = label_proximity(adjacency, unlabelled).iloc[i]
    after = label_proximity(adjacency, labelled).iloc[i]
    assert before["known_mule_2hop"] == after["known_mule_2hop"] == 1.0
    pd.testing.assert_series_equal(before, after)
    assert label_proximity(adjacency, labelled).iloc[m]["known_mule_2hop"] == 1.0  # m reaches i


edges_strategy = st.integers(2, 9).flatmap(
    lambda n: st.tuples(
        st.just(n),
        st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=30),
        st.lists(st.sampled_from([-1, 0, 1]), min_size=n, max_size=n),
    )
)


@settings(max_examples=200, deadline=None)
@given(edges_strategy, st.data())
def test_label_proximity_of_an_account_ignores_its_own_verdict(
    case: tuple[int, list[tuple[int, int]], list[int]], data: st.DataObject
) -> None:
    """Random small graphs (self-loops, repeats and 2-cycles included): flip or hide any one
    account's verdict and its own row of label features stays exactly the same."""
    n, edges, verdict_list = case
    adjacency = _adjacency(edges, n)
    verdict = np.array(verdict_list)
    account = data.draw(st.integers(0, n - 1))
    base = label_proximity(adjacency, verdict == 1, verdict == 0).iloc[account]
    for changed in (-1, 0, 1):
        other = verdict.copy()
        other[account] = changed
        row = label_proximity(adjacency, other == 1, other == 0).iloc[account]
        pd.testing.assert_series_equal(base, row, check_exact=False, rtol=1e-12)


@settings(max_examples=100, deadline=None)
@given(edges_strategy, st.data())
def test_burst_accomplices_of_an_account_ignore_its_own_verdict(
    case: tuple[int, list[tuple[int, int]], list[int]], data: st.DataObject
) -> None:
    """The same property for known_in_bursts (the other label feature family)."""
    n, edges, verdict_list = case
    days = data.draw(st.lists(st.floats(0, 5), min_size=len(edges), max_size=len(edges)))
    src = np.array([e[0] for e in edges], dtype=np.int64)
    dst = np.array([e[1] for e in edges], dtype=np.int64)
    seconds = (np.array(days, dtype=np.float64) * DAY).astype(np.int64)
    transfers = Transfers(src, dst, seconds, np.full(len(edges), 100.0))
    known = np.array(verdict_list) == 1
    account = data.draw(st.integers(0, n - 1))
    base = known_in_bursts(transfers, known).iloc[account]
    flipped = known.copy()
    flipped[account] = not known[account]
    pd.testing.assert_series_equal(base, known_in_bursts(transfers, flipped).iloc[account])
