"""`fraudnet detect` and `fraudnet evaluate`: score accounts, pick alerts, measure quality."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from fraudnet.cli.app import EngineOpt, StoreArg, app, console, engine_choice
from fraudnet.detect.budget import DEFAULT_ALERT_BUDGET
from fraudnet.errors import FraudnetError
from fraudnet.store import open_store

if TYPE_CHECKING:
    from fraudnet.detect import DetectResult, EvaluationReport


@app.command("detect")
def detect_command(
    store: StoreArg,
    as_of: Annotated[
        datetime | None,
        typer.Option("--as-of", help="Cut-off, UTC: nothing after it is used (default: latest)."),
    ] = None,
    alert_budget: Annotated[
        int, typer.Option("--alert-budget", help="How many alerts analysts can review.")
    ] = DEFAULT_ALERT_BUDGET,
    reveal_ground_truth: Annotated[
        float,
        typer.Option(
            "--reveal-ground-truth",
            help="Train on this random fraction of ground-truth accounts (experiments only).",
        ),
    ] = 0.0,
    seed: Annotated[int, typer.Option("--seed", help="Seed for folds, sampling, reveal.")] = 0,
    reveal_split: Annotated[
        str,
        typer.Option(
            "--reveal-split",
            help="How --reveal-ground-truth draws: random (accounts), ring (whole rings), "
            "time (crime started by T).",
        ),
    ] = "random",
    per_day: Annotated[
        bool,
        typer.Option(
            "--per-day", help="--alert-budget is alerts per day (a review queue), not a total."
        ),
    ] = False,
    days: Annotated[
        int,
        typer.Option(
            "--days", help="With --per-day: how many days before the cut-off to replay (1 = daily)."
        ),
    ] = 1,
    engine: EngineOpt = None,
) -> None:
    """Score every account as of a cut-off; write account_features, rule_hits, scores, alerts."""
    if alert_budget < 0 or not 0.0 <= reveal_ground_truth <= 1.0:
        raise FraudnetError("need --alert-budget >= 0 and 0 <= reveal <= 1")
    if days < 1:
        raise FraudnetError("--days must be at least 1")
    from fraudnet.detect import detect  # the analytic stack loads when a command needs it

    with (
        open_store(store, engine_choice(engine)) as eng,
        Progress(
            SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=console
        ) as progress,
    ):
        task = progress.add_task("detect", total=None)
        result = detect(
            eng,
            as_of=as_of,
            alert_budget=alert_budget,
            reveal_ground_truth=reveal_ground_truth,
            seed=seed,
            reveal_split=reveal_split,
            per_day_window=days if per_day else None,
            progress=lambda stage: progress.update(task, description=stage),
        )
    console.print(_alerts_table(result))


@app.command("evaluate")
def evaluate_command(
    store: StoreArg,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write evaluation.json and pr_curve.png here.")
    ] = None,
    threshold: Annotated[float, typer.Option(help="Score threshold for precision/recall.")] = 0.5,
    engine: EngineOpt = None,
) -> None:
    """Measure the latest scores against labels (accounts trained on are left out)."""
    from fraudnet.detect import evaluate

    with open_store(store, engine_choice(engine)) as eng:
        if eng.count("scores") == 0:
            raise FraudnetError("no scores yet: run `fraudnet detect` first")
        report = evaluate(eng, out=out, threshold=threshold)
    console.print(_report_table(report))
    if out is not None:
        console.print(f"wrote {out / 'evaluation.json'} and {out / 'pr_curve.png'}")


def _alerts_table(result: DetectResult) -> Table:
    table = Table(
        title=f"{result.alerts.num_rows} alerts as of {result.as_of:%Y-%m-%d %H:%M} "
        f"({result.mode}, {result.model_version})"
    )
    for column in ("rank", "account", "score", "reasons"):
        table.add_column(column)
    for row in result.alerts.slice(0, 20).to_pylist():
        table.add_row(str(row["rank"]), row["account_id"], f"{row['score']:.3f}", row["reasons"])
    return table


def _report_table(report: EvaluationReport) -> Table:
    table = Table(title=f"evaluation against {report.truth_source} labels")
    table.add_column("metric")
    table.add_column("value", justify="right")
    rows = [
        ("accounts evaluated (trained-on excluded)", f"{report.accounts_evaluated:,}"),
        ("positives", f"{report.positives:,}"),
        ("PR-AUC", f"{report.pr_auc:.3f}"),
        ("base rate", f"{report.base_rate:.4f}"),
        (f"precision / recall / F1 at {report.threshold}", _prf(report, "threshold")),
        (f"precision / recall at budget {report.alert_budget}", _prf(report, "budget")),
        ("networks with a member alerted", f"{report.network_recall_at_budget:.2%}"),
    ]
    rows += [(f"recall at budget: {k}", f"{v:.2%}") for k, v in report.recall_by_role.items()]
    rows += [(f"recall at budget: {k}", f"{v:.2%}") for k, v in report.recall_by_typology.items()]
    for name, value in rows:
        table.add_row(name, value)
    return table


def _prf(report: EvaluationReport, at: str) -> str:
    p = getattr(report, f"precision_at_{at}")
    r = getattr(report, f"recall_at_{at}")
    f1 = f" / {report.f1_at_threshold:.3f}" if at == "threshold" else ""
    return f"{p:.3f} / {r:.3f}{f1}"
