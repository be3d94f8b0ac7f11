"""A multi-rule trace stores all its rules or none, and unknown report ids are refused."""

from __future__ import annotations

import shutil
import signal
import subprocess
import time
from datetime import datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fraudnet.cli.main import app
from fraudnet.engine import Engine, open_engine
from fraudnet.simulate import simulate_world
from fraudnet.trace import UnknownReportError, prepare, rule_names, trace_reports, trace_rules
from tests.cli.process import cli_command, cli_env, run_cli
from tests.trace.ledgers import MIXED_ACCOUNTS, MIXED_PAYMENTS, MIXED_REPORTS, write_ledger

Fingerprint = tuple[tuple[str, str, int, str], ...]


def fingerprint(engine: Engine) -> Fingerprint:
    """Per table, rule and cut-off: row count and money, enough to tell two runs apart."""
    rows = engine.sql(
        "SELECT 'traces' AS t, rule, COUNT(*) AS n, CAST(SUM(amount) AS VARCHAR) AS s, "
        "CAST(MIN(as_of) AS VARCHAR) || '/' || CAST(MAX(as_of) AS VARCHAR) AS cut FROM traces "
        "GROUP BY rule UNION ALL "
        "SELECT 'trace_flows', rule, COUNT(*), CAST(SUM(amount) AS VARCHAR), "
        "CAST(MIN(as_of) AS VARCHAR) || '/' || CAST(MAX(as_of) AS VARCHAR) FROM trace_flows "
        "GROUP BY rule ORDER BY 1, 2"
    ).to_pylist()
    return tuple((r["t"], r["rule"], r["n"], f"{r['s']}@{r['cut']}") for r in rows)


def test_unknown_report_is_an_error_naming_it(duck_store: Engine, tmp_path: Path) -> None:
    write_ledger(duck_store, MIXED_ACCOUNTS, MIXED_PAYMENTS, MIXED_REPORTS)
    with pytest.raises(UnknownReportError, match=r"unknown report id\(s\): NOPE, ZZZ"):
        prepare(duck_store, ["R1", "ZZZ", "NOPE"])
    assert len(prepare(duck_store, ["R1"]).reports) == 1


def test_cli_trace_unknown_report_fails(tmp_path: Path) -> None:
    location = tmp_path / "s.duckdb"
    with open_engine(location, "duckdb") as engine:
        write_ledger(engine, MIXED_ACCOUNTS, MIXED_PAYMENTS, MIXED_REPORTS)
    result = CliRunner().invoke(app, ["trace", str(location), "--report", "UNKNOWN"])
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "error: field '--report': unknown report id(s): UNKNOWN (not in fraud_reports)"
    )
    assert "Traced" not in result.output
    with open_engine(location, "duckdb") as engine:
        assert engine.count("traces") == 0


def test_trace_rules_replaces_exactly_the_traced_pairs(duck_store: Engine) -> None:
    write_ledger(duck_store, MIXED_ACCOUNTS, MIXED_PAYMENTS, MIXED_REPORTS)
    trace_rules(duck_store, rule_names())
    full = fingerprint(duck_store)
    assert {r[1] for r in full} == set(rule_names())
    trace_rules(duck_store, rule_names())  # re-running duplicates nothing
    assert fingerprint(duck_store) == full
    # re-tracing one report under two rules keeps the other report and rules as they were
    before = duck_store.sql("SELECT * FROM traces ORDER BY ALL")
    trace_rules(duck_store, ["fifo", "lifo"], report_ids=["R2"])
    assert duck_store.sql("SELECT * FROM traces ORDER BY ALL").equals(before)
    single = trace_reports(duck_store, rule="fifo", store=False)
    assert (
        single.traces.num_rows
        == duck_store.sql("SELECT * FROM traces WHERE rule = 'fifo'").num_rows
    )


# ---- SIGKILL at many points of `fraudnet trace STORE --rule all` --------------------------

KILLS = 12
ONLY = "trace_commands"  # the real app and `trace` command, without importing the others


@pytest.fixture(scope="module")
def traced_world(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Fingerprint]:
    """A small simulated store already traced (all rules) with the ledger cut halfway."""
    folder = tmp_path_factory.mktemp("killed-trace")
    location = folder / "base.duckdb"
    with open_engine(location, "duckdb") as engine:
        simulate_world(engine, accounts=2000, days=60, seed=3)
        span = engine.sql("SELECT MIN(ts) AS a, MAX(ts) AS b FROM transactions").to_pylist()[0]
        halfway: datetime = span["a"] + (span["b"] - span["a"]) / 2
        trace_rules(engine, rule_names(), as_of=halfway)
        old = fingerprint(engine)
    assert {r[1] for r in old} == set(rule_names())
    return location, old


@pytest.mark.slow
def test_sigkill_leaves_all_old_or_all_new_rules(
    traced_world: tuple[Path, Fingerprint], tmp_path: Path
) -> None:
    base, old = traced_world
    store = tmp_path / "s.duckdb"
    shutil.copy(base, store)
    started = time.monotonic()
    complete = run_cli(["trace", store, "--rule", "all"], only=ONLY)
    full_run = time.monotonic() - started
    assert complete.returncode == 0, complete.stderr
    with open_engine(store, "duckdb") as engine:
        new = fingerprint(engine)
    assert new != old and {r[1] for r in new} == set(rule_names())
    started = time.monotonic()
    assert run_cli(["trace", "--help"], only=ONLY).returncode == 0
    start_up = time.monotonic() - started  # before this the command has touched nothing
    outcomes = []
    for i in range(KILLS):
        delay = start_up * 0.9 + (full_run - start_up * 0.9) * i / (KILLS - 1)
        outcomes.append(_kill_after(base, store, delay))
        with open_engine(store, "duckdb") as engine:
            after = fingerprint(engine)
        assert after in (old, new), f"kill after {delay:.2f}s left a partial set: {after}"
        outcomes[-1] = "new" if after == new else outcomes[-1]
    assert "old" in outcomes  # at least one kill landed before the commit


def _kill_after(base: Path, store: Path, delay: float) -> str:
    for leftover in store.parent.glob(store.name + "*"):
        leftover.unlink()
    shutil.copy(base, store)
    child = subprocess.Popen(
        cli_command(["trace", store, "--rule", "all"], ONLY),
        env=cli_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        child.wait(timeout=delay)
        return "finished"
    except subprocess.TimeoutExpired:
        child.send_signal(signal.SIGKILL)
        child.wait()
        return "old"
