"""A small simulated world, with ground truth kept out of the store (as in real use)."""

from __future__ import annotations

from functools import lru_cache

import polars as pl
import pyarrow as pa

from fraudnet.engine import Engine
from fraudnet.simulate import SimulationParams, World, generate_world

STORE_TABLES = ("transactions", "accounts", "parties", "identifiers", "events", "fraud_reports")


@lru_cache(maxsize=4)
def small_world(accounts: int = 3000, seed: int = 11, mule_share: float | None = None) -> World:
    """A 60-day world; `mule_share` raises the share of mule accounts for tiny worlds."""
    params = SimulationParams().with_(mule_account_share=mule_share) if mule_share else None
    return generate_world(accounts=accounts, days=60, seed=seed, params=params)


def load_without_labels(engine: Engine, world: World) -> pa.Table:
    """Write the world minus labels; return the ground-truth labels for scoring."""
    engine.commit(appends={name: world.tables[name] for name in STORE_TABLES})
    return world.tables["labels"]


def frame(table: pa.Table) -> pl.DataFrame:
    out = pl.from_arrow(table)
    assert isinstance(out, pl.DataFrame)
    return out
