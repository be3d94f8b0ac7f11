"""One small world with networks built, shared by the interchange tests (read-only use)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from fraudnet.engine import Engine, open_engine
from fraudnet.networks import build_networks
from tests.networks.worlds import load_without_labels, small_world


@dataclass(frozen=True)
class NetworkStore:
    path: Path
    network_id: str  # the largest network: victims, mules, herders, cash and payments out


@pytest.fixture(scope="session")
def network_store(tmp_path_factory: pytest.TempPathFactory) -> NetworkStore:
    path = tmp_path_factory.mktemp("interchange") / "store.duckdb"
    engine = open_engine(path, "duckdb")
    try:
        load_without_labels(engine, small_world(accounts=600, seed=11, mule_share=0.05))
        result = build_networks(engine)
        sizes = result.networks.to_pylist()
        network = max(sizes, key=lambda r: (r["size"], r["network_id"]))["network_id"]
    finally:
        engine.close()
    return NetworkStore(path, network)


@pytest.fixture
def engine(network_store: NetworkStore) -> Iterator[Engine]:
    eng = open_engine(network_store.path, "duckdb")
    yield eng
    eng.close()
