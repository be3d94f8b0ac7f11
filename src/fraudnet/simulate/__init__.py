"""A synthetic UK banking world with scam victims, mule networks, herders and hard look-alikes.

`simulate_world(engine, accounts=..., days=..., seed=...)` writes the canonical tables plus
ground truth (`labels` with source='ground_truth', `party_truth`); `generate_world` returns the
same tables as Arrow without a store. Parameters and their public sources: `SimulationParams`
and docs/simulator.md.
"""

from __future__ import annotations

import pyarrow as pa

from fraudnet.simulate.params import SimulationParams, parameter_rows
from fraudnet.simulate.world import World, generate_world
from fraudnet.simulate.writer import WORLD_TABLES, SimulationSummary, simulate_world

DEMO_ACCOUNTS = 20_000
DEMO_DAYS = 90


def world_tables(
    accounts: int = DEMO_ACCOUNTS,
    days: int = DEMO_DAYS,
    seed: int = 0,
    params: SimulationParams | None = None,
) -> dict[str, pa.Table]:
    """The world's canonical tables (and `party_truth`) as Arrow, without a store."""
    return dict(generate_world(accounts, days, seed, params).tables)


__all__ = [
    "DEMO_ACCOUNTS",
    "DEMO_DAYS",
    "WORLD_TABLES",
    "SimulationParams",
    "SimulationSummary",
    "World",
    "generate_world",
    "parameter_rows",
    "simulate_world",
    "world_tables",
]
