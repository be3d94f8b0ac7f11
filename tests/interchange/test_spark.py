"""The export reads the same network from a Spark store as from DuckDB."""

from __future__ import annotations

from pathlib import Path

import pytest

from fraudnet.engine import open_engine
from fraudnet.interchange import ExportOptions, export_network, load_network
from tests.interchange.conftest import NetworkStore
from tests.networks.worlds import STORE_TABLES


@pytest.mark.spark
@pytest.mark.slow
def test_spark_store_exports_the_same_network(network_store: NetworkStore, tmp_path: Path) -> None:
    tables = [*STORE_TABLES, "networks", "network_roles"]
    with open_engine(network_store.path, "duckdb") as duck:
        copied = {name: duck.table(name) for name in tables}
        expected = load_network(duck, network_store.network_id)
    with open_engine(tmp_path / "spark-store", "spark") as spark:
        spark.commit(replaces=copied)
        found = load_network(spark, network_store.network_id)
        result = export_network(
            spark, network_store.network_id, "ftm", tmp_path / "n.ftm.json",
            ExportOptions(audit=False),
        )  # fmt: skip
    assert [p.txn_id for p in found.payments] == [p.txn_id for p in expected.payments]
    assert found.total() == expected.total()
    assert set(found.accounts) == set(expected.accounts)
    assert set(found.parties) == set(expected.parties)
    assert result.summary.payments == len(expected.payments)
