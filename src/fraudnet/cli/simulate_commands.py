"""`fraudnet simulate`: write a synthetic UK banking world with ground truth into a store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from fraudnet.cli.app import EngineOpt, app, console, engine_choice
from fraudnet.engine import open_engine
from fraudnet.errors import FraudnetError
from fraudnet.simulate import DEMO_ACCOUNTS, DEMO_DAYS, SimulationSummary, simulate_world
from fraudnet.simulate.population import MIN_ACCOUNTS


@app.command("simulate")
def simulate_command(
    out: Annotated[Path, typer.Option("--out", help="Store to write (DuckDB file or directory).")],
    accounts: Annotated[int, typer.Option(help="Number of bank accounts.")] = DEMO_ACCOUNTS,
    days: Annotated[int, typer.Option(help="Length of the simulated window in days.")] = DEMO_DAYS,
    seed: Annotated[int, typer.Option(help="Random seed: same seed, same world.")] = 0,
    replace: Annotated[
        bool, typer.Option(help="Overwrite the world tables of a store that already has data.")
    ] = False,
    engine: EngineOpt = None,
    split_by: Annotated[
        str | None,
        typer.Option(
            "--split-by",
            help="institution: --out is a folder with one store per bank, police and truth.",
        ),
    ] = None,
) -> None:
    """Generate a synthetic world (victims, mule networks, herders, look-alikes) into a store."""
    if accounts < MIN_ACCOUNTS or days < 1:
        raise FraudnetError(f"need --accounts >= {MIN_ACCOUNTS} and --days >= 1")
    if split_by is not None:
        _simulate_split(split_by, out, accounts, days, seed, replace)
        return
    with (
        open_engine(out, engine_choice(engine)) as eng,
        Progress(
            SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=console
        ) as progress,
    ):
        task = progress.add_task("simulate", total=2)

        def stage(name: str) -> None:
            progress.update(task, description=f"{name} {accounts:,} accounts x {days} days")
            if name == "writing":
                progress.advance(task)

        summary = simulate_world(
            eng, accounts=accounts, days=days, seed=seed, on_stage=stage, replace=replace
        )
        progress.advance(task)
    console.print(summary_table(summary, out))


def _simulate_split(
    split_by: str, out: Path, accounts: int, days: int, seed: int, replace: bool
) -> None:
    if split_by != "institution":
        raise FraudnetError(f"--split-by {split_by!r}: only 'institution' is known")
    from fraudnet.cli.share_commands import split_table
    from fraudnet.share.split import write_split
    from fraudnet.simulate import world_tables

    with console.status("simulating and splitting by institution"):
        stores = write_split(world_tables(accounts, days, seed), out, replace=replace)
    console.print(split_table(stores))


def summary_table(summary: SimulationSummary, out: Path) -> Table:
    table = Table(title=f"simulated world -> {out} (seed {summary.seed})")
    table.add_column("what")
    table.add_column("count", justify="right")
    for name, rows in summary.rows.items():
        table.add_row(name, f"{rows:,}")
    table.add_row("criminal networks", f"{summary.networks:,}")
    table.add_row("mule accounts", f"{summary.mule_accounts:,}")
    table.add_row("scam victims", f"{summary.victims:,}")
    table.add_row(
        "seconds (generate / write)", f"{summary.generate_seconds} / {summary.write_seconds}"
    )
    return table
