"""Benchmark: generate a synthetic world and write it into a DuckDB store.

Target (issue 3): 1M accounts and about 10M transactions in under 5 minutes with peak memory
under 8 GiB on the 2-core machine. Each size runs in its own child process so its peak RSS is
its own; a smaller baseline world runs in the same invocation so the scaling ratio compares
like with like on the same (shared) machine.

    .venv/bin/python bench/simulate.py                      # 1M accounts x 30 days + baseline
    .venv/bin/python bench/simulate.py --accounts 200000    # a quicker look
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from provenance import RunRecord

RESULTS = Path(__file__).parent / "results" / "simulate.json"
TIME_LIMIT_S = 300.0
MEMORY_LIMIT_GIB = 8.0


class PeakRss:
    """Samples this process's resident set size (the kernel's ru_maxrss is the cross-check)."""

    def __init__(self, interval_s: float = 0.05) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(interval_s,), daemon=True)

    def _run(self, interval_s: float) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, _rss_bytes())
            time.sleep(interval_s)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _rss_bytes() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def run_child(accounts: int, days: int, seed: int) -> dict[str, Any]:
    """Generate and write one world; report times, rows and peak memory."""
    from fraudnet.engine import open_engine
    from fraudnet.simulate import generate_world
    from fraudnet.simulate.writer import WORLD_TABLES

    with tempfile.TemporaryDirectory() as tmp, PeakRss() as sampler:
        store = Path(tmp) / "world.duckdb"
        started = time.perf_counter()
        world = generate_world(accounts=accounts, days=days, seed=seed)
        generated = time.perf_counter()
        with open_engine(store, "duckdb") as engine:
            engine.commit(appends={name: world.tables[name] for name in WORLD_TABLES})
        written = time.perf_counter()
        rows = {name: world.tables[name].num_rows for name in WORLD_TABLES}
        store_mib = store.stat().st_size / 2**20
    gib = 2**30
    return {
        "accounts": accounts,
        "days": days,
        "seed": seed,
        "rows": rows,
        "networks": world.counts["networks"],
        "mule_accounts": world.counts["mule_accounts"],
        "generate_s": round(generated - started, 2),
        "write_s": round(written - generated, 2),
        "total_s": round(written - started, 2),
        "stage_s": world.timings,
        "peak_rss_gib_sampled": round(sampler.peak / gib, 2),
        "peak_rss_gib_maxrss": round(
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / gib, 2
        ),
        "store_mib": round(store_mib, 1),
    }


def measure(accounts: int, days: int, seed: int) -> dict[str, Any]:
    """Run one size in a fresh child process."""
    cmd = [sys.executable, __file__, "--child", "--accounts", str(accounts), "--days", str(days)]
    cmd += ["--seed", str(seed)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return dict(json.loads(out.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--accounts", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--baseline-accounts", type=int, default=100_000)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_child(args.accounts, args.days, args.seed)))
        return
    record = RunRecord()
    baseline = measure(args.baseline_accounts, args.days, args.seed)
    print("baseline", json.dumps(baseline), flush=True)
    full = measure(args.accounts, args.days, args.seed)
    print("full", json.dumps(full), flush=True)
    per_m = {
        name: run["total_s"] / run["rows"]["transactions"] * 1e6 for name, run in
        (("baseline", baseline), ("full", full))
    }  # fmt: skip
    peak = max(full["peak_rss_gib_sampled"], full["peak_rss_gib_maxrss"])
    result = {
        "benchmark": "simulate",
        "target": {"total_s": TIME_LIMIT_S, "peak_rss_gib": MEMORY_LIMIT_GIB},
        "baseline": baseline,
        "full": full,
        "seconds_per_million_transactions": {k: round(v, 2) for k, v in per_m.items()},
        "scaling_ratio_full_vs_baseline_per_transaction": round(
            per_m["full"] / per_m["baseline"], 2
        ),
        "meets_time_target": full["total_s"] < TIME_LIMIT_S,
        "meets_memory_target": peak < MEMORY_LIMIT_GIB,
        "run": record.finish(),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
