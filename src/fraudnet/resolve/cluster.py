"""Group linked parties into entities, honouring analysts' judgements.

Entities are the connected components of the links at or above the threshold plus every
POSITIVE judgement. Where a component would contain a NEGATIVE pair, that component is
rebuilt greedily: confirmed pairs first, then links from the most to the least probable,
and a link is cut whenever it would join two groups an analyst has kept apart. So a
NEGATIVE pair never shares an entity, and only the links that would break that are cut.
"""

from __future__ import annotations

from dataclasses import dataclass

import igraph as ig
import numpy as np
import polars as pl

LINKED, CONFIRMED, CUT = "linked", "confirmed", "cut"


@dataclass(frozen=True, slots=True)
class Clusters:
    """Cluster label per party, and the status of each candidate link."""

    membership: pl.DataFrame  # party_id, cluster (int)
    links: pl.DataFrame  # party_id_l, party_id_r, status


def cluster_parties(
    party_ids: pl.Series,
    links: pl.DataFrame,
    positive: pl.DataFrame,
    negative: pl.DataFrame,
) -> Clusters:
    """`links`: party_id_l, party_id_r, match_probability (already above the threshold)."""
    index = pl.DataFrame({"party_id": party_ids}).with_row_index("node")
    candidates = _candidates(links, positive, negative, index)
    edges = candidates.filter(pl.col("status") != CUT)
    membership = _components(len(index), edges)
    if negative.height:
        membership, candidates = _honour_negatives(membership, candidates, negative, index)
    labels = index.with_columns(pl.Series("cluster", membership, dtype=pl.Int64))
    status = candidates.select("party_id_l", "party_id_r", "status")
    return Clusters(labels.select("party_id", "cluster"), status)


def _with_nodes(pairs: pl.DataFrame, index: pl.DataFrame) -> pl.DataFrame:
    left = index.rename({"party_id": "party_id_l", "node": "node_l"})
    right = index.rename({"party_id": "party_id_r", "node": "node_r"})
    return pairs.join(left, on="party_id_l").join(right, on="party_id_r")


def _candidates(
    links: pl.DataFrame, positive: pl.DataFrame, negative: pl.DataFrame, index: pl.DataFrame
) -> pl.DataFrame:
    """Every link and confirmed pair with its starting status and processing priority."""
    pair = ["party_id_l", "party_id_r"]
    scored = links.select(*pair, pl.col("match_probability").cast(pl.Float64))
    confirmed = positive.select(*pair).with_columns(pl.lit(2.0).alias("priority"))
    merged = scored.join(confirmed, on=pair, how="full", coalesce=True)
    merged = merged.with_columns(
        pl.coalesce("priority", "match_probability").alias("priority"),
        pl.when(pl.col("priority").is_not_null())
        .then(pl.lit(CONFIRMED))
        .otherwise(pl.lit(LINKED))
        .alias("status"),
    )
    rejected = negative.select(*pair).with_columns(pl.lit(True).alias("_negative"))
    merged = merged.join(rejected, on=pair, how="left").with_columns(
        pl.when(pl.col("_negative")).then(pl.lit(CUT)).otherwise("status").alias("status")
    )
    return _with_nodes(merged.drop("_negative"), index)


def _components(n_nodes: int, edges: pl.DataFrame) -> np.ndarray:
    pairs = np.column_stack([edges["node_l"].to_numpy(), edges["node_r"].to_numpy()])
    graph = ig.Graph(n=n_nodes, edges=pairs.astype(np.int64), directed=False)
    return np.asarray(graph.connected_components().membership, dtype=np.int64)


def _honour_negatives(
    membership: np.ndarray,
    candidates: pl.DataFrame,
    negative: pl.DataFrame,
    index: pl.DataFrame,
) -> tuple[np.ndarray, pl.DataFrame]:
    """Re-cluster only the components that contain a NEGATIVE pair, greedily."""
    kept_apart = _with_nodes(negative.select("party_id_l", "party_id_r"), index)
    nl, nr = kept_apart["node_l"].to_numpy(), kept_apart["node_r"].to_numpy()
    conflicted = np.unique(membership[nl][membership[nl] == membership[nr]])
    if conflicted.size == 0:
        return membership, candidates
    in_conflict = np.isin(membership[candidates["node_l"].to_numpy()], conflicted)
    candidates = candidates.with_columns(pl.Series("_redo", in_conflict))
    redo = candidates.filter(pl.col("_redo") & (pl.col("status") != CUT)).sort(
        "priority", "party_id_l", "party_id_r", descending=[True, False, False]
    )
    nodes = np.flatnonzero(np.isin(membership, conflicted))
    parent = {int(n): int(n) for n in nodes}
    apart: dict[int, set[int]] = {int(n): set() for n in nodes}
    for a, b in zip(nl.tolist(), nr.tolist(), strict=True):
        if a in apart and b in apart:
            apart[a].add(b)
            apart[b].add(a)
    cut: list[tuple[str, str]] = []
    for row in redo.iter_rows(named=True):
        if not _union(parent, apart, row["node_l"], row["node_r"]):
            cut.append((row["party_id_l"], row["party_id_r"]))
    new_membership = membership.copy()
    offset = int(membership.max()) + 1
    for node in parent:
        new_membership[node] = offset + _find(parent, node)
    cut_frame = pl.DataFrame(
        {"party_id_l": [c[0] for c in cut], "party_id_r": [c[1] for c in cut], "_cut": True},
        schema={"party_id_l": pl.String, "party_id_r": pl.String, "_cut": pl.Boolean},
    )
    candidates = candidates.join(cut_frame, on=["party_id_l", "party_id_r"], how="left")
    candidates = candidates.with_columns(
        pl.when(pl.col("_cut")).then(pl.lit(CUT)).otherwise("status").alias("status")
    ).drop("_cut", "_redo")
    return _relabel(new_membership), candidates


def _find(parent: dict[int, int], node: int) -> int:
    while parent[node] != node:
        parent[node] = parent[parent[node]]
        node = parent[node]
    return node


def _union(parent: dict[int, int], apart: dict[int, set[int]], a: int, b: int) -> bool:
    """Join the groups of a and b unless an analyst kept any of their members apart."""
    root_a, root_b = _find(parent, a), _find(parent, b)
    if root_a == root_b:
        return True
    if root_b in {_find(parent, x) for x in apart[root_a]}:
        return False
    parent[root_b] = root_a
    apart[root_a] |= apart[root_b]
    return True


def _relabel(membership: np.ndarray) -> np.ndarray:
    _, dense = np.unique(membership, return_inverse=True)
    return dense.astype(np.int64)
