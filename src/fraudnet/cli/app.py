"""The Typer application every command module attaches to; kept free of command imports."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from fraudnet.cli.errors import FraudnetGroup

app = typer.Typer(
    name="fraudnet",
    help="Fight criminal networks with networks: ingest, detect, trace and share.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    cls=FraudnetGroup,
)
share_app = typer.Typer(
    help="Match and share with other organisations without handing over personal data.",
    no_args_is_help=True,
)
app.add_typer(share_app, name="share")
console = Console()
err_console = Console(stderr=True)

StoreArg = Annotated[
    Path, typer.Argument(help="Store: a DuckDB file, or a directory for the Spark engine.")
]
EngineOpt = Annotated[
    str | None,
    typer.Option(
        "--engine",
        help="duckdb or spark (default: FRAUDNET_ENGINE, or what the store already is).",
        envvar="FRAUDNET_ENGINE",
    ),
]


@app.callback()
def main_options(
    debug: Annotated[
        bool,
        typer.Option(
            "--debug",
            help="Show the full traceback of an error instead of one line.",
            envvar="FRAUDNET_DEBUG",
        ),
    ] = False,
) -> None:
    """Fight criminal networks with networks: ingest, detect, trace and share."""
    os.umask(0o077)  # side files (DuckDB's WAL, Spark parts) are private too


def engine_choice(engine: str | None) -> str | None:
    return engine or os.environ.get("FRAUDNET_ENGINE")
