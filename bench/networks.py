"""Benchmark: network grouping and herder quality on unseen seeds, engine parity, scale.

Quality: for each seed, a simulated world is written to a fresh DuckDB store WITHOUT its
ground truth (labels and party_truth stay in memory), networks are built from reported fraud
payments (and, with --detect, from the alerts of `fraudnet.detect` run on the label-free
store), then scored against the truth: pairwise F1 of the grouping and herder precision and
recall at party level (see fraudnet.networks.evaluate).

Parity: one small world on DuckDB (igraph) and Spark (SQL joins): same networks?

Scale: network building on the 1M-account x 30-day world (about 10M transactions), against
a 100k-account world built in the same run; each size in its own child process for peak RSS.

    .venv/bin/python bench/networks.py quality --seeds 201 202 203
    .venv/bin/python bench/networks.py parity
    .venv/bin/python bench/networks.py scale
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import resource
import tempfile
import time
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).parent / "results" / "networks.json"
STORE_TABLES = ("transactions", "accounts", "parties", "identifiers", "events", "fraud_reports")


def _store_world(
    location: Path, engine_name: str, accounts: int, days: int, seed: int, mule_share: float = 0
) -> Any:
    from fraudnet.engine import open_engine
    from fraudnet.simulate import SimulationParams, generate_world

    params = SimulationParams().with_(mule_account_share=mule_share) if mule_share else None
    world = generate_world(accounts=accounts, days=days, seed=seed, params=params)
    engine = open_engine(location, engine_name)
    engine.commit(appends={name: world.tables[name] for name in STORE_TABLES})
    return engine, world


def quality(seeds: list[int], accounts: int, days: int, with_detect: bool) -> list[dict[str, Any]]:
    from fraudnet.networks import build_networks
    from fraudnet.networks.evaluate import score_networks

    rows = []
    for seed in seeds:
        with tempfile.TemporaryDirectory() as tmp:
            engine, world = _store_world(Path(tmp) / "s.duckdb", "duckdb", accounts, days, seed)
            truth = world.tables["labels"]
            ids = set(engine.sql("SELECT account_id FROM accounts").column(0).to_pylist())
            modes = ["fraud_reports"] + (["detect_alerts"] if with_detect else [])
            for mode in modes:
                detect_s = 0.0
                if mode == "detect_alerts":
                    from fraudnet.detect import detect

                    started = time.perf_counter()
                    detect(engine)
                    detect_s = time.perf_counter() - started
                started = time.perf_counter()
                result = build_networks(engine, write=False)
                build_s = time.perf_counter() - started
                scores = score_networks(truth, result.roles, ids)
                row = {"seed": seed, "accounts": accounts, "days": days, "seeded_from": mode,
                       "transactions": engine.count("transactions"),
                       "build_s": round(build_s, 2), "detect_s": round(detect_s, 2),
                       **scores.as_dict()}  # fmt: skip
                print(json.dumps(row))
                rows.append(row)
            engine.close()
    return rows


def parity(accounts: int, seed: int, mule_share: float = 0.04) -> dict[str, Any]:
    """One small world on both engines; `mule_share` raises the share of mule accounts."""
    from fraudnet.networks import build_networks

    out: dict[str, Any] = {"accounts": accounts, "seed": seed, "mule_share": mule_share}
    groupings = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in ("duckdb", "spark"):
            location = Path(tmp) / ("s.duckdb" if name == "duckdb" else "spark")
            engine, _ = _store_world(location, name, accounts, 60, seed, mule_share)
            started = time.perf_counter()
            result = build_networks(engine, write=True)
            out[f"{name}_s"] = round(time.perf_counter() - started, 2)
            roles = result.roles.to_pylist()
            groupings[name] = sorted((r["network_id"], r["subject"], r["role"]) for r in roles)
            out[f"{name}_networks"] = result.networks.num_rows
            engine.close()
    out["same_networks_and_roles"] = groupings["duckdb"] == groupings["spark"]
    print(json.dumps(out))
    return out


def _scale_child(accounts: int, days: int, queue: Any) -> None:
    from fraudnet.engine import open_engine
    from fraudnet.networks import build_networks
    from fraudnet.simulate import simulate_world

    with tempfile.TemporaryDirectory(dir="/tmp") as tmp:
        engine = open_engine(Path(tmp) / "s.duckdb", "duckdb")
        started = time.perf_counter()
        simulate_world(engine, accounts=accounts, days=days, seed=0)
        engine.execute("DELETE FROM labels")
        engine.execute("DELETE FROM party_truth")
        sim_s = time.perf_counter() - started
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        result = build_networks(engine)
        build_s = time.perf_counter() - started
        queue.put({
            "accounts": accounts, "days": days,
            "transactions": engine.count("transactions"),
            "fraud_reports": engine.count("fraud_reports"),
            "simulate_s": round(sim_s, 1), "build_s": round(build_s, 1),
            "networks": result.networks.num_rows,
            "members": len(result.graph.members),
            "tainted_payments": result.graph.flows.height,
            "peak_rss_gib_after_simulate": round(rss_before / 2**20, 2),
            "peak_rss_gib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20, 2),
        })  # fmt: skip
        engine.close()


def scale(sizes: list[tuple[int, int]]) -> list[dict[str, Any]]:
    rows = []
    for accounts, days in sizes:
        queue: Any = mp.get_context("spawn").Queue()
        child = mp.get_context("spawn").Process(target=_scale_child, args=(accounts, days, queue))
        child.start()
        row = queue.get()
        child.join()
        print(json.dumps(row))
        rows.append(row)
    if len(rows) > 1:
        base, big = rows[0], rows[-1]
        per = [r["build_s"] / (r["transactions"] / 1e6) for r in (base, big)]
        rows.append({"seconds_per_million_transactions": [round(p, 2) for p in per],
                     "ratio_big_to_baseline": round(per[1] / per[0], 2)})  # fmt: skip
    return rows


def _save(key: str, value: Any) -> None:
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    data = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    data[key] = value
    RESULTS.write_text(json.dumps(data, indent=2, default=str) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("what", choices=["quality", "parity", "scale"])
    parser.add_argument("--seeds", type=int, nargs="+", default=[201, 202, 203])
    parser.add_argument("--accounts", type=int, default=20_000)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--detect", action="store_true", help="also seed from detect alerts")
    parser.add_argument("--tag", default="", help="suffix for the results key")
    parser.add_argument("--big-accounts", type=int, default=1_000_000)
    parser.add_argument("--big-days", type=int, default=30)
    args = parser.parse_args()
    if args.what == "quality":
        rows = quality(args.seeds, args.accounts, args.days, args.detect)
        _save("quality" + args.tag, rows)
    elif args.what == "parity":
        _save("parity", parity(3000, 11, mule_share=0.0))
    else:
        _save("scale", scale([(100_000, 30), (args.big_accounts, args.big_days)]))


if __name__ == "__main__":
    main()
