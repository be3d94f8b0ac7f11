"""Small worlds for detection tests: a simulator world and an AMLSim-style one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from fraudnet.engine import Engine, open_engine
from fraudnet.ingest import ingest
from fraudnet.simulate import simulate_world
from tests.detect import amlsim_world

WORLD_ACCOUNTS = 2500
WORLD_DAYS = 60
WORLD_SEED = 7  # a test seed, never used for the numbers in docs/detection.md


@pytest.fixture(scope="module")
def world_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("world") / "world.duckdb"
    with open_engine(path, "duckdb") as engine:
        simulate_world(engine, accounts=WORLD_ACCOUNTS, days=WORLD_DAYS, seed=WORLD_SEED)
    return path


@pytest.fixture
def world(world_path: Path, tmp_path: Path) -> Iterator[Engine]:
    """A private copy of the module's simulator world (tests may write to it)."""
    copy = tmp_path / "world.duckdb"
    copy.write_bytes(world_path.read_bytes())
    engine = open_engine(copy, "duckdb")
    yield engine
    engine.close()


@pytest.fixture(scope="module")
def amlsim_store(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Engine, dict[str, str]]]:
    root = tmp_path_factory.mktemp("amlsim")
    typologies = amlsim_world.write(root / "csv", accounts=1500, days=40, seed=3)
    engine = open_engine(root / "store.duckdb", "duckdb")
    ingest(engine, root / "csv", source_format="amlsim", with_labels=True)
    yield engine, typologies
    engine.close()
