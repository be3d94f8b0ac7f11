"""The Spark engine (SQL joins for grouping) gives the same networks as DuckDB (igraph)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest

from fraudnet.engine import Engine, open_engine
from fraudnet.networks import ExpansionSettings, build_networks
from fraudnet.networks.alert_seeds import alert_clusters
from tests.networks.worlds import frame, load_without_labels, small_world


def _grouping(roles: pl.DataFrame) -> set[frozenset[str]]:
    members = roles.filter(pl.col("subject_kind") == "account")
    return {frozenset(g["subject"]) for g in members.partition_by("network_id")}


def test_sql_grouping_matches_igraph_on_duckdb(duck_store: Engine) -> None:
    load_without_labels(duck_store, small_world())
    local = build_networks(duck_store, write=False, sql_grouping=False)
    joined = build_networks(duck_store, write=False, sql_grouping=True)
    assert local.graph.group == joined.graph.group
    assert local.networks.column("network_id") == joined.networks.column("network_id")


@pytest.fixture
def spark_store(tmp_path: Path) -> Iterator[Engine]:
    """A Spark store only: these tests compare it with `duck_store`, so no DuckDB half."""
    engine = open_engine(tmp_path / "spark-store", "spark")
    yield engine
    engine.close()


@pytest.mark.spark
def test_spark_gives_the_same_networks(spark_store: Engine, duck_store: Engine) -> None:
    store = spark_store
    world = small_world(accounts=800, seed=5, mule_share=0.05)
    load_without_labels(store, world)
    load_without_labels(duck_store, world)
    spark = build_networks(store)
    duck = build_networks(duck_store)
    assert duck.networks.num_rows >= 1
    assert spark.graph.members == duck.graph.members
    spark_roles = frame(store.table("network_roles"))
    duck_roles = frame(duck_store.table("network_roles"))
    assert _grouping(spark_roles) == _grouping(duck_roles)
    assert (
        spark_roles.drop("confidence")
        .sort("network_id", "subject", "role")
        .equals(duck_roles.drop("confidence").sort("network_id", "subject", "role"))
    )


@pytest.mark.spark
def test_spark_gives_the_same_alert_clusters(spark_store: Engine, duck_store: Engine) -> None:
    store = spark_store
    world = small_world()
    truth = frame(load_without_labels(store, world))
    load_without_labels(duck_store, world)
    criminal = truth.filter(
        pl.col("network_id").is_not_null() & pl.col("subject").str.starts_with("GB-")
    )
    ring = criminal["network_id"].value_counts(sort=True)["network_id"][0]
    alerted = sorted(criminal.filter(pl.col("network_id") == ring)["subject"])
    spark = alert_clusters(store, alerted, set(), set(), ExpansionSettings())
    duck = alert_clusters(duck_store, alerted, set(), set(), ExpansionSettings())
    assert duck.height >= 3
    assert spark.equals(duck)
