"""Detection quality on simulator worlds and AMLSim-style worlds, with half and with no labels.

    .venv/bin/python bench/detect_quality.py --split eval     # the seeds reported in docs
    .venv/bin/python bench/detect_quality.py --split dev      # the seeds used while tuning

Writes bench/results/detect_quality_<split>.json. The alert budget is 1% of accounts.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from provenance import RunRecord
from tests.detect import amlsim_world

from fraudnet.detect import detect, evaluate
from fraudnet.engine import open_engine
from fraudnet.ingest import ingest
from fraudnet.simulate import simulate_world

SEEDS = {
    "dev": {"simulator": [101, 102], "amlsim": [201, 202]},
    "eval": {"simulator": [901, 902, 903], "amlsim": [911, 912, 913]},
    # fixed on 26 Nov 2026 (session 2) before any run, for the code of that session
    "eval2": {"simulator": [921, 922, 923], "amlsim": [931, 932, 933]},
    # fixed on 26 Nov 2026 (session 3) before any run, after that session's changes
    "eval3": {"simulator": [941, 942, 943], "amlsim": [951, 952, 953]},
    # fixed on 2 Dec 2026 (session 4) before any run: the figures in docs/detection.md
    "eval4": {"simulator": [961, 962, 963], "amlsim": [971, 972, 973]},
    # fixed 2 Dec 2026 session 5 before any run
    "eval5-nolabel": {"simulator": [981, 982, 983], "amlsim": [991, 992, 993]},
}
MODES = {"half labels": 0.5, "no labels": 0.0}


def run(kind: str, seed: int, accounts: int, days: int, workdir: Path) -> list[dict[str, object]]:
    store = open_engine(workdir / f"{kind}-{seed}.duckdb", "duckdb")
    typologies = None
    if kind == "simulator":
        simulate_world(store, accounts=accounts, days=days, seed=seed)
    else:
        typologies = amlsim_world.write(workdir / f"amlsim-{seed}", accounts, days, seed)
        ingest(store, workdir / f"amlsim-{seed}", source_format="amlsim", with_labels=True)
    rows = []
    for mode, fraction in MODES.items():
        started = time.perf_counter()
        result = detect(
            store, alert_budget=accounts // 100, reveal_ground_truth=fraction, seed=seed
        )
        report = evaluate(store, typologies=typologies)
        rows.append(
            {
                "world": kind,
                "seed": seed,
                "mode": mode,
                "model": result.model_version,
                "pr_auc": report.pr_auc,
                "base_rate": report.base_rate,
                "positives": report.positives,
                "recall_at_budget": report.recall_at_budget,
                "precision_at_budget": report.precision_at_budget,
                "network_recall_at_budget": report.network_recall_at_budget,
                "recall_by_role": report.recall_by_role,
                "recall_by_typology": report.recall_by_typology,
                "seconds": round(time.perf_counter() - started, 1),
            }
        )
        print(json.dumps(rows[-1]))
    store.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--split", choices=sorted(SEEDS), default="dev")
    parser.add_argument("--accounts", type=int, default=10_000)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--worlds", default="simulator,amlsim")
    parser.add_argument("--tag", default="", help="suffix of the results file (a rerun)")
    args = parser.parse_args()
    record = RunRecord()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for kind in args.worlds.split(","):
            for seed in SEEDS[args.split][kind]:
                results += run(kind, seed, args.accounts, args.days, Path(tmp))
    out = Path(__file__).parent / "results" / f"detect_quality_{args.split}{args.tag}.json"
    summary = {
        "split": args.split,
        "seeds": SEEDS[args.split],
        "accounts": args.accounts,
        "days": args.days,
        "summary": summarise(results),
        "run": record.finish(),
        "rows": results,
    }
    out.write_text(json.dumps(summary, indent=1) + "\n")


def summarise(rows: list[dict[str, object]]) -> dict[str, dict[str, float]]:
    """Mean and minimum PR-AUC per world type and mode: the figures the docs quote."""
    groups: dict[str, list[float]] = {}
    for row in rows:
        groups.setdefault(f"{row['world']} / {row['mode']}", []).append(float(row["pr_auc"]))  # type: ignore[arg-type]
    return {
        key: {"mean_pr_auc": round(sum(v) / len(v), 4), "min_pr_auc": round(min(v), 4)}
        for key, v in groups.items()
    }


if __name__ == "__main__":
    main()
