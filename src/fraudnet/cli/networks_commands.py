"""`fraudnet networks`, `report`, `neighbourhood` and `path`: rings, herders and their reports."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from fraudnet.cli.app import EngineOpt, StoreArg, app, console, err_console
from fraudnet.store import open_store


@app.command("networks")
def networks_command(
    store: StoreArg,
    hops: Annotated[int, typer.Option(help="Money hops to follow from the seeds.")] = 3,
    window_hours: Annotated[
        int, typer.Option(help="A payment continues the taint if made this soon after.")
    ] = 168,
    top: Annotated[int, typer.Option(help="Networks to print.")] = 15,
    seed_accounts: Annotated[
        Path | None,
        typer.Option("--seed-accounts", help="File of account ids (one a line) to seed from."),
    ] = None,
    engine: EngineOpt = None,
) -> None:
    """Find mule networks and herders; writes networks and network_roles."""
    from fraudnet.networks import ExpansionSettings, build_networks  # loads on use
    from fraudnet.networks.named import read_seed_accounts

    settings = ExpansionSettings(hops=hops, window_hours=window_hours)
    named = read_seed_accounts(seed_accounts) if seed_accounts else None
    with open_store(store, engine) as eng, console.status("building networks"):
        result = build_networks(eng, settings, seeds=named)
    frame = result.networks_frame()
    table = Table(title=f"{frame.height} networks (seeded from {result.graph.seeded_from})")
    columns = ("rank", "network_id", "size", "victims", "victim_funds", "herders")
    for column in (*columns, "typology", "seeded_from"):
        table.add_column(column, justify="left" if column == "network_id" else "right")
    for row in frame.head(top).iter_rows(named=True):
        table.add_row(
            str(row["rank"]),
            row["network_id"],
            str(row["size"]),
            str(row["victims"]),
            f"£{row['victim_funds']:,.2f}",
            str(row["herders"]),
            str(row["typology"] or "-"),
            str(row["seeded_from"]),
        )
    console.print(table)


@app.command("report")
def report_command(
    store: StoreArg,
    network: Annotated[str, typer.Option("--network", help="Network id (networks.network_id).")],
    out: Annotated[Path, typer.Option("--out", help="FILE.html or FILE.pdf.")],
    redact: Annotated[
        bool,
        typer.Option("--redact", help="Mask holders' names and personal identifier values."),
    ] = False,
    engine: EngineOpt = None,
) -> None:
    """Write the intelligence report for one network as HTML (or PDF, through Chromium)."""
    from fraudnet.report import write_report

    with open_store(store, engine) as eng:
        path = write_report(eng, network, out, redact=redact)
    console.print(f"report → {path}")


@app.command("neighbourhood")
def neighbourhood_command(
    store: StoreArg,
    subject: Annotated[str, typer.Argument(help="Account id or party id.")],
    hops: Annotated[int, typer.Option("--hops", help="How many hops out.")] = 2,
    engine: EngineOpt = None,
) -> None:
    """Accounts within K hops by money and shared devices/IPs."""
    from fraudnet.graph import neighbourhood

    with open_store(store, engine) as eng:
        result = neighbourhood(eng, subject, hops=hops)
    table = Table(title=f"{result.num_rows} accounts within {hops} hops of {subject}")
    for column in ("node", "hop", "via", "links", "hub"):
        table.add_column(column)
    for row in result.to_pylist()[:200]:
        table.add_row(*(str(row[c]) for c in ("node", "hop", "via", "links", "hub")))
    console.print(table)


@app.command("path")
def path_command(
    store: StoreArg,
    source: Annotated[str, typer.Argument(help="From account.")],
    target: Annotated[str, typer.Argument(help="To account.")],
    max_hops: Annotated[int, typer.Option(help="Longest path considered.")] = 6,
    engine: EngineOpt = None,
) -> None:
    """The strongest money path between two accounts, with the payments on each step."""
    from fraudnet.graph import strongest_path

    with open_store(store, engine) as eng:
        path = strongest_path(eng, source, target, max_hops=max_hops)
    if not path.accounts:
        err_console.print(f"no money path from {source} to {target} within {max_hops} hops")
        raise typer.Exit(1)
    console.print(" → ".join(path.accounts) + f"  (bottleneck £{path.bottleneck:,.2f})")
    table = Table(title="payments along the path")
    for column in ("step", "ts", "txn_id", "src_account", "dst_account", "amount", "channel"):
        table.add_column(column)
    for row in path.payments.to_pylist():
        table.add_row(
            str(row["step"]),
            str(row["ts"]),
            row["txn_id"],
            row["src_account"],
            row["dst_account"],
            f"£{row['amount']:,.2f}",
            row["channel"],
        )
    console.print(table)
