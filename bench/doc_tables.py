"""The measured tables in README.md and docs/, rendered from bench/results/ and nowhere else.

    .venv/bin/python bench/doc_tables.py           # rewrite every marked table
    .venv/bin/python bench/doc_tables.py --check   # exit 1 if a table differs from its file

A table lives between two markers in a Markdown file:

    <!-- table: trace -->
    ...generated...
    <!-- /table -->

Each name is a renderer below, reading one results file. A figure edited by hand, or a
results file rerun without re-rendering, fails `--check` (and the test that runs it), so
the docs cannot drift from what a script measured. Every table ends with the commit and load
average of the run it came from.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
BLOCK = re.compile(r"(<!-- table: (?P<name>[\w.-]+) -->\n)(?P<body>.*?)(<!-- /table -->)", re.S)

Renderer = Callable[[], str]
RENDERERS: dict[str, Renderer] = {}


def renderer(name: str) -> Callable[[Renderer], Renderer]:
    def register(fn: Renderer) -> Renderer:
        RENDERERS[name] = fn
        return fn

    return register


def load(name: str) -> Any:
    path = RESULTS / name
    if not path.exists():
        raise SystemExit(f"{path}: missing; run the benchmark that writes it first")
    return json.loads(path.read_text())


def table(header: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _cell(value: Any) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:,.4g}" if abs(value) < 1000 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def provenance(run: dict[str, Any], source: str) -> str:
    start = run.get("load_average_at_start", ["?"])[0]
    end = run.get("load_average_at_end", ["?"])[0]
    return (
        f"\n*From `bench/results/{source}`: commit {run.get('commit', '?')}, "
        f"{run.get('started_at', '?')}, {run.get('machine', '?')}, "
        f"1-minute load average {start} at start, {end} at end.*\n"
    )


@renderer("pipeline")
def pipeline_table() -> str:
    data = load("pipeline.json")
    rows = [
        [name, stage["seconds"], stage["peak_rss_gib"], "ok" if not stage["rc"] else "failed"]
        for name, stage in data["stages"].items()
    ]
    rows.append(["**whole job**", data["total_s"], data["peak_rss_gib"], ""])
    target = data["target"]
    verdict = "met" if data["meets_target"] else "not met"
    return (
        f"{data['accounts']:,} accounts x {data['days']} days (seed {data['seed']}), "
        f"target under {target['total_s']:.0f} s and {target['peak_rss_gib']:.0f} GiB: "
        f"**{verdict}**.\n\n"
        + table(["stage", "seconds", "peak RSS (GiB)", "status"], rows)
        + provenance(data["run"], "pipeline.json")
    )


@renderer("pipeline-quality")
def pipeline_quality_table() -> str:
    data = load("pipeline.json")
    quality = data.get("quality") or {}
    rows = [[k.replace("_", " "), v] for k, v in quality.items() if not isinstance(v, dict)]
    rows += [[f"rows in {t}", n] for t, n in quality.get("rows", {}).items()]
    return table(["measure", "value"], rows) + provenance(data["run"], "pipeline.json")


@renderer("trace")
def trace_table() -> str:
    data = load("trace.json")
    rows = [
        [rule, r["seconds"], r["traces"], r["trace_flows"], r["totals"]["held"]]
        for rule, r in data["rules"].items()
    ]
    base = data.get("baseline_one_pass_walk")
    if base:
        rows.append(
            [
                f"baseline: one-pass walk, {base['rule']}",
                base["seconds"],
                "",
                "",
                base["totals"]["held"],
            ]
        )
    text = table(["rule", "seconds", "traces rows", "trace_flows rows", "held (GBP)"], rows)
    if "speedup_fifo_vs_baseline" in data:
        same = "the same" if data.get("same_fifo_totals") else "DIFFERENT"
        text += (
            f"\nfifo against the one-pass baseline: **{data['speedup_fifo_vs_baseline']}x**, "
            f"{same} held/exited/unexplained totals. Peak RSS: fraudnet "
            f"{data['fraudnet_peak_rss_mib'] / 1024:.2f} GiB, with the baseline "
            f"{data['peak_rss_mib'] / 1024:.2f} GiB.\n"
        )
    return text + provenance(data["run"], "trace.json")


@renderer("ingest")
def ingest_table() -> str:
    data = load("ingest.json")
    gib = 1 / 1024
    rows = [
        ["best time (s)", data["duckdb_read_csv_s"], data["fraudnet_ingest_s"]],
        [
            "all runs (s)",
            _runs(data["duckdb_read_csv_all_s"]),
            _runs(data["fraudnet_ingest_all_s"]),
        ],
        ["rows per second", data["duckdb_read_csv_rows_per_s"], data["fraudnet_rows_per_s"]],
        [
            "peak RSS (GiB)",
            round(data["duckdb_read_csv_peak_rss_mib"] * gib, 2),
            round(data["fraudnet_peak_rss_mib"] * gib, 2),
        ],
        [
            "rows loaded / quarantined",
            data["rows"],
            f"{data['fraudnet_rows_loaded']:,} / {data['fraudnet_rows_quarantined']:,}",
        ],
        ["ratio to raw, per alternating pair", "", _runs(data["ratio_fraudnet_over_raw_per_pair"])],
        [
            "re-run of the same file",
            "",
            f"{data['rerun_s']} s, {data['rerun_rows_after']:,} rows after, peak "
            f"{data['rerun_peak_rss_mib'] * gib:.2f} GiB",
        ],
    ]
    return (
        f"{data['rows']:,} rows, {data['repeat']} alternating repeats.\n\n"
        + table(["measure", "DuckDB read_csv", "fraudnet ingest"], rows)
        + provenance(data["run"], "ingest.json")
    )


@renderer("ingest-fastpath")
def ingest_fastpath_table() -> str:
    data = load("ingest_fastpath.json")
    run, counts = data["ingest"], data["accounting"]
    rows = [
        ["reader", data["reader"]],
        ["file", f"{data['file_bytes'] / 2**30:.2f} GiB, {data['file_line_breaks']:,} lines"],
        ["seconds", run["seconds"]],
        ["peak RSS (GiB)", run["peak_rss_gib"]],
        ["rows read / loaded / quarantined", _accounting(counts)],
        ["1-minute load average at start / end", _span_loads(run)],
    ]
    return table(["measure", "value"], rows) + provenance(data["run"], "ingest_fastpath.json")


def _accounting(counts: dict[str, int]) -> str:
    if not counts:
        return "n/a (the load failed)"
    return f"{counts['rows_read']:,} / {counts['rows_loaded']:,} / {counts['rows_quarantined']:,}"


def _span_loads(run: dict[str, Any]) -> str:
    return f"{run['load_average_at_start'][0]} / {run['load_average_at_end'][0]}"


@renderer("ingest-readers-1m")
def ingest_readers_table() -> str:
    runs = {r: load(f"ingest_fastpath_1m_{r}.json") for r in ("auto", "python")}
    rows = [
        [
            "fast path" if reader == "auto" else "exact reader (Python)",
            data["ingest"]["seconds"],
            data["ingest"].get("cpu_s"),
            data["ingest"]["peak_rss_gib"],
            _accounting(data["accounting"]),
            _span_loads(data["ingest"]),
        ]
        for reader, data in runs.items()
    ]
    header = ["reader", "wall s", "CPU s", "peak RSS (GiB)", "read / loaded / quarantined"]
    return table([*header, "load at start / end"], rows) + "".join(
        provenance(data["run"], f"ingest_fastpath_1m_{r}.json") for r, data in runs.items()
    )


@renderer("csv-readers-fuzz")
def csv_readers_fuzz_table() -> str:
    data = load("fuzz_csv_paths.json")
    rows = [[route, n] for route, n in sorted(data["routes"].items())]
    rows += [
        ["files whose two loads differ", data["differences"]],
        ["silent losses on the fast path", data["silent_losses"]],
    ]
    return (
        f"{data['files']:,} damaged CSV files, seed {data['seed']}.\n\n"
        + table(["outcome", "files"], rows)
        + provenance(data["run"], "fuzz_csv_paths.json")
    )


@renderer("interchange-fuzz")
def interchange_fuzz_table() -> str:
    data = load("fuzz_formats.json")
    rows = []
    for fmt, tiers in data["by_format"].items():
        read, full = tiers["reader"], tiers["ingest"]
        rows.append(
            [
                fmt,
                read["documents"],
                read["outcomes"].get("refused_entries", 0),
                read["outcomes"].get("refused_whole", 0),
                read["outcomes"].get("read_clean", 0),
                f"{read['slowest_s']:.2f}",
                full["documents"],
                full["rows_quarantined"],
                full["rows_loaded"],
            ]
        )
    failures = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in data["failures"].items())
    return (
        f"{data['documents_read']:,} damaged documents, seed {data['seed']}, each read alone "
        f"under a {data['per_document_limit_s']:.0f} s limit; the first "
        f"{data['documents_ingested'] // len(data['by_format'])} of each format also through "
        f"the real ingest into a fresh store. Failures: {failures}.\n\n"
        + table(
            [
                "format",
                "documents read",
                "entries refused (quarantined by XPath or line)",
                "refused whole (one error naming the file)",
                "read clean",
                "slowest read (s)",
                "ingested",
                "rows quarantined",
                "rows loaded",
            ],
            rows,
        )
        + provenance(data["provenance"], "fuzz_formats.json")
    )


@renderer("simulate")
def simulate_table() -> str:
    data = load("simulate.json")
    small, full = data["baseline"], data["full"]
    rows = [
        [
            "accounts x days",
            f"{small['accounts']:,} x {small['days']}",
            f"{full['accounts']:,} x {full['days']}",
        ],
        ["transactions", small["rows"]["transactions"], full["rows"]["transactions"]],
        [
            "mule networks / mule accounts",
            f"{small['networks']:,} / {small['mule_accounts']:,}",
            f"{full['networks']:,} / {full['mule_accounts']:,}",
        ],
        ["generate (s)", small["generate_s"], full["generate_s"]],
        ["write to DuckDB (s)", small["write_s"], full["write_s"]],
        ["**total (s)**", small["total_s"], full["total_s"]],
        ["**peak RSS (GiB)**", _peak(small), _peak(full)],
        ["seconds per million transactions", *data["seconds_per_million_transactions"].values()],
    ]
    target = data["target"]
    return (
        f"Target: the larger world under {target['total_s']:.0f} s and "
        f"{target['peak_rss_gib']:.0f} GiB (time target met: {data['meets_time_target']}, "
        f"memory target met: {data['meets_memory_target']}).\n\n"
        + table(["measure", "smaller world (baseline)", "larger world"], rows)
        + provenance(data["run"], "simulate.json")
    )


def _peak(run: dict[str, Any]) -> float:
    return max(run["peak_rss_gib_sampled"], run["peak_rss_gib_maxrss"])


@renderer("detect")
def detect_table() -> str:
    data = load("detect.json")
    sizes = [data[k] for k in ("small", "full") if k in data]
    stages = list(sizes[-1]["detect"]["timings"])
    rows = [["transactions", *(s["detect"]["transactions"] for s in sizes)]]
    rows += [
        [f"{stage.replace('_', ' ')} (s)", *(s["detect"]["timings"][stage] for s in sizes)]
        for stage in stages
    ]
    rows += [
        ["**fraudnet detect (s)**", *(s["detect"]["seconds"] for s in sizes)],
        ["writing the four tables (s)", *(s["detect"]["write_seconds"] for s in sizes)],
        ["peak RSS, detect and writing (GiB)", *(s["detect"]["peak_rss_gib"] for s in sizes)],
        ["**baseline, same world, same run (s)**", *(_baseline_s(s) for s in sizes)],
        ["baseline peak RSS (GiB)", *(s["baseline"].get("peak_rss_gib") for s in sizes)],
        ["**ratio baseline / fraudnet**", *(_speedup(s) for s in sizes)],
        [
            "PR-AUC, fraudnet / baseline (no labels)",
            *(f"{s['detect'].get('pr_auc')} / {s['baseline'].get('pr_auc')}" for s in sizes),
        ],
    ]
    header = ["measure", *(f"{s['accounts']:,} accounts" for s in sizes)]
    return (
        f"{data['days']} simulated days, seed {data['seed']}, alert budget 1,000, no labels.\n\n"
        + table(header, rows)
        + provenance(data["run"], "detect.json")
    )


def _baseline_s(size: dict[str, Any]) -> str:
    base = size["baseline"]
    if "stopped_by" in base:
        return (
            f"more than {base['features_seconds_at_least']} (stopped by its {base['stopped_by']})"
        )
    return str(base["seconds"])


def _speedup(size: dict[str, Any]) -> str:
    if "speedup" in size:
        return f"{size['speedup']}x"
    return f"at least {size['speedup_at_least']}x"


@renderer("resolve")
def resolve_table() -> str:
    data = load("resolve.json")
    runs = [r for r in data["runs"] if "run" in r]  # runs without provenance are not quoted
    rows = [
        [r["dataset"], r["records"], r["precision"], r["recall"], r["f1"], r["seconds"]]
        for r in runs
    ]
    keys = list(
        dict.fromkeys(k["key"] for r in runs for k in r.get("blocking", {}).get("keys", []))
    )
    pairs = [[key, *(_pairs_kept(r, key) for r in runs)] for key in keys]
    return (
        table(["data set", "records", "precision", "recall", "F1", "seconds"], rows)
        + "\nCandidate pairs per blocking key (groups over the cap are not paired):\n\n"
        + table(["key", *(r["dataset"] for r in runs)], pairs)
        + provenance(data["run"], "resolve.json")
    )


def _pairs_kept(run: dict[str, Any], key: str) -> Any:
    for entry in run.get("blocking", {}).get("keys", []):
        if entry["key"] == key:
            skipped = entry["pairs_skipped"]
            return f"{entry['pairs']:,}" + (f" ({skipped:,} skipped)" if skipped else "")
    return None


@renderer("resolve-keys")
def resolve_keys_table() -> str:
    """Candidate pairs with today's caps and with every key at 50, and what each key alone finds."""
    data = load("resolve_keys.json")
    runs = data["runs"]
    overall = [
        [r["dataset"], r["caps"], r["candidate_pairs"], r["true_candidates"], r["true_pairs"]]
        for r in runs
    ]
    text = table(
        ["data set", "caps", "candidate pairs", "true pairs that are candidates", "true pairs"],
        overall,
    )
    for dataset in dict.fromkeys(r["dataset"] for r in runs):
        capped, at_max = (
            next(r for r in runs if r["dataset"] == dataset and r["caps"] == caps)
            for caps in ("capped", "all at 50")
        )
        rows = [
            [k["key"], k["cap"], k["pairs"], old["pairs"], k["true_pairs"], k["only_this_key_true"]]
            for k, old in zip(capped["keys"], at_max["keys"], strict=True)
        ]
        text += f"\n{dataset}, per key:\n\n" + table(
            ["key", "cap", "pairs", "pairs, all at 50", "true pairs", "true pairs only it finds"],
            rows,
        )
    return text + provenance(data["run"], "resolve_keys.json")


@renderer("resolve-simulator")
def resolve_simulator_table() -> str:
    data = load("resolve_simulator.json")
    columns = ["seed", "records", "precision", "recall", "f1", "seconds"]
    quality = [[str(r["seed"]), *(r[c] for c in columns[1:])] for r in data["quality"]]
    text = (
        f"Fresh seeds {_runs(data['fresh_seeds'])} (fixed before the run), "
        f"{data['quality'][0]['accounts']:,} accounts x {data['quality'][0]['days']} days:\n\n"
        + table(["seed", "parties", "precision", "recall", "F1", "seconds"], quality)
    )
    if (scale := data.get("scale")) is not None:
        text += "\n" + _resolve_scale(scale)
    return text + provenance(data["run"], "resolve_simulator.json")


def _resolve_scale(scale: dict[str, Any]) -> str:
    """The 1M-account run: time, memory, quality, steps and candidate pairs per key."""
    loads = scale["load_average_samples"]
    head = [
        [
            scale["accounts"],
            scale["records"],
            scale["seconds"],
            scale["peak_rss_gib"],
            scale["precision"],
            scale["recall"],
            f"{min(loads):g}-{max(loads):g}",
        ]
    ]
    steps = [[step, seconds] for step, seconds in scale["step_seconds"].items()]
    keys = [
        [k["key"], k["pairs"], k["capped_groups"], k["pairs_skipped"], k["largest_group"]]
        for k in scale["blocking"]["keys"]
    ]
    return (
        f"One run at {scale['accounts']:,} accounts x {scale['days']} days "
        f"(seed {scale['seed']}), resolve alone in its own process:\n\n"
        + table(
            ["accounts", "parties", "seconds", "peak GiB", "precision", "recall", "load (1 min)"],
            head,
        )
        + "\n"
        + table(["step", "seconds"], steps)
        + f"\nCandidate pairs per blocking key (cap {scale['blocking']['cap']}):\n\n"
        + table(["key", "pairs", "groups over cap", "pairs skipped", "largest group"], keys)
    )


def _runs(values: list[float]) -> str:
    return ", ".join(f"{v:g}" for v in values)


def _quality_rows(rows: list[dict[str, Any]], columns: list[str]) -> list[list[Any]]:
    return [[r.get(c) for c in columns] for r in rows]


@renderer("detect-quality")
def detect_quality_table() -> str:
    data = load("detect_quality_eval4.json")
    summary = [[key, s["mean_pr_auc"], s["min_pr_auc"]] for key, s in data["summary"].items()]
    columns = ["world", "seed", "mode", "pr_auc", "base_rate", "recall_at_budget"]
    return (
        table(["world / labels", "mean PR-AUC", "min PR-AUC"], summary)
        + "\n"
        + table(
            ["world", "seed", "labels", "PR-AUC", "base rate", "recall at budget"],
            _quality_rows(data["rows"], columns),
        )
        + provenance(data["run"], "detect_quality_eval4.json")
    )


DETECT_SPLITS = "detect_quality_eval7.json"
SPLIT_ORDER = ("ring", "random", "time", "no labels")


@renderer("detect-splits")
def detect_splits_table() -> str:
    """World x split: fraudnet and the plain baseline, PR-AUC mean and min over seeds."""
    data = load(DETECT_SPLITS)
    worlds = list(dict.fromkeys(r["world"] for r in data["rows"]))
    rows = []
    for world in worlds:
        for split in SPLIT_ORDER:
            s = data["summary"].get(f"{world} / {split}")
            if s is None:
                continue
            positives = [
                r["positives"] for r in data["rows"] if (r["world"], r["split"]) == (world, split)
            ]
            rows.append(
                [
                    world,
                    split,
                    s["fraudnet_mean_pr_auc"],
                    s["fraudnet_min_pr_auc"],
                    s["baseline_mean_pr_auc"],
                    s["baseline_min_pr_auc"],
                    s["min_margin"],
                    _runs([float(p) for p in positives]),
                ]
            )
    header = [
        "world",
        "split",
        "fraudnet mean",
        "fraudnet min",
        "baseline mean",
        "baseline min",
        "worst margin",
        "unseen positives",
    ]
    return table(header, rows) + provenance(data["run"], DETECT_SPLITS)


@renderer("detect-timing")
def detect_timing_table() -> str:
    """AMLSim worlds: PR-AUC on unseen positives by alert span and longest wait (seed mean)."""
    data = load(DETECT_SPLITS)
    cells: dict[tuple[str, str, str], list[tuple[float, float, int, float]]] = {}
    for row in data["rows"]:
        for b in row.get("by_timing", []):
            if b["fraudnet"] is None:
                continue
            key = (row["world"], row["split"], b["bucket"])
            value = (b["fraudnet"], b["baseline"], b["positives"], b.get("base_rate", 0.0))
            cells.setdefault(key, []).append(value)
    rows = [
        [
            world,
            split,
            bucket,
            round(sum(v[0] for v in values) / len(values), 4),
            round(sum(v[1] for v in values) / len(values), 4),
            sum(v[2] for v in values),
            round(sum(v[3] for v in values) / len(values), 5),
        ]
        for (world, split, bucket), values in sorted(cells.items(), key=_timing_order)
    ]
    header = [
        "world",
        "split",
        "alerts with",
        "fraudnet PR-AUC",
        "baseline PR-AUC",
        "positives",
        "base rate",
    ]
    return table(header, rows) + provenance(data["run"], DETECT_SPLITS)


BUCKET_ORDER = (
    "span <= 3 days",
    "span 4-10 days",
    "span > 10 days",
    "longest wait <= 3 days",
    "longest wait > 3 days",
)


def _timing_order(item: tuple[tuple[str, str, str], Any]) -> tuple[str, int, int]:
    world, split, bucket = item[0]
    rank = BUCKET_ORDER.index(bucket) if bucket in BUCKET_ORDER else len(BUCKET_ORDER)
    return world, SPLIT_ORDER.index(split), rank


@renderer("networks-quality")
def networks_quality_table() -> str:
    data = load("networks.json")["quality_eval4"]
    columns = [
        "seed",
        "seeded_from",
        "pair_precision",
        "pair_recall",
        "pair_f1",
        "herder_precision",
        "herder_recall",
        "true_networks",
        "found_networks",
    ]
    header = ["seed", "seeded from", "pair P", "pair R", "pair F1", "herder P", "herder R"]
    summary = [
        [
            seeded,
            s.get("mean_pair_f1"),
            s.get("min_pair_f1"),
            s.get("mean_herder_precision"),
            s.get("min_herder_precision"),
            s.get("mean_herder_recall"),
            s.get("min_herder_recall"),
        ]
        for seeded, s in data["summary"].items()
    ]
    return (
        table(
            ["seeded from", "pair F1 mean", "min", "herder P mean", "min", "herder R mean", "min"],
            summary,
        )
        + "\n"
        + table([*header, "true / found networks"], _network_rows(data["rows"], columns))
        + provenance(data["run"], "networks.json (key quality_eval4)")
    )


def _network_rows(rows: list[dict[str, Any]], columns: list[str]) -> list[list[Any]]:
    out = []
    for row in _quality_rows(rows, columns):
        *measures, true, found = row
        out.append([*measures, f"{true} / {found}"])
    return out


def _pct(share: float) -> str:
    return f"{share:.1%}"


def _span(values: list[float]) -> str:
    return f"{min(values):.1f}-{max(values):.1f}"


@renderer("simulate-calibration")
def simulate_calibration_table() -> str:
    data = load("simulate_calibration.json")
    ages, speed, cases = data["mule_ages"], data["tier1_move_on"], data["cases"]
    out, spans, people = data["collector_outflows"], data["networks_uk_banks"], data["people"]
    timings = data["timings_per_repeat"]
    rows = [
        ["transactions", "", data["rows"]["transactions"]],
        ["networks / mule accounts / scam victims", "", _counts(data["counts"])],
        [
            "mules under 21 / under 30",
            " / ".join(_pct(p) for p in ages["parameter"]),
            f"{_pct(ages['share_under_21'])} / {_pct(ages['share_under_30'])} "
            f"({ages['mule_accounts_of_persons']} mule accounts)",
        ],
        [
            "tier-1 receipts moved on within 15 min / 1 h",
            " / ".join(_pct(p) for p in speed["parameter"]),
            f"{_pct(speed['share_within_15min'])} / {_pct(speed['share_within_1h'])} "
            f"({speed['tier1_receipts']} receipts)",
        ],
        [
            "scam cases reported",
            _pct(cases["parameter_report_rate"]),
            f"{_pct(cases['share_reported'])} ({cases['cases']} cases)",
        ],
        [
            "purchase scams among cases",
            _pct(cases["parameter_purchase_share"]),
            _pct(cases["share_purchase"]),
        ],
        [
            "mean loss per case (GBP)",
            f"{cases['expected_loss_per_case_gbp_from_parameters']:,.0f} (expected)",
            f"{cases['mean_loss_per_case_gbp']:,.0f}",
        ],
        [
            "collector outflows going abroad (by value)",
            _pct(out["parameter"]),
            f"{_pct(out['share_abroad_by_value'])} ({out['collector_payments_out']} payments, "
            f"{spans['networks']} networks)",
        ],
        [
            "UK banks spanned per network",
            "",
            f"at least {spans['min_uk_banks']} (mean {spans['mean_uk_banks']:.1f})",
        ],
        [
            "people with records at several banks",
            "",
            f"{people['people_at_several_banks']:,} of {people['people']:,}",
        ],
        [
            f"seconds to generate / write to DuckDB ({len(timings)} runs)",
            "",
            f"{_span([t['generate_s'] for t in timings])} / "
            f"{_span([t['write_duckdb_s'] for t in timings])}",
        ],
    ]
    return table(["measure", "parameter", "measured"], rows) + provenance(
        data["run"], "simulate_calibration.json"
    )


def _counts(counts: dict[str, int]) -> str:
    return f"{counts['networks']} / {counts['mule_accounts']} / {counts['victims']}"


@renderer("simulate-separation")
def simulate_separation_table() -> str:
    data = load("simulate_calibration.json")["field_separation"]
    single = data["single_field_auc"]
    behaviour = {"age", "account_age_days", "devices_per_account"}
    rows = [
        [name.replace("_", " "), "behaviour" if name in behaviour else "no behaviour", auc]
        for name, auc in single.items()
    ]
    rows.append(
        [
            "LightGBM on every no-behaviour field (4-fold)",
            "",
            data["lightgbm_static_fields_4fold_auc"],
        ]
    )
    return (
        f"{data['accounts']:,} UK personal accounts, {data['mule_accounts']} of them mules; "
        "single fields scored in either direction (max of AUC and 1 - AUC).\n\n"
        + table(["field", "kind", "AUC"], rows)
        + provenance(load("simulate_calibration.json")["run"], "simulate_calibration.json")
    )


@renderer("psi")
def psi_table() -> str:
    data = load("psi.json")
    header = ["mode", "requested", "held", "found", "request s", "respond s", "finish s"]
    header += ["total s", "request bytes", "response bytes"]
    rows = [
        [
            r["mode"],
            r["requested"],
            r["held"],
            r["found"],
            *r["seconds"].values(),
            r["total_seconds"],
            r["request_bytes"],
            r["response_bytes"],
        ]
        for r in data["runs"]
    ]
    return table(header, rows) + provenance(data["run"], "psi.json")


@renderer("bloom-quality")
def bloom_quality_table() -> str:
    data = load("bloom.json")
    profiles = data["quality"]["profiles"]
    splink = profiles["splink_plaintext"]
    rows = [
        [f"Splink on plaintext (threshold {splink['threshold']})", None]
        + [splink[k] for k in ("precision", "recall", "f1")]
    ]
    rows += [
        [name, r["threshold_from_dev_half"], r["precision"], r["recall"], r["f1"]]
        for name, r in profiles.items()
        if name != "splink_plaintext"
    ]
    header = ["encoding", "threshold (dev half)", "precision", "recall", "F1"]
    return table(header, rows) + provenance(data["run"], "bloom.json")


@renderer("bloom-attacks")
def bloom_attacks_table() -> str:
    data = load("bloom.json")
    attacks = data["attacks"]
    rows = [
        [
            name,
            _pct(r["frequency_rate"]),
            r["frequency_reidentified"],
            _pct(r["graph_rate"]),
            r["graph_reidentified"],
            _pct(r["pattern_mining_rate"]),
            r["pattern_mining_reidentified"],
        ]
        for name, r in attacks.items()
        if isinstance(r, dict)
    ]
    header = ["encoding", "frequency attack", "records", "graph attack", "records"]
    header += ["pattern mining", "records"]
    encoded, names = attacks["encoded_records"], attacks["public_names"]
    note = f"\n{encoded:,} encoded records, {names:,} public names.\n"
    return table(header, rows) + note + provenance(data["run"], "bloom.json")


SHARING_ROWS = (
    ("alerts (the budget: 2% of each bank's own accounts)", "alerts"),
    ("alert precision (alerts on any mule)", "alert_precision"),
    ("mule recall (own mules alerted)", "mule_recall"),
    ("network members found (own mules in a network)", "members_true"),
    ("own accounts placed in a network", "placed"),
    ("member precision", "member_precision"),
    ("member recall", "member_recall"),
    ("ring parts found (one account in a network)", "ring_parts_found"),
    ("ring parts half in one network", "ring_parts_half"),
    ("ring parts whole in one network", "ring_parts_whole"),
    ("rings found whole (every part whole)", "rings_found_whole"),
    ("rings spanning banks seen by two or more banks", "spanning_seen_by_two_banks"),
    ("rings spanning banks found at every bank", "spanning_found_at_every_bank"),
)


@renderer("sharing")
def sharing_table() -> str:
    data = load("sharing.json")["eval"]
    pooled = data["pooled"]
    siloed, shared = pooled["siloed"], pooled["shared"]
    rows = [[label, siloed[key], shared[key]] for label, key in SHARING_ROWS]
    worlds = data["worlds"]
    first = worlds[0]
    note = (
        f"\nSums over {len(worlds)} worlds (seeds {', '.join(str(s) for s in data['seeds'])}), "
        f"each {first['accounts']:,} accounts over {first['days']} days split over "
        f"{first['banks']} banks: {siloed['mules']:,} mule accounts held by banks, "
        f"{siloed['ring_parts']:,} ring parts (a ring's accounts at one bank) of "
        f"{siloed['rings']:,} rings, {siloed['rings_spanning_banks']:,} of them spanning banks. "
        "Members found per world, siloed -> shared: "
        + "; ".join(
            f"{w['seed']}: {w['arms']['siloed']['total']['members_true']} -> "
            f"{w['arms']['shared']['total']['members_true']}"
            for w in worlds
        )
        + ".\n"
    )
    header = ["measure (sum over banks)", "siloed", "shared"]
    return table(header, rows) + note + provenance(data["run"], "sharing.json")


@renderer("sharing-costs")
def sharing_costs_table() -> str:
    data = load("sharing.json")["eval"]
    c = data["pooled"]["costs"]
    rows = [
        ["simulate and split", c["simulate_and_split_s"], "", ""],
        ["siloed: detect, every bank", c["siloed_detect_s"], "", ""],
        ["siloed: networks, every bank", c["siloed_networks_s"], "", ""],
        [
            "PSI (intersection) on network accounts, devices, IPs",
            c["psi_seconds"],
            f"{int(c['psi_queries']):,} queries, {int(c['psi_hits']):,} hits",
            int(c["psi_bytes"]),
        ],
        [
            "packages: build and sign",
            c["package_build_seconds"],
            f"{int(c['packages']):,} packages, {int(c['package_claims']):,} claims",
            int(c["package_bytes"]),
        ],
        [
            "packages: verify and receive",
            c["package_receive_seconds"],
            f"{int(c['package_claims_matched']):,} claims resolved to a known account",
            "",
        ],
        ["shared: detect, every bank", c["shared_detect_s"], "", ""],
        ["shared: networks with seeds, every bank", c["shared_networks_s"], "", ""],
    ]
    header = ["step (sum over worlds)", "seconds", "count", "bytes"]
    return table(header, rows) + provenance(data["run"], "sharing.json")


def render(text: str, path: Path) -> str:
    def fill(match: re.Match[str]) -> str:
        name = match["name"]
        if name not in RENDERERS:
            raise SystemExit(f"{path}: unknown table {name!r}; known: {', '.join(RENDERERS)}")
        return match.group(1) + RENDERERS[name]() + match.group(4)

    return BLOCK.sub(fill, text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report drift, change nothing")
    args = parser.parse_args()
    stale = []
    for path in DOCS:
        text = path.read_text()
        if "<!-- table:" not in text:
            continue
        rendered = render(text, path)
        if rendered != text:
            stale.append(path.relative_to(ROOT))
            if not args.check:
                path.write_text(rendered)
    if args.check and stale:
        print("tables differ from bench/results: " + ", ".join(map(str, stale)), file=sys.stderr)
        print("run .venv/bin/python bench/doc_tables.py to re-render them", file=sys.stderr)
        return 1
    if stale:
        print("re-rendered: " + ", ".join(map(str, stale)))
    else:
        print("every table matches bench/results")
    return 0


if __name__ == "__main__":
    sys.exit(main())
