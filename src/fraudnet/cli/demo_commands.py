"""`fraudnet demo`: the whole pipeline on a synthetic world, end to end."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from fraudnet.cli.app import EngineOpt, app, console, err_console
from fraudnet.demo import run_demo
from fraudnet.simulate import DEMO_ACCOUNTS, DEMO_DAYS


@app.command("demo")
def demo_command(
    out: Annotated[Path, typer.Option(help="Folder for the store and report.html.")] = Path(
        "out/demo"
    ),
    accounts: Annotated[int, typer.Option(help="Accounts in the world.")] = DEMO_ACCOUNTS,
    days: Annotated[int, typer.Option(help="Days of activity.")] = DEMO_DAYS,
    seed: Annotated[int, typer.Option(help="World seed: same seed, same world.")] = 7,
    engine: EngineOpt = None,
) -> None:
    """Build a synthetic world, run every analytic step, compare with the ground truth."""
    with Progress(
        SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=err_console
    ) as progress:
        task = progress.add_task("starting", total=None)
        result = run_demo(
            out,
            accounts,
            days,
            seed,
            engine,
            on_step=lambda name: progress.update(task, description=f"running {name}"),
        )
    for step in result.steps:
        table = Table(title=f"{step.title} ({step.seconds} s)", show_header=False)
        for key, value in step.metrics.items():
            table.add_row(key, str(value))
        console.print(table)
        if step.table is not None:
            detail = Table()
            for name in step.table.column_names:
                detail.add_column(name)
            for row in step.table.to_pylist():
                detail.add_row(*[str(v) for v in row.values()])
            console.print(detail)
        if step.note:
            console.print(step.note)
    console.print(f"store: {result.store}\nreport: {result.report}")
