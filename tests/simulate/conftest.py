"""A small world shared by the simulator tests (generated once per session)."""

from __future__ import annotations

import duckdb
import pytest

from fraudnet.simulate import SimulationParams, World, generate_world

# Mule share raised so a 4,000-account world has enough criminals to measure distributions.
TEST_PARAMS = SimulationParams().with_(mule_account_share=0.04)


@pytest.fixture(scope="session")
def world() -> World:
    return generate_world(accounts=4000, days=60, seed=7, params=TEST_PARAMS)


@pytest.fixture(scope="session")
def con(world: World) -> duckdb.DuckDBPyConnection:
    """DuckDB over the world's tables and diagnostics, for readable checks."""
    connection = duckdb.connect()
    for name, table in {**world.tables, **world.diagnostics}.items():
        connection.register(name, table)
    return connection
