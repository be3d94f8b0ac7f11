"""`fraudnet demo` runs the whole pipeline end to end on a small world."""

from __future__ import annotations

import html
from pathlib import Path

from fraudnet.demo import run_demo


def test_demo_runs_end_to_end(tmp_path: Path) -> None:
    result = run_demo(tmp_path / "demo", accounts=1_500, days=30, seed=11)
    names = [s.name for s in result.steps]
    assert names == ["simulate", "resolve", "detect", "networks", "trace"]
    # Measured on this fixed world (1,500 accounts, 30 days, seed 11) at e5bd5ec: grouping F1
    # 0.4573 and held-out PR-AUC 0.865. Margin 0.05 each, so a real regression fails.
    assert result.steps[3].metrics["grouping pairwise F1"] >= 0.4573 - 0.05
    assert result.steps[2].metrics["PR-AUC"] >= 0.865 - 0.05
    simulate = result.steps[0].metrics
    assert simulate["transactions"] > 1_000 and simulate["mule accounts"] > 0
    page = result.report.read_text()
    for step in result.steps:
        assert step.title in html.unescape(page)
    assert "£" in page and "<table>" in page
    assert result.store.exists()
