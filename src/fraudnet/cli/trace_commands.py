"""`fraudnet trace`: follow reported fraud payments to where the money is now."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from fraudnet.cli.app import EngineOpt, StoreArg, app, console
from fraudnet.errors import FraudnetError
from fraudnet.store import open_store
from fraudnet.trace import TraceResult, prepare, rule_names, trace_ledger
from fraudnet.trace.freeze import write_freeze_list
from fraudnet.trace.result import store_results


@app.command("trace")
def trace_command(
    store: StoreArg,
    rule: Annotated[
        list[str],
        typer.Option("--rule", help="fifo, lifo, pro_rata, hallett, poison or all (repeatable)."),
    ] = ["fifo"],  # noqa: B006  (Typer reads the default)
    report: Annotated[
        list[str] | None, typer.Option("--report", help="Report id to trace (repeatable).")
    ] = None,
    as_of: Annotated[
        datetime | None, typer.Option("--as-of", help="Ledger cut-off, UTC (default: latest).")
    ] = None,
    freeze_list: Annotated[
        Path | None, typer.Option("--freeze-list", help="Write the freeze list CSV here.")
    ] = None,
    sankey: Annotated[
        Path | None, typer.Option("--sankey", help="Write one Sankey HTML per report here.")
    ] = None,
    engine: EngineOpt = None,
) -> None:
    """Trace each reported payment under the chosen rules; writes traces and trace_flows."""
    rules = rule_names() if "all" in rule else rule
    unknown = sorted(set(rules) - set(rule_names()))
    if unknown:
        raise FraudnetError(
            f"unknown rule(s) {', '.join(unknown)}; known rules: all, {', '.join(rule_names())}"
        )
    results = []
    with open_store(store, engine) as eng:
        with console.status("restricting the ledger to what the reports can reach"):
            ledger = prepare(eng, report or None, as_of)
        for name in rules:
            with console.status(f"tracing under {name}"):
                results.append(trace_ledger(eng, ledger, name, store=False))
        with console.status(f"storing {len(results)} rule(s) in one commit"):
            store_results(eng, results, [r.report_id for r in ledger.reports])
    console.print(_summary(results, len(ledger.reports)))
    for result in results:
        _write_outputs(result, freeze_list, sankey, multiple=len(results) > 1)


def _write_outputs(
    result: TraceResult, freeze_list: Path | None, sankey: Path | None, multiple: bool
) -> None:
    if freeze_list is not None:
        path = freeze_list
        if multiple:
            path = freeze_list.with_name(f"{freeze_list.stem}-{result.rule}{freeze_list.suffix}")
        rows = write_freeze_list(result, path)
        console.print(f"freeze list ({result.rule}): {rows} rows → {path}")
    if sankey is not None:
        from fraudnet.trace.sankey import write_sankeys  # plotly loads only for Sankey pages

        written = write_sankeys(result, sankey)
        console.print(f"Sankey diagrams ({result.rule}): {len(written)} files → {sankey}")


def _summary(results: list[TraceResult], n_reports: int) -> Table:
    table = Table(title=f"Traced {n_reports} reports")
    for column in ("rule", "held", "exited", "unexplained", "note"):
        table.add_column(column, justify="left" if column in ("rule", "note") else "right")
    for result in results:
        totals = result.totals()
        note = "upper bound: overlaps between victims, never sum" if result.upper_bound else ""
        table.add_row(
            result.rule,
            *(f"£{totals[k]:,}" for k in ("held", "exited", "unexplained")),
            note,
        )
    return table
