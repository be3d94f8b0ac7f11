"""Entity resolution on the simulator's worlds: quality at 100k accounts, time and memory at 1M.

    .venv/bin/python bench/resolve_simulator.py             # quality (fresh seeds) + 1M run
    .venv/bin/python bench/resolve_simulator.py --no-scale  # quality only

Quality: for each of FRESH_SEEDS (fixed before the run, never looked at while developing),
a 100k-account x 30-day world is simulated, its parties, accounts and identifiers loaded into
a fresh DuckDB store and resolved by `resolve_parties` (model trained from scratch); pairwise
precision and recall are scored against the simulator's `party_truth`.

Scale: the 1M-account x 30-day world of bench/pipeline.py (seed 5, built there if missing)
is resolved in a child process of its own so that its peak RSS (wait4) is resolve's alone;
the 1-minute load average is sampled during the run (the machine is shared). Candidate pairs
per blocking key come from `ResolutionResult.blocking`. Results: resolve_simulator.json.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
from provenance import RunRecord

from fraudnet.engine import Engine, open_engine
from fraudnet.resolve import resolve_parties
from resolve import THRESHOLD, pair_quality

RESULTS = Path(__file__).parent / "results" / "resolve_simulator.json"
FRESH_SEEDS = (9301, 9302, 9303)
"""Worlds scored once for the results file; not looked at while the code was changed."""
DEV_SEEDS = {"100k": (1,), "20k": (3,), "5k": (3, 4)}
"""Worlds looked at while developing the email fix (development seeds, not evidence)."""
QUALITY_ACCOUNTS = 100_000
SCALE_ACCOUNTS, SCALE_DAYS, SCALE_SEED = 1_000_000, 30, 5
STORE_TABLES = ("parties", "accounts", "identifiers")


def _truth(table: pa.Table) -> pl.DataFrame:
    truth = pl.from_arrow(table)
    assert isinstance(truth, pl.DataFrame)
    return truth.select(pl.col("party_id").cast(pl.String), pl.col("person_id").cast(pl.String))


def _resolved_quality(engine: Engine, truth: pl.DataFrame) -> dict[str, Any]:
    entities = pl.from_arrow(engine.table("entities").select(["party_id", "entity_id"]))
    assert isinstance(entities, pl.DataFrame)
    return {**pair_quality(entities, truth), "entities": int(entities["entity_id"].n_unique())}


def quality_run(seed: int) -> dict[str, Any]:
    """One fresh world at QUALITY_ACCOUNTS, resolved from scratch and scored."""
    from fraudnet.simulate import world_tables

    tables = world_tables(accounts=QUALITY_ACCOUNTS, days=30, seed=seed)
    with tempfile.TemporaryDirectory() as folder:
        engine = open_engine(Path(folder) / "world.duckdb", "duckdb")
        for name in STORE_TABLES:
            engine.append(name, tables[name])
        started = time.perf_counter()
        result = resolve_parties(engine, threshold=THRESHOLD)
        seconds = time.perf_counter() - started
        quality = _resolved_quality(engine, _truth(tables["party_truth"]))
        engine.close()
    return {
        "accounts": QUALITY_ACCOUNTS,
        "days": 30,
        "seed": seed,
        "records": tables["parties"].num_rows,
        "threshold": THRESHOLD,
        **quality,
        "seconds": round(seconds, 1),
        "blocking": result.blocking.as_dict() if result.blocking is not None else None,
    }


def scale_store(workdir: Path) -> Path:
    """A store holding the 1M world's parties, accounts and identifiers (set-up, untimed)."""
    sys.path.insert(0, str(Path(__file__).parent))
    from pipeline import build_world

    build_world(workdir, SCALE_ACCOUNTS, SCALE_DAYS, SCALE_SEED)
    store = workdir / "resolve-bench.duckdb"
    for stale in (store, Path(f"{store}.wal"), Path(f"{store}.resolve-model.json")):
        stale.unlink(missing_ok=True)
    with open_engine(store, "duckdb") as engine:
        for name in STORE_TABLES:
            engine.append(name, pq.read_table(workdir / "files" / f"{name}.parquet"))
    return store


def world_truth(world: Path) -> pa.Table:
    """The simulator's party_truth, read without touching the world store."""
    import duckdb

    with duckdb.connect(str(world), read_only=True) as con:
        return con.sql("SELECT party_id, person_id FROM party_truth").fetch_arrow_table()


def scale_child(store: Path) -> dict[str, Any]:
    """Resolve the store (what `fraudnet resolve` does) and say what blocking generated."""
    with open_engine(store, "duckdb") as engine:
        result = resolve_parties(engine, threshold=THRESHOLD)
    return {
        "step_seconds": result.timings,
        "blocking": result.blocking.as_dict() if result.blocking is not None else None,
        "summary": result.summary(),
    }


class LoadSampler:
    """The 1-minute load average every few seconds while a run lasts."""

    def __init__(self, every_s: float = 10.0) -> None:
        self.samples: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, args=(every_s,), daemon=True)

    def _sample(self, every_s: float) -> None:
        while not self._stop.is_set():
            self.samples.append(round(os.getloadavg()[0], 2))
            self._stop.wait(every_s)

    def __enter__(self) -> LoadSampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


def scale_run(workdir: Path) -> dict[str, Any]:
    store = scale_store(workdir)
    started = time.perf_counter()
    with LoadSampler() as load:
        proc = subprocess.Popen(
            [sys.executable, __file__, "--scale-child", str(store)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout is not None
        output = proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"resolve child failed: {output[-2000:]}")
    child = json.loads(output.strip().splitlines()[-1])
    truth = _truth(world_truth(workdir / "world.duckdb"))
    with open_engine(store, "duckdb") as engine:
        quality = _resolved_quality(engine, truth)
    return {
        "accounts": SCALE_ACCOUNTS,
        "days": SCALE_DAYS,
        "seed": SCALE_SEED,
        "records": child["summary"]["parties"],
        "threshold": THRESHOLD,
        "seconds": round(time.perf_counter() - started, 1),
        "peak_rss_gib": round(usage.ru_maxrss / 2**20, 2),
        "load_average_samples": load.samples,
        **quality,
        **child,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-scale", action="store_true", help="skip the 1M-account run")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/fraudnet-pipeline-1000000-30"))
    parser.add_argument("--scale-child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.scale_child:
        print(json.dumps(scale_child(args.scale_child)))
        return
    record = RunRecord()
    quality = [quality_run(seed) for seed in FRESH_SEEDS]
    for run in quality:
        print(f"seed {run['seed']}: P={run['precision']} R={run['recall']} {run['seconds']} s")
    scale = None if args.no_scale else scale_run(args.workdir)
    if scale is not None:
        print(f"1M: {scale['seconds']} s, {scale['peak_rss_gib']} GiB, P={scale['precision']}")
    results = {
        "run": record.finish(),
        "engine": "duckdb",
        "fresh_seeds": list(FRESH_SEEDS),
        "dev_seeds": {k: list(v) for k, v in DEV_SEEDS.items()},
        "quality": quality,
        "scale": scale,
    }
    RESULTS.write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main()
