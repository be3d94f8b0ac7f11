"""Benchmark: the whole job, from a bank's files to an intelligence report, as a user runs it.

    .venv/bin/python bench/pipeline.py --accounts 1000000 --days 30

Set-up (cached in --workdir, not timed): the simulator builds a world and exports what a
bank would hand over to files: transactions as CSV, accounts, parties, identifiers, events
and fraud reports as Parquet. Ground truth (labels, party_truth) stays out of the store.

Timed, each stage as the `fraudnet` command a user would type, in a process of its own so
its peak RSS is its own: ingest (one command per file), resolve, detect (unsupervised, fraud
reports only), networks, trace (every report, the CLI's default rule) and the HTML report of
the top network. The job's wall time is the sum of the stages, its peak the largest stage
peak. After the run, untimed, the alerts and networks are scored against the ground truth
so a fast but broken run cannot pass unnoticed. Writes bench/results/pipeline.json.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from provenance import RunRecord

RESULTS = Path(__file__).parent / "results" / "pipeline.json"
TARGET = {"total_s": 300.0, "peak_rss_gib": 8.0}
# What a bank hands over; the simulator's ground truth is not among them.
INPUT_FILES = {
    "accounts": "accounts.parquet",
    "parties": "parties.parquet",
    "identifiers": "identifiers.parquet",
    "events": "events.parquet",
    "fraud_reports": "fraud_reports.parquet",
    "transactions": "transactions.csv",
}
ALERT_BUDGET = 1000


def fraudnet_cli() -> str:
    return str(Path(sys.executable).with_name("fraudnet"))


def build_world(workdir: Path, accounts: int, days: int, seed: int) -> dict[str, Any]:
    """Simulate once and export the bank's files; later runs reuse them."""
    world = workdir / "world.duckdb"
    files = workdir / "files"
    done = files / ".complete"
    if done.exists():
        return {"cached": True}
    from fraudnet.engine import open_engine
    from fraudnet.simulate import simulate_world

    shutil.rmtree(files, ignore_errors=True)
    world.unlink(missing_ok=True)
    files.mkdir(parents=True)
    started = time.perf_counter()
    with open_engine(world, "duckdb") as engine:
        summary = simulate_world(engine, accounts=accounts, days=days, seed=seed)
        simulated = time.perf_counter() - started
        for table, name in INPUT_FILES.items():
            fmt = "(FORMAT csv, HEADER)" if name.endswith(".csv") else "(FORMAT parquet)"
            engine.execute(f"COPY {table} TO '{files / name}' {fmt}")
    done.touch()
    return {
        "cached": False,
        "simulate_s": round(simulated, 1),
        "export_s": round(time.perf_counter() - started - simulated, 1),
        "rows": summary.rows,
    }


def run_stage(name: str, args: list[str], log: Path) -> dict[str, Any]:
    """One CLI command, timed, with its own peak RSS (from wait4)."""
    started = time.perf_counter()
    load_start = os.getloadavg()[0]
    with log.open("ab") as out:
        out.write(f"\n$ fraudnet {' '.join(args)}\n".encode())
        out.flush()
        proc = subprocess.Popen([fraudnet_cli(), *args], stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    print(
        f"  {name:10s} {seconds:7.1f} s  {usage.ru_maxrss / 2**20:5.2f} GiB  rc={code}", flush=True
    )
    return {
        "seconds": round(seconds, 1),
        "peak_rss_gib": round(usage.ru_maxrss / 2**20, 2),
        "rc": code,
        "load_average_at_start": round(load_start, 2),
    }


def top_network(store: Path) -> str | None:
    import duckdb

    with duckdb.connect(str(store), read_only=True) as con:
        row = con.sql(
            "SELECT network_id FROM networks ORDER BY victim_funds DESC NULLS LAST, network_id "
            "LIMIT 1"
        ).fetchall()
    return str(row[0][0]) if row else None


def run_job(workdir: Path, skip: frozenset[str] = frozenset()) -> dict[str, Any]:
    store = workdir / "job.duckdb"
    for stale in (store, Path(f"{store}.wal")):
        stale.unlink(missing_ok=True)
    log = workdir / "job.log"
    log.unlink(missing_ok=True)
    files = workdir / "files"
    stages: dict[str, Any] = {}
    ingest = [
        run_stage(f"ingest {t}", ["ingest", str(store), str(files / f), "--table", t], log)
        for t, f in INPUT_FILES.items()
    ]
    stages["ingest"] = {
        "seconds": round(sum(s["seconds"] for s in ingest), 1),
        "peak_rss_gib": max(s["peak_rss_gib"] for s in ingest),
        "rc": max(abs(s["rc"]) for s in ingest),
        "files": dict(zip(INPUT_FILES, ingest, strict=True)),
    }
    plan = [
        ("resolve", ["resolve", str(store)]),
        ("detect", ["detect", str(store), "--alert-budget", str(ALERT_BUDGET)]),
        ("networks", ["networks", str(store)]),
        ("trace", ["trace", str(store)]),
    ]
    for name, args in plan:
        if any(s["rc"] for s in stages.values()):
            break
        if name in skip:
            continue
        stages[name] = run_stage(name, args, log)
    if not any(s["rc"] for s in stages.values()):
        network = top_network(store)
        if network is not None:
            report = workdir / "top-network.html"
            stages["report"] = run_stage(
                "report", ["report", str(store), "--network", network, "--out", str(report)], log
            )
            stages["report"]["network"] = network
    return stages


def score_job(workdir: Path) -> dict[str, Any]:
    """Alerts and networks against the simulator's ground truth (untimed)."""
    import duckdb

    from fraudnet.networks.evaluate import score_networks

    with duckdb.connect(str(workdir / "job.duckdb"), read_only=True) as con:
        con.sql(f"ATTACH '{workdir / 'world.duckdb'}' AS world (READ_ONLY)")
        row = con.sql(
            """
            WITH mules AS (SELECT DISTINCT subject FROM world.labels
                           WHERE source = 'ground_truth' AND (label LIKE 'mule%'
                              OR label IN ('herder', 'collector')))
            SELECT COUNT(*) AS alerts,
                   COUNT(*) FILTER (WHERE account_id IN (SELECT subject FROM mules)) AS hits,
                   (SELECT COUNT(*) FROM mules) AS mules
            FROM alerts
            """
        ).fetchall()[0]
        truth = con.sql(
            "SELECT subject, label, network_id FROM world.labels WHERE source = 'ground_truth'"
        ).to_arrow_table()
        roles = con.sql("SELECT * FROM network_roles").to_arrow_table()
        accounts = {r[0] for r in con.sql("SELECT account_id FROM accounts").fetchall()}
        counts = {
            t: con.sql(f"SELECT COUNT(*) FROM {t}").fetchall()[0][0]
            for t in ("transactions", "entities", "alerts", "networks", "traces", "quarantine")
        }
    alerts, hits, mules = (int(x) for x in row)
    scores = score_networks(truth, roles, accounts)
    return {
        "rows": counts,
        "alert_precision": round(hits / alerts, 3) if alerts else None,
        "mules_in_world": mules,
        "network_pair_f1": scores.pair_f1,
        "herder_precision": scores.herder_precision,
        "herder_recall": scores.herder_recall,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--accounts", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument(
        "--skip", default="", help="stages to leave out while diagnosing (never in a result)"
    )
    args = parser.parse_args()
    skip = frozenset(filter(None, args.skip.split(",")))
    record = RunRecord()
    workdir = args.workdir or Path(
        os.environ.get("TMPDIR", "/tmp"), f"fraudnet-pipeline-{args.accounts}-{args.days}"
    )
    workdir.mkdir(parents=True, exist_ok=True)
    world = build_world(workdir, args.accounts, args.days, args.seed)
    print(f"world in {workdir}: {world}", flush=True)
    setup_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    stages = run_job(workdir, skip)
    total = round(sum(s["seconds"] for s in stages.values()), 1)
    peak = max(s["peak_rss_gib"] for s in stages.values())
    failed = [name for name, s in stages.items() if s["rc"]]
    out: dict[str, Any] = {
        "benchmark": "pipeline",
        "command": " ".join(["bench/pipeline.py", *sys.argv[1:]]),
        "accounts": args.accounts,
        "days": args.days,
        "seed": args.seed,
        "world": world,
        "setup_peak_rss_gib": round(setup_rss, 2),
        "stages": stages,
        "total_s": total,
        "peak_rss_gib": peak,
        "failed_stages": failed,
        "target": TARGET,
        "meets_target": not failed and total < TARGET["total_s"] and peak < TARGET["peak_rss_gib"],
    }
    if not failed:
        out["quality"] = score_job(workdir)
    out["run"] = record.finish()
    print(json.dumps(out, indent=1))
    if not args.no_write and not skip:
        RESULTS.write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
