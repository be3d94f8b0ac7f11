"""Benchmark: features + scoring (fraudnet detect) vs a pandas + networkx baseline, same world.

    PYTHONPATH=. .venv/bin/python bench/detect.py --accounts 1000000 --days 28

Each step runs in a child process of its own, so its peak memory (ru_maxrss) is its own.
Simulated worlds are cached in --workdir (a million accounts take minutes to simulate).
fraudnet detect and the baseline run on the same full-size world in the same invocation; the
baseline runs under a wall-clock cap and a memory cap, and when it is stopped the result is a
lower bound ("more than X seconds"), which bounds the speed-up from below. A smaller world
(--small-accounts, 0 to skip) is measured the same way, both tools to completion, to show
how each grows. Writes bench/results/detect.json (or --out). Each step records the commit it
ran on and the load average (1, 5, 15 minutes) when it started and ended; both tools' scores
are checked against the simulator's ground truth (PR-AUC), so a fast but useless baseline
shows. The ratio baseline / fraudnet is reported for each world size under "ratios".
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from provenance import RunRecord, git_commit, load_average

if TYPE_CHECKING:
    import pandas as pd

    from fraudnet.engine import Engine

RESULTS = Path(__file__).parent / "results" / "detect.json"
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
"""As fraudnet sets on import: OpenMP threads (LightGBM) sleep while they wait. Set before
either step loads an OpenMP runtime, so the baseline (which imports LightGBM before fraudnet)
runs under the same policy as fraudnet detect."""
STEPS = ("generate", "detect", "baseline")


def step_generate(path: Path, accounts: int, days: int, seed: int) -> dict[str, object]:
    from fraudnet.engine import open_engine
    from fraudnet.simulate import simulate_world

    started = time.perf_counter()
    with open_engine(path, "duckdb") as engine:
        summary = simulate_world(engine, accounts=accounts, days=days, seed=seed)
    return {"transactions": summary.transactions, "seconds": time.perf_counter() - started}


def step_detect(path: Path) -> dict[str, object]:
    from fraudnet.detect import detect
    from fraudnet.detect.pipeline import write_results
    from fraudnet.engine import open_engine

    with open_engine(path, "duckdb") as engine:
        transactions = engine.count("transactions")
        started = time.perf_counter()
        result = detect(engine, alert_budget=1000, seed=0, write=False)
        total = time.perf_counter() - started
        started_write = time.perf_counter()
        write_results(engine, result)
        scores = result.scores.select(["account_id", "score"]).to_pandas()
        quality = _pr_auc(engine, scores.set_index("account_id")["score"])
    return {
        "seconds": round(total, 2),
        "write_seconds": round(time.perf_counter() - started_write, 2),
        "timings": result.timings,
        "accounts": len(result.features),
        "transactions": transactions,
        "mode": result.mode,
        "pr_auc": quality,
    }


def step_baseline(path: Path, progress: Path) -> dict[str, object]:
    import pandas as pd
    from detect_baseline import load_world, run_baseline

    from fraudnet.engine import open_engine

    started = time.perf_counter()
    with open_engine(path, "duckdb") as engine:
        world = load_world(engine)
    load_seconds = time.perf_counter() - started
    started = time.perf_counter()
    progress.write_text(json.dumps({"features_started_at": time.time()}))
    as_of = pd.Timestamp(world.txn["ts"].max()).to_pydatetime()
    features, score = run_baseline(world, as_of)
    seconds = time.perf_counter() - started
    with open_engine(path, "duckdb") as engine:
        quality = _pr_auc(engine, pd.Series(score, index=features.index))
    return {
        "seconds": round(seconds, 2),
        "load_seconds": round(load_seconds, 2),
        "accounts": len(features),
        "features": features.shape[1],
        "pr_auc": quality,
    }


def _pr_auc(engine: Engine, score: pd.Series) -> float:
    """Average precision of `score` (a Series by account id) against the simulator's truth."""
    from sklearn.metrics import average_precision_score

    from fraudnet.detect.labels import ground_truth_accounts

    truth = ground_truth_accounts(engine)
    values = score.reindex(truth.index).fillna(0.0)
    return round(float(average_precision_score(truth.to_numpy(), values.to_numpy())), 4)


def _rss_gib(pid: int) -> float:
    """Resident memory of a running process (Linux /proc), 0 once it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 2**20
    except OSError:
        pass
    return 0.0


def child(
    step: str, *args: str, cap_s: float | None = None, max_gib: float | None = None
) -> dict[str, object]:
    """Run one step in a fresh process; its result plus peak RSS in GiB.

    With a cap, the process is killed when it runs longer than `cap_s` seconds or holds more
    than `max_gib` GiB; the result then says which cap stopped it and when.
    """
    command = [sys.executable, __file__, "--step", step, *args]
    started = time.perf_counter()
    load = load_average()
    peak = 0.0
    stopped = None
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as proc:
        while proc.poll() is None:
            peak = max(peak, _rss_gib(proc.pid))
            elapsed = time.perf_counter() - started
            if cap_s is not None and elapsed > cap_s:
                stopped = "time cap"
            elif max_gib is not None and peak > max_gib:
                stopped = "memory cap"
            if stopped:
                proc.kill()
                proc.wait()
                break
            time.sleep(0.5)
        output = proc.stdout.read() if proc.stdout else ""
    wall = round(time.perf_counter() - started, 1)
    context = {
        "wall_seconds": wall,
        "commit": git_commit(),
        "load_average_at_start": load,
        "load_average_at_end": load_average(),
    }
    if stopped:
        stopped_at = {"stopped_at": time.time(), "peak_rss_gib_seen": round(peak, 2)}
        return {"stopped_by": stopped, **stopped_at, **context}
    if proc.returncode != 0:
        raise RuntimeError(f"step {step} failed with exit code {proc.returncode}")
    return {**json.loads(output.strip().splitlines()[-1]), **context}


def world(workdir: Path, accounts: int, days: int, seed: int) -> tuple[Path, dict[str, object]]:
    """A cached simulated world (generated on first use) and how long generating it took."""
    path = workdir / f"world-{accounts}-{days}-{seed}.duckdb"
    if path.exists():
        return path, {"cached": True}
    args = ["--path", str(path), "--accounts", str(accounts), "--days", str(days)]
    return path, child("generate", *args, "--seed", str(seed))


def measure(
    workdir: Path, args: argparse.Namespace, accounts: int, capped: bool
) -> dict[str, object]:
    """fraudnet detect, then the baseline, on one world; the speed-up (or its lower bound)."""
    path, generated = world(workdir, accounts, args.days, args.seed)
    report: dict[str, object] = {"accounts": accounts, "generate": generated}
    report["detect"] = detect = child("detect", "--path", str(path))
    progress = workdir / f"baseline-progress-{accounts}.json"
    progress.unlink(missing_ok=True)
    caps = {"cap_s": args.baseline_cap_s, "max_gib": args.baseline_max_gib} if capped else {}
    baseline = child("baseline", "--path", str(path), "--progress", str(progress), **caps)
    report["baseline"] = baseline
    ours = float(str(detect["seconds"]))
    if "stopped_by" in baseline:
        started = json.loads(progress.read_text()) if progress.exists() else {}
        stopped_at = float(str(baseline.pop("stopped_at")))
        at_least = stopped_at - float(started.get("features_started_at", stopped_at))
        baseline["features_seconds_at_least"] = round(at_least, 1)
        report["speedup_at_least"] = round(at_least / ours, 1)
    else:
        report["speedup"] = round(float(str(baseline["seconds"])) / ours, 1)
    return report


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--accounts", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=28)
    parser.add_argument("--small-accounts", type=int, default=100_000)
    parser.add_argument("--baseline-cap-s", type=float, default=1_500.0)
    parser.add_argument("--baseline-max-gib", type=float, default=14.0)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/fraudnet-bench-detect"))
    parser.add_argument("--step", choices=sorted(STEPS))
    parser.add_argument("--path", type=Path)
    parser.add_argument("--progress", type=Path)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--out", type=Path, default=RESULTS, help="results file to write")
    args = parser.parse_args()
    if args.step:
        if args.step == "generate":
            result = step_generate(args.path, args.accounts, args.days, args.seed)
        elif args.step == "detect":
            result = step_detect(args.path)
        else:
            result = step_baseline(args.path, args.progress)
        result["peak_rss_gib"] = round(
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20, 2
        )
        print(json.dumps(result))
        return
    args.workdir.mkdir(parents=True, exist_ok=True)
    run = RunRecord()
    report: dict[str, object] = {
        "days": args.days,
        "seed": args.seed,
        "cores": os.cpu_count(),
        "run": run.finish(),
        "baseline_caps": {"seconds": args.baseline_cap_s, "gib": args.baseline_max_gib},
    }
    sizes = [("full", args.accounts, True)]
    if args.small_accounts:
        sizes.append(("small", args.small_accounts, False))
    ratios: dict[str, object] = {}
    report["ratios"] = ratios
    for label, accounts, capped in sizes:
        report[label] = measured = measure(args.workdir, args, accounts, capped=capped)
        ratio = measured.get("speedup", measured.get("speedup_at_least"))
        ratios[str(accounts)] = ratio if "speedup" in measured else f"at least {ratio}"
        report["run"] = run.finish()
        print(json.dumps(report, indent=1), flush=True)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(report, indent=1) + "\n")


if __name__ == "__main__":
    main()
