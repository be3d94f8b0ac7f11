"""Grouping nodes into networks: connected components, then Leiden cuts along weak ties.

Connected components come from igraph, or from SQL joins on Spark
(`fraudnet.graph.sql_components`); both name a component by its smallest node. Each component
of `split_above` nodes or more is then refined the same way on either engine: igraph's
built-in Leiden (modularity) proposes communities, and communities joined by `min_ties` or
more edges, and by at least `min_tie_share` of the larger one's inside edges, are merged
back. What stays cut are single bridges, such as one payment from a
mule to a friend who works for another ring, or a family tablet used by mules of two rings.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence

import igraph as ig
import polars as pl

LEIDEN_SEED = 7


def _graph(nodes: Sequence[str], edges: pl.DataFrame) -> ig.Graph:
    index = {n: i for i, n in enumerate(nodes)}
    pairs = [(index[a], index[b]) for a, b in zip(edges["a"], edges["b"], strict=True)]
    graph = ig.Graph(n=len(nodes), edges=pairs, directed=False)
    graph.es["weight"] = edges["weight"].cast(pl.Float64).to_list()
    return graph


def _find(parent: list[int], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def _tie_counts(
    label: Sequence[int], pairs: Sequence[tuple[int, int]]
) -> tuple[dict[tuple[int, int], int], dict[int, int]]:
    """Edges between each two groups, and edges inside each group."""
    ties: dict[tuple[int, int], int] = {}
    inside: dict[int, int] = {}
    for source, target in pairs:
        a, b = label[source], label[target]
        if a != b:
            key = (min(a, b), max(a, b))
            ties[key] = ties.get(key, 0) + 1
        else:
            inside[a] = inside.get(a, 0) + 1
    return ties, inside


def _merge_tied(
    parts: Sequence[int], pairs: Sequence[tuple[int, int]], min_ties: int, min_tie_share: float
) -> list[int]:
    """Merge groups joined by `min_ties` edges and `min_tie_share` of the larger group's inside
    edges, counting again after each round until nothing merges: a piece with one tie to each
    of two communities that merge has two ties to the merged one (a herder's device logged in
    to from a mule and a collector that Leiden put apart)."""
    label = list(parts)
    while True:
        ties, inside = _tie_counts(label, pairs)
        parent = list(range(max(label) + 1))
        merged = False
        for (a, b), count in sorted(ties.items()):
            larger = max(inside.get(a, 0), inside.get(b, 0))
            if count >= max(min_ties, min_tie_share * larger):
                parent[_find(parent, a)] = _find(parent, b)
                merged = True
        if not merged:
            return label
        label = [_find(parent, group) for group in label]


def _split_weak_ties(
    graph: ig.Graph, members: list[int], min_ties: int, min_tie_share: float
) -> list[list[int]]:
    """Leiden communities of one component, merged back where they are tied (`_merge_tied`).
    Ties are measured against the larger community's inside edges: a small piece that Leiden
    cut out astride a bridge has few ties to the far ring's core, measured against that core,
    even when they are many for the piece."""
    sub = graph.induced_subgraph(members)
    random.seed(LEIDEN_SEED)  # igraph's Leiden draws from Python's RNG
    parts = sub.community_leiden(
        objective_function="modularity", weights="weight", n_iterations=-1
    ).membership
    pairs = [(edge.source, edge.target) for edge in sub.es]
    label = _merge_tied(parts, pairs, min_ties, min_tie_share)
    groups: dict[int, list[int]] = {}
    for local, group in enumerate(label):
        groups.setdefault(group, []).append(members[local])
    return list(groups.values())


def refine(
    nodes: Sequence[str],
    edges: pl.DataFrame,
    components: Mapping[str, str],
    split_above: int = 8,
    min_ties: int = 2,
    min_tie_share: float = 0.0,
) -> dict[str, str]:
    """node -> group label (smallest node name in its group), cutting weak ties."""
    ordered = sorted(set(nodes))
    graph = _graph(ordered, edges)
    by_component: dict[str, list[int]] = {}
    for i, node in enumerate(ordered):
        by_component.setdefault(components[node], []).append(i)
    label: dict[str, str] = {}
    for _, members in sorted(by_component.items()):
        groups = [members]
        if len(members) >= split_above:
            groups = _split_weak_ties(graph, members, min_ties, min_tie_share)
        for group in groups:
            name = min(ordered[i] for i in group)
            for i in group:
                label[ordered[i]] = name
    return label


def components(nodes: Sequence[str], edges: pl.DataFrame) -> dict[str, str]:
    """Connected components: node -> smallest node name in its component."""
    ordered = sorted(set(nodes))
    graph = _graph(ordered, edges)
    label: dict[str, str] = {}
    for component in graph.connected_components():
        name = min(ordered[i] for i in component)
        for i in component:
            label[ordered[i]] = name
    return label


def group_nodes(
    nodes: Sequence[str],
    edges: pl.DataFrame,
    split_above: int = 8,
    min_ties: int = 2,
    min_tie_share: float = 0.0,
) -> dict[str, str]:
    """Components, then Leiden cuts along weak ties (see the module docstring)."""
    found = components(nodes, edges)
    return refine(nodes, edges, found, split_above, min_ties, min_tie_share)
