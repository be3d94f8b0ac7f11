"""The measured tables in README.md and docs/ match the results files they are rendered from."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def _check(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(root / "bench" / "doc_tables.py"), "--check"],
        capture_output=True,
        text=True,
    )


def test_docs_tables_match_results() -> None:
    done = _check(ROOT)
    assert done.returncode == 0, done.stderr


def test_a_figure_edited_by_hand_is_caught(tmp_path: Path) -> None:
    (tmp_path / "bench").mkdir()
    shutil.copy(ROOT / "bench" / "doc_tables.py", tmp_path / "bench")
    shutil.copytree(ROOT / "bench" / "results", tmp_path / "bench" / "results")
    shutil.copytree(ROOT / "docs", tmp_path / "docs")
    shutil.copy(ROOT / "README.md", tmp_path)
    run = {"commit": "abc1234", "started_at": "2026-12-02T08:00:00+00:00", "machine": "m"}
    totals = {"held": "12.34", "exited": "1.00", "unexplained": "0.00"}
    fifo = {"seconds": 2.5, "traces": 3, "trace_flows": 4, "totals": totals}
    results = {"rules": {"fifo": fifo}, "run": run}
    (tmp_path / "bench" / "results" / "trace.json").write_text(json.dumps(results))
    (tmp_path / "docs" / "benchmarks.md").write_text(
        "# b\n\n<!-- table: trace -->\n| rule | seconds |\n|---|---|\n| fifo | 0.1 |\n"
        "<!-- /table -->\n"
    )
    done = _check(tmp_path)
    assert done.returncode == 1
    assert "docs/benchmarks.md" in done.stderr
    rendered = subprocess.run(
        [sys.executable, str(tmp_path / "bench" / "doc_tables.py")], capture_output=True, text=True
    )
    assert rendered.returncode == 0, rendered.stderr
    assert _check(tmp_path).returncode == 0
    text = (tmp_path / "docs" / "benchmarks.md").read_text()
    assert "| fifo | 0.1 |" not in text
    assert "| fifo | 2.5 | 3 | 4 | 12.34 |" in text
    assert "commit abc1234" in text


def _split_row(
    world: str, split: str, seed: int, fraudnet: float, baseline: float
) -> dict[str, Any]:
    bucket = {"bucket": "span > 10 days", "positives": 7, "base_rate": 0.002 * seed}
    timing = [{**bucket, "fraudnet": fraudnet, "baseline": 0.5}]
    return {
        "world": world,
        "seed": seed,
        "split": split,
        "positives": 40 + seed,
        "fraudnet": {"pr_auc": fraudnet},
        "baseline": {"pr_auc": baseline},
        "by_timing": timing if world == "amlsim" else [],
    }


def test_detect_splits_table_renders_world_by_split(tmp_path: Path) -> None:
    (tmp_path / "bench" / "results").mkdir(parents=True)
    shutil.copy(ROOT / "bench" / "doc_tables.py", tmp_path / "bench")
    (tmp_path / "docs").mkdir()
    (tmp_path / "README.md").write_text("# r\n")
    summary = {
        "amlsim / ring": {
            "fraudnet_mean_pr_auc": 0.8125,
            "fraudnet_min_pr_auc": 0.75,
            "baseline_mean_pr_auc": 0.9,
            "baseline_min_pr_auc": 0.875,
            "min_margin": -0.125,
        }
    }
    rows = [
        _split_row("amlsim", "ring", 1, 0.75, 0.875),
        _split_row("amlsim", "ring", 2, 0.875, 0.9),
    ]
    run = {"commit": "def5678", "started_at": "2026-12-02T13:40:00+00:00", "machine": "m"}
    results = {"summary": summary, "rows": rows, "run": run}
    name = "detect_quality_eval7.json"  # bench/doc_tables.py DETECT_SPLITS
    (tmp_path / "bench" / "results" / name).write_text(json.dumps(results))
    doc = tmp_path / "docs" / "detection.md"
    doc.write_text(
        "# d\n\n<!-- table: detect-splits -->\nold\n<!-- /table -->\n\n"
        "<!-- table: detect-timing -->\nold\n<!-- /table -->\n"
    )
    done = subprocess.run(
        [sys.executable, str(tmp_path / "bench" / "doc_tables.py")], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    text = doc.read_text()
    assert "| amlsim | ring | 0.8125 | 0.75 | 0.9 | 0.875 | -0.125 | 41, 42 |" in text
    assert "| amlsim | ring | span > 10 days | 0.8125 | 0.5 | 14 | 0.003 |" in text
    assert "old" not in text and "commit def5678" in text
