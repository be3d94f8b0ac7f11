from __future__ import annotations

import random

import polars as pl

from fraudnet.engine import Engine
from fraudnet.graph import components, group_nodes, sql_components
from fraudnet.graph.communities import _merge_tied


def _edges(pairs: list[tuple[str, str]], weight: float = 1.0) -> pl.DataFrame:
    return pl.DataFrame(
        {"a": [a for a, _ in pairs], "b": [b for _, b in pairs], "weight": [weight] * len(pairs)}
    )


def _clique(prefix: str, n: int) -> list[tuple[str, str]]:
    names = [f"{prefix}{i:02d}" for i in range(n)]
    return [(a, b) for i, a in enumerate(names) for b in names[i + 1 :]]


def test_components_name_each_group_by_its_smallest_node() -> None:
    edges = _edges([("b", "a"), ("c", "b"), ("x", "y")])
    groups = components(["a", "b", "c", "x", "y", "z"], edges)
    assert groups == {"a": "a", "b": "a", "c": "a", "x": "x", "y": "x", "z": "z"}


def test_leiden_splits_two_rings_joined_by_one_edge() -> None:
    pairs = _clique("p", 12) + _clique("q", 12) + [("p00", "q00")]
    nodes = sorted({n for p in pairs for n in p})
    whole = group_nodes(nodes, _edges(pairs), split_above=len(nodes) + 1)
    split = group_nodes(nodes, _edges(pairs), split_above=10)
    assert len(set(whole.values())) == 1
    assert len(set(split.values())) == 2
    assert {split[f"p{i:02d}"] for i in range(12)} == {"p00"}
    assert {split[f"q{i:02d}"] for i in range(12)} == {"q00"}


def test_two_ties_keep_rings_together() -> None:
    pairs = _clique("p", 12) + _clique("q", 12) + [("p00", "q00"), ("p01", "q01")]
    nodes = sorted({n for p in pairs for n in p})
    assert len(set(group_nodes(nodes, _edges(pairs), split_above=10).values())) == 1
    loose = group_nodes(nodes, _edges(pairs), split_above=10, min_ties=3)
    assert len(set(loose.values())) == 2


def test_sql_components_equal_igraph_components(store: Engine) -> None:
    rng = random.Random(3)
    nodes = [f"n{i:03d}" for i in range(30)]
    pairs = [(rng.choice(nodes), rng.choice(nodes)) for _ in range(22)]
    edges = _edges([(a, b) for a, b in pairs if a != b])
    assert sql_components(store, nodes, edges) == components(nodes, edges)


def test_ties_count_against_the_size_of_the_rings() -> None:
    pairs = _clique("p", 12) + _clique("q", 12) + [("p00", "q00"), ("p01", "q01")]
    nodes = sorted({n for p in pairs for n in p})
    # 66 edges inside each ring: two ties are under a tenth of them, so the rings stay apart
    apart = group_nodes(nodes, _edges(pairs), split_above=10, min_tie_share=0.1)
    assert len(set(apart.values())) == 2
    # small rings (10 edges inside each): two ties are a fifth of them, so they are merged back
    small = _clique("p", 5) + _clique("q", 5) + [("p00", "q00"), ("p01", "q01")]
    nodes = sorted({n for p in small for n in p})
    merged = group_nodes(nodes, _edges(small), split_above=8, min_tie_share=0.1)
    assert len(set(merged.values())) == 1
    one_tie = group_nodes(nodes, _edges(small[:-1]), split_above=8, min_tie_share=0.1)
    assert len(set(one_tie.values())) == 2


def test_ties_are_counted_again_after_communities_merge() -> None:
    # communities 0 and 1 (three nodes each) are tied twice; node 6 (community 2, a device
    # Leiden put apart) is tied once to each: it joins once 0 and 1 are one
    parts = [0, 0, 0, 1, 1, 1, 2]
    inside = [(0, 1), (1, 2), (0, 2), (3, 4), (4, 5), (3, 5)]
    pairs = [*inside, (0, 3), (1, 4), (6, 0), (6, 3)]
    assert len(set(_merge_tied(parts, pairs, 2, 0.1))) == 1
    alone = [*inside, (0, 3), (1, 4), (6, 0)]
    merged = _merge_tied(parts, alone, 2, 0.1)
    assert merged[0] == merged[3] and merged[6] != merged[0]
