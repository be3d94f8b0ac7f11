"""`fraudnet demo`: the whole pipeline on a synthetic world, end to end."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from fraudnet.cli.app import EngineOpt, app, console, engine_choice, err_console
from fraudnet.demo import run_demo
from fraudnet.errors import FraudnetError
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
    serve: Annotated[
        bool,
        typer.Option(
            "--serve", help="Then add demo logins and serve the web console on the store."
        ),
    ] = False,
    host: Annotated[str, typer.Option(help="With --serve: address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="With --serve: TCP port.", min=1, max=65535)] = 8000,
) -> None:
    """Build a synthetic world, run every analytic step, compare with the ground truth."""
    if serve and engine_choice(engine) not in (None, "duckdb"):
        raise FraudnetError("--serve needs the duckdb engine: the API serves a DuckDB store")
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
    if serve:
        serve_demo(result.store, host, port)


def serve_demo(store: Path, host: str, port: int) -> None:
    """Add an analyst and a supervisor with fresh passwords, print them, and serve the console."""
    import uvicorn

    from fraudnet.api import create_app
    from fraudnet.console import NOT_BUILT, is_built
    from fraudnet.demo.logins import add_demo_logins
    from fraudnet.store import open_store

    with open_store(store, "duckdb") as opened:
        logins = add_demo_logins(opened)
    table = Table(title="demo logins (passwords are new on every run)")
    for column in ("user", "role", "password"):
        table.add_column(column)
    for login in logins:
        table.add_row(login.user_id, login.role, login.password)
    console.print(table)
    if not is_built():
        err_console.print(f"warning: {NOT_BUILT}")
    console.print(f"fraudnet console on http://{host}:{port}/ (API docs at /docs); Ctrl-C stops it")
    uvicorn.run(create_app(store), host=host, port=port, log_level="warning")
