"""`fraudnet demo`: build a synthetic world, run every analytic core, report against truth."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from fraudnet.atomic import private_dir
from fraudnet.demo.report import write_report
from fraudnet.demo.steps import DEMO_STEPS, DemoSettings, StepReport
from fraudnet.engine import open_engine


@dataclass
class DemoResult:
    store: Path
    report: Path
    steps: list[StepReport]


def run_demo(
    out_dir: Path,
    accounts: int,
    days: int,
    seed: int,
    engine: str | None = None,
    on_step: Callable[[str], None] | None = None,
) -> DemoResult:
    """Run the whole pipeline into a fresh store under `out_dir` and write report.html."""
    private_dir(out_dir)
    store_path = out_dir / ("fraudnet.duckdb" if engine != "spark" else "store")
    _remove_store(store_path)
    settings = DemoSettings(accounts=accounts, days=days, seed=seed, out_dir=out_dir)
    reports: list[StepReport] = []
    with open_engine(store_path, engine) as store:
        for step in DEMO_STEPS:
            if on_step:
                on_step(step.__name__.removesuffix("_step"))
            reports.append(step(store, settings))
    report = write_report(out_dir / "report.html", settings, reports)
    return DemoResult(store_path, report, reports)


def _remove_store(path: Path) -> None:
    import shutil

    if path.is_dir():
        shutil.rmtree(path)
    for candidate in (path, path.with_name(path.name + ".wal")):
        if candidate.is_file():
            candidate.unlink()


__all__ = ["DemoResult", "DemoSettings", "StepReport", "run_demo"]
