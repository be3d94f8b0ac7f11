"""Detection quality by world and reveal split, fraudnet beside the plain baseline, one run.

    .venv/bin/python bench/detect_quality.py --split eval7    # the seeds reported in docs
    .venv/bin/python bench/detect_quality.py --split dev      # the seeds used while tuning

Worlds: the simulator, the AMLSim-style generator on its one-hop-a-day schedule (`amlsim`), and
the same generator with hop delays and windows wider than the detector's (`amlsim-wide`, on the
AMLSim seeds). Reveal splits (fraudnet.detect.splits), each revealing half the ground truth:
`random` (accounts), `ring` (whole rings), `time` (crime started by T); and `no labels`. For
each, fraudnet (`detect` then `evaluate`) and the plain baseline (bench/plain_baseline.py)
are scored on exactly the same unseen accounts (those `scores.trained_on = 0`). For the AMLSim
worlds, quality is also given by each alert's span and its longest wait between payments.

Writes bench/results/detect_quality_<split>.json. The alert budget is 1% of accounts.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from plain_baseline import aggregates, pass_through_scores, supervised_scores
from provenance import RunRecord
from sklearn.metrics import average_precision_score
from tests.detect import amlsim_world

from fraudnet.detect import detect, evaluate
from fraudnet.detect.labels import ground_truth_accounts
from fraudnet.detect.splits import first_criminal_activity, time_cut
from fraudnet.engine import Engine, open_engine
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
    # fixed 2 Dec 2026 session 5 before any run (splits and baseline; amlsim-wide uses amlsim's)
    "eval5": {"simulator": [1001, 1002, 1003], "amlsim": [1011, 1012, 1013]},
    # fixed 2 Dec 2026 session 5 at 13:59 UTC before any run, for that session's final code
    # (the structure-only model beside the full one): the figures in docs/detection.md
    "eval6": {"simulator": [1101, 1102, 1103], "amlsim": [1111, 1112, 1113]},
    # fixed 2 Dec 2026 session 6 at 17:58 UTC before any run, for the one-off-tie fans and
    # cycles (issue 14 item 5): the figures in docs/detection.md
    "eval7": {"simulator": [1201, 1202, 1203], "amlsim": [1211, 1212, 1213]},
}
REVEAL = {"random": 0.5, "ring": 0.5, "time": 0.5, "no labels": 0.0}
"""Reveal split name -> share of ground truth revealed ('no labels' reveals none)."""
WORLD_SEEDS = {"simulator": "simulator", "amlsim": "amlsim", "amlsim-wide": "amlsim"}
"""World kind -> the SEEDS key its seeds come from."""
SPAN_BUCKETS = ((0, 3, "span <= 3 days"), (4, 10, "span 4-10 days"), (11, 10**6, "span > 10 days"))
SPAWN = multiprocessing.get_context("spawn")
"""Worker processes start clean: no DuckDB or OpenMP state copied from the parent."""
GAP_BUCKETS = ((0, 3, "longest wait <= 3 days"), (4, 10**6, "longest wait > 3 days"))


def build(kind: str, seed: int, accounts: int, days: int, workdir: Path) -> tuple[Engine, Any]:
    """(store, (typologies, alert timing) or None) for one world."""
    store = open_engine(workdir / f"{kind}-{seed}.duckdb", "duckdb")
    if kind == "simulator":
        simulate_world(store, accounts=accounts, days=days, seed=seed)
        return store, None
    folder = workdir / f"{kind}-{seed}"
    timing = "wide" if kind == "amlsim-wide" else "daily"
    typologies = amlsim_world.write(folder, accounts, days, seed, timing=timing)
    ingest(store, folder, source_format="amlsim", with_labels=True)
    return store, (typologies, alert_timing(folder / "transactions.csv"))


def alert_timing(transactions_csv: Path) -> pd.DataFrame:
    """network_id -> span (days from first to last payment) and longest wait between days."""
    rows = pd.read_csv(transactions_csv, usecols=["alert_id", "tran_timestamp", "is_sar"])
    rows = rows[rows["is_sar"].astype(str) == "True"]
    day = pd.to_datetime(rows["tran_timestamp"]).dt.normalize()
    rows = rows.assign(day=(day - day.min()).dt.days).drop_duplicates(["alert_id", "day"])
    rows = rows.sort_values(["alert_id", "day"])
    wait = rows.groupby("alert_id")["day"].diff().fillna(0)
    timing = (
        rows.assign(wait=wait)
        .groupby("alert_id")
        .agg(first=("day", "min"), last=("day", "max"), wait=("wait", "max"))
    )
    timing.index = "amlsim-alert-" + timing.index.astype(str)
    return pd.DataFrame({"span": timing["last"] - timing["first"], "wait": timing["wait"]})


def run(
    kind: str, seed: int, accounts: int, days: int, workdir: Path, splits: tuple[str, ...]
) -> list[dict[str, Any]]:
    store, extra = build(kind, seed, accounts, days, workdir)
    typologies, timing = extra if extra is not None else (None, None)
    truth = ground_truth_accounts(store)
    pairs = store.sql(PAIRS_SQL).to_pandas()
    rows = []
    for split in splits:
        fraction = REVEAL[split]
        started = time.perf_counter()
        result = detect(
            store,
            alert_budget=accounts // 100,
            reveal_ground_truth=fraction,
            seed=seed,
            reveal_split=split if fraction > 0 else "random",
        )
        report = evaluate(store, typologies=typologies)
        seconds = round(time.perf_counter() - started, 1)
        scores = result.scores.to_pandas().set_index("account_id")
        row = compare(store, scores, truth, result.as_of, seed, accounts // 100)
        row["known_mule_counterparty"] = known_mule_counterparty(pairs, scores, truth)
        assert abs(row["fraudnet"]["pr_auc"] - report.pr_auc) < 1e-3, (row, report)
        row["fraudnet"].update(
            model=result.model_version,
            network_recall_at_budget=report.network_recall_at_budget,
            recall_by_role=report.recall_by_role,
            recall_by_typology=report.recall_by_typology,
            seconds=seconds,
        )
        if timing is not None and typologies is not None:
            row["by_typology"] = by_typology(store, row["_frame"], typologies)
            row["by_timing"] = by_timing(store, row.pop("_frame"), timing)
        row.pop("_frame", None)
        if split == "time":
            starts = first_criminal_activity(store).reindex(truth.index[truth.to_numpy() == 1])
            row["time_cut"] = str(time_cut(starts, 0.5))  # T over positives, as TimeSplit
        rows.append({"world": kind, "seed": seed, "split": split, **row})
        quiet = ("by_timing", "by_typology")
        print(json.dumps({k: v for k, v in rows[-1].items() if k not in quiet}), flush=True)
    store.close()
    return rows


PAIRS_SQL = """
SELECT DISTINCT src_account AS a, dst_account AS b FROM transactions
WHERE src_account IS NOT NULL AND dst_account IS NOT NULL AND src_account <> dst_account
"""


def known_mule_counterparty(
    pairs: pd.DataFrame, scores: pd.DataFrame, truth: pd.Series
) -> dict[str, float]:
    """Share of trained and of unseen positives that paid or were paid by a trained positive.

    The label-proximity features can only help an account with such a counterparty: this is
    how much of that shortcut each split leaves open.
    """
    trained = scores.index[scores["trained_on"].to_numpy() == 1]
    known = set(trained[truth.reindex(trained).fillna(0).to_numpy() == 1])
    both = pd.concat([pairs, pairs.rename(columns={"a": "b", "b": "a"})])
    touching = set(both.loc[both["b"].isin(known), "a"])
    positives = truth.index[truth.to_numpy() == 1]
    seen = positives.isin(trained)
    near = positives.isin(list(touching))
    return {
        "trained_positives": round(float(near[seen].mean()), 4) if seen.any() else 0.0,
        "unseen_positives": round(float(near[~seen].mean()), 4) if (~seen).any() else 0.0,
    }


def compare(
    store: Engine,
    scores: pd.DataFrame,
    truth: pd.Series,
    as_of: Any,
    seed: int,
    budget: int,
) -> dict[str, Any]:
    """fraudnet and the baseline on the unseen accounts: PR-AUC, precision/recall at budget."""
    trained = scores.index[scores["trained_on"].to_numpy() == 1]
    unseen = scores.index[scores["trained_on"].to_numpy() != 1]
    features = aggregates(store, scores.index, as_of)
    if len(trained):
        plain = supervised_scores(features, truth.reindex(trained).fillna(0), unseen, seed)
    else:
        plain = pass_through_scores(features).loc[unseen]
    frame = pd.DataFrame(
        {
            "y": truth.reindex(unseen).fillna(0).astype(int).to_numpy(),
            "fraudnet": scores.loc[unseen, "score"].to_numpy(),
            "baseline": plain.loc[unseen].to_numpy(),
        },
        index=unseen,
    )
    return {
        "trained": len(trained),
        "evaluated": len(unseen),
        "positives": int(frame["y"].sum()),
        "base_rate": round(float(frame["y"].mean()), 5),
        "fraudnet": quality(frame, "fraudnet", budget),
        "baseline": quality(frame, "baseline", budget),
        "_frame": frame,
    }


def quality(frame: pd.DataFrame, column: str, budget: int) -> dict[str, Any]:
    """PR-AUC, and precision and recall in the `budget` best-scored unseen accounts."""
    y = frame["y"].to_numpy()
    if not 0 < y.sum() < len(y):
        return {"pr_auc": float("nan"), "precision_at_budget": 0.0, "recall_at_budget": 0.0}
    order = np.lexsort((frame.index.to_numpy(), -frame[column].to_numpy()))[:budget]
    hits = float(y[order].sum())
    return {
        "pr_auc": round(float(average_precision_score(y, frame[column].to_numpy())), 4),
        "precision_at_budget": round(hits / max(len(order), 1), 4),
        "recall_at_budget": round(hits / y.sum(), 4),
    }


def by_timing(store: Engine, frame: pd.DataFrame, timing: pd.DataFrame) -> list[dict[str, Any]]:
    """PR-AUC of each model on the unseen positives of alerts in each timing bucket."""
    labels = store.sql(
        "SELECT subject AS account_id, network_id FROM labels WHERE network_id IS NOT NULL"
    ).to_pandas()
    joined = labels.join(timing, on="network_id").groupby("account_id")[["span", "wait"]].max()
    out = []
    for column, buckets in (("span", SPAN_BUCKETS), ("wait", GAP_BUCKETS)):
        value = joined[column].reindex(frame.index)
        for low, high, name in buckets:
            inside = value.between(low, high).to_numpy() & (frame["y"].to_numpy() == 1)
            keep = inside | (frame["y"].to_numpy() == 0)
            part = frame[keep]
            out.append(
                {
                    "bucket": name,
                    "positives": int(inside.sum()),
                    "base_rate": round(float(inside.sum()) / max(int(keep.sum()), 1), 5),
                    "fraudnet": _ap(part, "fraudnet"),
                    "baseline": _ap(part, "baseline"),
                }
            )
    return out


def by_typology(
    store: Engine, frame: pd.DataFrame, typologies: dict[str, str]
) -> list[dict[str, Any]]:
    """PR-AUC of each model on the unseen positives of each AMLSim typology (against every
    unseen negative): recall at a budget of 1% says little of shapes ranked just below it."""
    labels = store.sql(
        "SELECT subject AS account_id, network_id FROM labels WHERE network_id IS NOT NULL"
    ).to_pandas()
    kind = labels.assign(kind=labels["network_id"].map(typologies)).groupby("account_id")["kind"]
    first = kind.first().reindex(frame.index)
    out = []
    for name in sorted(set(typologies.values())):
        inside = (first == name).to_numpy() & (frame["y"].to_numpy() == 1)
        part = frame[inside | (frame["y"].to_numpy() == 0)]
        out.append(
            {
                "typology": name,
                "positives": int(inside.sum()),
                "fraudnet": _ap(part, "fraudnet"),
                "baseline": _ap(part, "baseline"),
            }
        )
    return out


def _ap(frame: pd.DataFrame, column: str) -> float | None:
    y = frame["y"].to_numpy()
    if not 0 < y.sum() < len(y):
        return None
    return round(float(average_precision_score(y, frame[column].to_numpy())), 4)


def summarise(rows: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    """Mean and minimum PR-AUC per world and split for each model: the figures the docs quote."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(f"{row['world']} / {row['split']}", []).append(row)
    summary = {}
    for key, group in groups.items():
        fraudnet = [float(r["fraudnet"]["pr_auc"]) for r in group]
        baseline = [float(r["baseline"]["pr_auc"]) for r in group]
        margins = [a - b for a, b in zip(fraudnet, baseline, strict=True)]
        summary[key] = {
            "fraudnet_mean_pr_auc": round(float(np.mean(fraudnet)), 4),
            "fraudnet_min_pr_auc": round(min(fraudnet), 4),
            "baseline_mean_pr_auc": round(float(np.mean(baseline)), 4),
            "baseline_min_pr_auc": round(min(baseline), 4),
            "min_margin": round(min(margins), 4),
        }
    return summary


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--split", choices=sorted(SEEDS), default="dev", help="the seed set")
    parser.add_argument("--accounts", type=int, default=10_000)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--worlds", default=",".join(WORLD_SEEDS))
    parser.add_argument("--tag", default="", help="suffix of the results file (a rerun)")
    parser.add_argument("--splits", default=",".join(REVEAL), help="reveal splits, every world")
    parser.add_argument("--wide-splits", default="", help="amlsim-wide's, if fewer")
    parser.add_argument("--jobs", type=int, default=1, help="worlds run at once (processes)")
    args = parser.parse_args()
    record = RunRecord()
    out = Path(__file__).parent / "results" / f"detect_quality_{args.split}{args.tag}.json"
    results: list[dict[str, Any]] = []
    kinds = args.worlds.split(",")
    per_kind = [SEEDS[args.split][WORLD_SEEDS[kind]] for kind in kinds]
    tasks = [  # seed by seed across world kinds: a run cut short still has every kind
        (kind, seeds[k])
        for k in range(max(map(len, per_kind)))
        for kind, seeds in zip(kinds, per_kind, strict=True)
        if k < len(seeds)
    ]
    with tempfile.TemporaryDirectory() as tmp, ProcessPoolExecutor(args.jobs, SPAWN) as pool:
        runs = [
            pool.submit(run, kind, seed, args.accounts, args.days, Path(tmp), _splits(args, kind))
            for kind, seed in tasks
        ]
        for done in runs:  # in task order, so the file reads the same whatever --jobs was
            results += done.result()
            write_results(out, args, results, record, complete=False)
    write_results(out, args, results, record, complete=True)


def _splits(args: argparse.Namespace, kind: str) -> tuple[str, ...]:
    names = args.wide_splits if kind == "amlsim-wide" and args.wide_splits else args.splits
    return tuple(name for name in names.split(",") if name)


def write_results(
    out: Path,
    args: argparse.Namespace,
    results: list[dict[str, Any]],
    record: RunRecord,
    complete: bool,
) -> None:
    """The results file; rewritten after every world so a cut-short run keeps what it did."""
    summary = {
        "split": args.split,
        "seeds": SEEDS[args.split],
        "accounts": args.accounts,
        "days": args.days,
        "complete": complete,
        "reveal": REVEAL,
        "splits": args.splits,
        "wide_splits": args.wide_splits or args.splits,
        "wide_schedule": {
            "hop_days": amlsim_world.WIDE_HOP_DAYS,
            "window_days": amlsim_world.WIDE_WINDOW_DAYS,
        },
        "summary": summarise(results),
        "run": record.finish(),
        "rows": results,
    }
    out.write_text(json.dumps(summary, indent=1) + "\n")


if __name__ == "__main__":
    main()
