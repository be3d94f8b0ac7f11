"""Grouping nodes into networks: connected components, split by Leiden where too large.

Leiden (igraph's built-in `community_leiden`, modularity objective) only runs on components
larger than `split_above` nodes, so small worlds group by connected components alone and the
Spark implementation (iterated joins, `fraudnet.graph.sql_components`) gives the same answer.
"""

from __future__ import annotations

from collections.abc import Sequence

import igraph as ig
import polars as pl

LEIDEN_SEED = 7


def _graph(nodes: Sequence[str], edges: pl.DataFrame) -> ig.Graph:
    index = {n: i for i, n in enumerate(nodes)}
    pairs = [(index[a], index[b]) for a, b in zip(edges["a"], edges["b"], strict=True)]
    graph = ig.Graph(n=len(nodes), edges=pairs, directed=False)
    graph.es["weight"] = edges["weight"].cast(pl.Float64).to_list()
    return graph


def _leiden_split(graph: ig.Graph, members: list[int], resolution: float) -> list[list[int]]:
    sub = graph.induced_subgraph(members)
    import random

    random.seed(LEIDEN_SEED)  # igraph draws from Python's RNG
    parts = sub.community_leiden(
        objective_function="modularity",
        weights="weight",
        resolution=resolution,
        n_iterations=-1,
    )
    return [[members[i] for i in part] for part in parts]


def group_nodes(
    nodes: Sequence[str],
    edges: pl.DataFrame,
    split_above: int = 60,
    resolution: float = 1.0,
) -> dict[str, str]:
    """node -> group label (the smallest node name in its group). Edges: a, b, weight."""
    ordered = sorted(set(nodes))
    graph = _graph(ordered, edges)
    groups: list[list[int]] = []
    for component in graph.connected_components():
        if len(component) > split_above:
            groups.extend(_leiden_split(graph, list(component), resolution))
        else:
            groups.append(list(component))
    label: dict[str, str] = {}
    for group in groups:
        name = min(ordered[i] for i in group)
        for i in group:
            label[ordered[i]] = name
    return label


def components(nodes: Sequence[str], edges: pl.DataFrame) -> dict[str, str]:
    """Connected components only: node -> smallest node name in its component."""
    return group_nodes(nodes, edges, split_above=len(nodes) + 1)
