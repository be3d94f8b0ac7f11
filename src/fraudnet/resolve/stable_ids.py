"""Entity ids that survive reruns: new parties join existing entities, nothing is renumbered.

Each cluster of this run inherits the id of the previous entity it holds most members of.
When one previous entity's members are now spread over several clusters (a split), the
cluster holding most of them keeps the id. When a cluster holds members of several previous
entities (a merge), it keeps the id of the largest, then the oldest; the ids it absorbed are
recorded in `entity_changes`. A cluster with no previous member gets a fresh id derived from
its smallest party id, so the same data always yields the same ids on either engine.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

import polars as pl


@dataclass(frozen=True, slots=True)
class StableIds:
    assignments: pl.DataFrame  # party_id, entity_id, entity_created_at
    changes: pl.DataFrame  # old_entity_id, new_entity_id, change, n_parties


def assign_entity_ids(membership: pl.DataFrame, previous: pl.DataFrame, now: datetime) -> StableIds:
    """`membership`: party_id, cluster. `previous`: the last run's `entities` rows."""
    prev = previous.select(
        "party_id",
        pl.col("entity_id").alias("old_id"),
        pl.col("entity_created_at").alias("old_created"),
    )
    old_size = prev.group_by("old_id").agg(pl.len().alias("old_size"))
    shared = (
        membership.join(prev, on="party_id", how="inner")
        .group_by("cluster", "old_id")
        .agg(pl.len().alias("n_shared"), pl.col("old_created").min())
        .join(old_size, on="old_id")
    )
    winners = _clusters_keeping_ids(shared)
    fresh = _fresh_ids(membership, winners, set(prev["old_id"].unique().to_list()))
    ids = pl.concat(
        [
            winners.select("cluster", "entity_id", pl.col("old_created").alias("created")),
            fresh.with_columns(pl.lit(now).alias("created")),
        ],
        how="vertical_relaxed",
    )
    assignments = membership.join(ids, on="cluster").select(
        "party_id", "entity_id", pl.col("created").alias("entity_created_at")
    )
    return StableIds(assignments, _changes(membership, prev, assignments))


def _clusters_keeping_ids(shared: pl.DataFrame) -> pl.DataFrame:
    """Each old id goes to the cluster with most of its members; each cluster keeps one."""
    by_old = shared.sort("old_id", "n_shared", "cluster", descending=[False, True, False]).unique(
        "old_id", keep="first"
    )
    return (
        by_old.sort(
            "cluster", "old_size", "old_created", "old_id", descending=[False, True, False, False]
        )
        .unique("cluster", keep="first")
        .select("cluster", pl.col("old_id").alias("entity_id"), "old_created")
    )


def _fresh_ids(membership: pl.DataFrame, winners: pl.DataFrame, taken: set[str]) -> pl.DataFrame:
    pending = (
        membership.join(winners.select("cluster"), on="cluster", how="anti")
        .group_by("cluster")
        .agg(pl.col("party_id").min().alias("anchor"))
        .sort("anchor")
    )
    used = taken | set(winners["entity_id"].to_list())
    fresh = []
    for anchor in pending["anchor"].to_list():
        entity_id = new_entity_id(anchor, used)
        used.add(entity_id)
        fresh.append(entity_id)
    return pending.select("cluster").with_columns(pl.Series("entity_id", fresh, dtype=pl.String))


def new_entity_id(anchor: str, used: set[str]) -> str:
    """'E' + 16 hex digits of a hash of the smallest member id; salted if already in use."""
    salt = 0
    while True:
        text = anchor if salt == 0 else f"{anchor}#{salt}"
        candidate = "E" + hashlib.sha256(text.encode()).hexdigest()[:16]
        if candidate not in used:
            return candidate
        salt += 1


def _changes(
    membership: pl.DataFrame, prev: pl.DataFrame, assignments: pl.DataFrame
) -> pl.DataFrame:
    """Old ids whose members now sit (at least partly) under another id."""
    moved = (
        prev.join(assignments, on="party_id", how="inner")
        .filter(pl.col("old_id") != pl.col("entity_id"))
        .group_by("old_id", "entity_id")
        .agg(pl.len().alias("n_parties"))
    )
    surviving = set(assignments["entity_id"].unique().to_list())
    return moved.select(
        pl.col("old_id").alias("old_entity_id"),
        pl.col("entity_id").alias("new_entity_id"),
        pl.when(pl.col("old_id").is_in(list(surviving)))
        .then(pl.lit("split"))
        .otherwise(pl.lit("merged"))
        .alias("change"),
        pl.col("n_parties").cast(pl.Int64),
    ).sort("old_entity_id", "new_entity_id")
