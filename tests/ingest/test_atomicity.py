"""A load is atomic: a real SIGKILL mid-load leaves the store exactly as it was."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fraudnet.engine import open_engine

LOADER = """
import sys
from fraudnet.engine import open_engine
from fraudnet.ingest import ingest
store = open_engine(sys.argv[1], sys.argv[2])
ingest(store, sys.argv[3], table="transactions", progress=lambda m: print(m, flush=True))
print("done", flush=True)
"""


def _write_big_csv(path: Path, rows: int) -> None:
    with open(path, "w") as fh:
        fh.write("txn_id,ts,amount,currency,src_account,dst_account,channel\n")
        for i in range(rows):
            amount = f"{i % 997}.{i % 100:02d}"
            fh.write(f"k{i},2024-01-01 00:00:{i % 60:02d},{amount},GBP,A{i % 91},B{i % 89},fps\n")


def _run_and_kill(store: Path, engine: str, csv_path: Path, stage: str, delay: float) -> bool:
    """Start a load, SIGKILL it `delay` s after it prints `stage`; True if it was still running."""
    proc = subprocess.Popen(
        [sys.executable, "-c", LOADER, str(store), engine, str(csv_path)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith(stage):
            break
    time.sleep(delay)
    alive = proc.poll() is None
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    return alive


@pytest.mark.parametrize("stage", ["reading", "committing"])
def test_sigkill_leaves_store_as_it_was(tmp_path: Path, engine_name: str, stage: str) -> None:
    rows = 300_000 if engine_name == "duckdb" else 60_000
    csv_path = tmp_path / "big.csv"
    _write_big_csv(csv_path, rows)
    location = tmp_path / ("s.duckdb" if engine_name == "duckdb" else "spark-store")
    seed = tmp_path / "seed.csv"
    seed.write_text(
        "txn_id,ts,amount,currency,src_account,dst_account,channel\nseed,2024-01-01,1,GBP,A,B,fps\n"
    )
    with open_engine(location, engine_name) as store:
        from fraudnet.ingest import ingest

        ingest(store, seed, table="transactions")
    killed_mid_load = _run_and_kill(location, engine_name, csv_path, stage, 0.05)
    with open_engine(location, engine_name) as store:
        count = store.count("transactions")
        logs = store.count("ingest_log")
        quarantined = store.count("quarantine")
    if killed_mid_load:
        assert (count, logs, quarantined) == (1, 1, 0)
    else:  # the load won the race: then it must be whole
        assert (count, logs) == (rows + 1, 2)
    assert killed_mid_load, f"the load finished before the kill during {stage}: use more rows"
