"""The power-method PageRank agrees with igraph's PRPACK (the semantics it copies)."""

from __future__ import annotations

import igraph as ig
import numpy as np
import pytest

from fraudnet.detect.graph import pagerank


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_pagerank_matches_igraph_prpack(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n, m = 2_000, 8_000
    src = rng.integers(0, n, m)
    dst = rng.integers(0, n // 2, m)  # half the nodes only receive: dangling nodes
    weights = rng.lognormal(3.0, 1.0, m)
    ours = pagerank(src, dst, weights, n)
    graph = ig.Graph(n=n, edges=list(zip(src.tolist(), dst.tolist(), strict=True)), directed=True)
    theirs = np.array(graph.pagerank(weights=weights.tolist(), implementation="prpack"))
    assert ours.sum() == pytest.approx(1.0, abs=1e-9)
    assert np.max(np.abs(ours - theirs) / theirs) < 1e-8
