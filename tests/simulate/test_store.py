"""simulate_world writes the same tables on DuckDB and Spark, and the CLI drives it."""

from __future__ import annotations

from pathlib import Path

import pyarrow.compute as pc
from typer.testing import CliRunner

from fraudnet.cli.main import app
from fraudnet.engine import Engine, open_engine
from fraudnet.engine.types import conform
from fraudnet.schema import get_table
from fraudnet.simulate import WORLD_TABLES, generate_world, simulate_world


def test_store_holds_exactly_the_generated_world(store: Engine) -> None:
    summary = simulate_world(store, accounts=600, days=14, seed=5)
    world = generate_world(accounts=600, days=14, seed=5)
    assert summary.rows["transactions"] == world.tables["transactions"].num_rows > 1000
    assert summary.start is not None and summary.end is not None
    times = world.tables["transactions"].column("ts").to_pylist()
    assert summary.start <= min(times) and max(times) < summary.end
    for name in WORLD_TABLES:
        declared = get_table(name)
        expected = conform(world.tables[name], declared)
        expected = expected.take(
            pc.sort_indices(expected, [(k, "ascending") for k in declared.key])
        )
        got = store.table(name)
        assert got.equals(expected), name


def test_cli_simulate_writes_a_store(tmp_path: Path) -> None:
    out = tmp_path / "world.duckdb"
    result = CliRunner().invoke(
        app, ["simulate", "--out", str(out), "--accounts", "600", "--days", "7", "--seed", "2"]
    )
    assert result.exit_code == 0, result.output
    assert "mule accounts" in result.output
    with open_engine(out, "duckdb") as engine:
        assert engine.count("transactions") > 0
        assert engine.count("labels") == engine.count("accounts") + engine.count("parties")
    again = ["simulate", "--out", str(out), "--accounts", "700", "--days", "7", "--seed", "2"]
    refused = CliRunner().invoke(app, again)
    assert refused.exit_code == 2
    replaced = CliRunner().invoke(app, [*again, "--replace"])
    assert replaced.exit_code == 0, replaced.output
    with open_engine(out, "duckdb") as engine:
        assert engine.count("accounts") == 700
