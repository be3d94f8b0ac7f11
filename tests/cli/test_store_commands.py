"""The CLI is a thin layer: ingest, status and export through the real commands."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
from typer.testing import CliRunner

from fraudnet.cli.main import app
from fraudnet.engine import open_engine
from tests.ingest.conftest import BAD_TRANSACTIONS

runner = CliRunner()


def test_ingest_status_export_roundtrip(tmp_path: Path) -> None:
    src = tmp_path / "payments.csv"
    src.write_text(BAD_TRANSACTIONS)
    store = tmp_path / "s.duckdb"
    result = runner.invoke(app, ["ingest", str(store), str(src), "--table", "transactions"])
    assert result.exit_code == 0, result.output
    assert "negative amount" in result.output

    strict = runner.invoke(
        app, ["ingest", str(store), str(src), "--table", "transactions", "--strict"]
    )
    assert strict.exit_code == 1

    status = runner.invoke(app, ["status", str(store)])
    assert status.exit_code == 0
    assert "transactions" in status.output and "unknown currency" in status.output

    out_csv, out_pq = tmp_path / "t.csv", tmp_path / "t.parquet"
    for out in (out_csv, out_pq):
        exported = runner.invoke(app, ["export", str(store), "transactions", "--out", str(out)])
        assert exported.exit_code == 0, exported.output
    assert pq.read_table(out_pq).num_rows == 3

    # an exported CSV loads back into a fresh store unchanged
    again = tmp_path / "again.duckdb"
    reload = runner.invoke(app, ["ingest", str(again), str(out_csv), "--table", "transactions"])
    assert reload.exit_code == 0, reload.output
    with open_engine(store) as a, open_engine(again) as b:
        assert a.table("transactions").equals(b.table("transactions"))


def test_clear_error_and_exit_code_for_bad_arguments(tmp_path: Path) -> None:
    result = runner.invoke(app, ["ingest", str(tmp_path / "s.duckdb"), str(tmp_path / "x.csv")])
    assert result.exit_code == 2
    assert "no such file" in result.output or "--table" in result.output
    missing = runner.invoke(app, ["status", str(tmp_path / "nope.duckdb")])
    assert missing.exit_code == 2
