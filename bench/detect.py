"""Benchmark: features + scoring (fraudnet detect) vs a pandas + networkx baseline.

    PYTHONPATH=. .venv/bin/python bench/detect.py --accounts 1000000 --days 28

Each step runs in its own process so its peak memory (ru_maxrss) is its own. The baseline runs
on a smaller world (--baseline-accounts) and is extrapolated linearly per transaction to the
full size, which flatters it (its graph loops grow faster than linearly); fraudnet detect is
measured on that same small world too, in the same run. Writes bench/results/detect.json.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

RESULTS = Path(__file__).parent / "results" / "detect.json"


def step_generate(path: Path, accounts: int, days: int, seed: int) -> dict[str, object]:
    from fraudnet.engine import open_engine
    from fraudnet.simulate import simulate_world

    started = time.perf_counter()
    with open_engine(path, "duckdb") as engine:
        summary = simulate_world(engine, accounts=accounts, days=days, seed=seed)
    return {"transactions": summary.transactions, "seconds": time.perf_counter() - started}


def step_detect(path: Path) -> dict[str, object]:
    from fraudnet.detect import detect
    from fraudnet.engine import open_engine

    started = time.perf_counter()
    with open_engine(path, "duckdb") as engine:
        transactions = engine.count("transactions")
        result = detect(engine, alert_budget=1000, seed=0, write=False)
        total = time.perf_counter() - started
        started_write = time.perf_counter()
        from fraudnet.detect.pipeline import write_results

        write_results(engine, result)
    return {
        "seconds": round(total, 2),
        "write_seconds": round(time.perf_counter() - started_write, 2),
        "timings": result.timings,
        "accounts": len(result.features),
        "transactions": transactions,
        "mode": result.mode,
    }


def step_baseline(path: Path) -> dict[str, object]:
    import pandas as pd
    from detect_baseline import baseline_features, baseline_scores

    from fraudnet.engine import open_engine

    with open_engine(path, "duckdb") as engine:
        txn = engine.sql(
            "SELECT ts, CAST(amount AS DOUBLE) AS amount, src_account AS src, "
            "dst_account AS dst FROM transactions"
        ).to_pandas()
    started = time.perf_counter()
    as_of = pd.Timestamp(txn["ts"].max()).to_pydatetime()
    features = baseline_features(txn, as_of)
    baseline_scores(features)
    return {"seconds": round(time.perf_counter() - started, 2), "accounts": len(features)}


STEPS = ("generate", "detect", "baseline")


def child(step: str, *args: str) -> dict[str, object]:
    """Run one step in a fresh process; returns its result plus peak RSS in GiB."""
    command = [sys.executable, __file__, "--step", step, *args]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return dict(json.loads(output.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--accounts", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=28)
    parser.add_argument("--baseline-accounts", type=int, default=20_000)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/fraudnet-bench-detect"))
    parser.add_argument("--step", choices=sorted(STEPS))
    parser.add_argument("--path", type=Path)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    if args.step:
        if args.step == "generate":
            result = step_generate(args.path, args.accounts, args.days, args.seed)
        elif args.step == "detect":
            result = step_detect(args.path)
        else:
            result = step_baseline(args.path)
        result["peak_rss_gib"] = round(
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20, 2
        )
        print(json.dumps(result))
        return
    args.workdir.mkdir(parents=True, exist_ok=True)
    report: dict[str, object] = {"accounts": args.accounts, "days": args.days}
    for label, accounts in (("small", args.baseline_accounts), ("full", args.accounts)):
        path = args.workdir / f"world-{accounts}-{args.days}.duckdb"
        if not path.exists():
            gen = child(
                "generate",
                "--path",
                str(path),
                "--accounts",
                str(accounts),
                "--days",
                str(args.days),
                "--seed",
                str(args.seed),
            )
            report[f"{label}_generate"] = gen
        report[f"{label}_detect"] = child("detect", "--path", str(path))
        if label == "small":
            report["small_baseline"] = child("baseline", "--path", str(path))
        print(json.dumps(report, indent=1), flush=True)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
