"""Store commands: ingest, status, export."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pyarrow as pa
import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from fraudnet.cli.app import EngineOpt, StoreArg, app, console, err_console
from fraudnet.errors import FraudnetError
from fraudnet.ingest import IngestResult, ingest
from fraudnet.interchange.registry import export_formats
from fraudnet.store import export_table, open_store, quarantine_summary, table_counts


@app.command("ingest")
def ingest_command(
    store: StoreArg,
    source: Annotated[Path, typer.Argument(help="A CSV/Parquet/JSONL file, or a directory.")],
    table: Annotated[str | None, typer.Option(help="Canonical table the file is for.")] = None,
    mapping: Annotated[Path | None, typer.Option(help="YAML column mapping.")] = None,
    fmt: Annotated[
        str | None, typer.Option("--format", help="Source layout of a directory, e.g. amlsim.")
    ] = None,
    input_format: Annotated[
        str | None, typer.Option(help="csv, parquet or jsonl (default: from the extension).")
    ] = None,
    with_labels: Annotated[
        bool, typer.Option(help="Load the source's ground truth into labels (evaluation only).")
    ] = False,
    strict: Annotated[
        bool, typer.Option(help="Exit non-zero when any row is quarantined.")
    ] = False,
    encoding: Annotated[
        str | None,
        typer.Option(help="Text encoding when the file has no byte-order mark (default UTF-8)."),
    ] = None,
    decimal_comma: Annotated[
        bool, typer.Option(help="Amounts are written 1.250,50 (',' decimals, '.' thousands).")
    ] = False,
    engine: EngineOpt = None,
) -> None:
    """Load a file (or a source directory) into the store; bad rows go to quarantine."""
    with open_store(store, engine) as eng, _spinner() as progress:
        task = progress.add_task("ingest", total=None)
        result = ingest(
            eng,
            source,
            table=table,
            mapping=mapping,
            input_format=input_format,
            source_format=fmt,
            with_labels=with_labels,
            progress=lambda msg: progress.update(task, description=msg),
            encoding=encoding,
            decimal_comma=decimal_comma,
        )
    _print_result(result)
    if strict and result.rows_quarantined:
        err_console.print(f"[red]{result.rows_quarantined} rows quarantined (--strict)[/red]")
        raise typer.Exit(1)


@app.command("status")
def status_command(store: StoreArg, engine: EngineOpt = None) -> None:
    """Table counts and a quarantine summary."""
    if not store.exists():
        raise FraudnetError(f"{store}: no such store")
    with open_store(store, engine) as eng:
        console.print(_rich_table(table_counts(eng), f"{store} ({eng.name})"))
        summary = quarantine_summary(eng)
        if summary.num_rows:
            console.print(_rich_table(summary, "quarantine by reason"))
        else:
            console.print("quarantine is empty")


@app.command("export")
def export_command(
    store: StoreArg,
    table: Annotated[
        str | None, typer.Argument(help="Table to export (or use --network and --format).")
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Output file: .csv or .parquet for a table; any for a network."),
    ] = None,
    network: Annotated[
        str | None, typer.Option("--network", help="Network id to export (networks.network_id).")
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format", help="Network export format: " + ", ".join(export_formats()) + "."
        ),
    ] = None,
    redact: Annotated[
        bool,
        typer.Option(
            "--redact",
            help="Mask personal fields: name, given/family name, dob, address, postcode, "
            "phone, email (and personal identifier values).",
        ),
    ] = False,
    reason: Annotated[
        str | None,
        typer.Option("--reason", help="Why a network is exported (the audit log records it)."),
    ] = None,
    profile: Annotated[
        Path | None,
        typer.Option("--profile", help="goAML: the FIU profile (YAML); the example otherwise."),
    ] = None,
    engine: EngineOpt = None,
) -> None:
    """Write a table to CSV or Parquet, or one network as FtM, goAML, MISP, STIX or i2 ANX."""
    if out is None:
        raise FraudnetError("--out FILE is required")
    if network is not None or fmt is not None:
        extra: dict[str, object] = {"goaml_profile": profile} if profile is not None else {}
        _export_network(store, table, network, fmt, out, redact, reason, engine, extra)
        return
    if table is None:
        raise FraudnetError("name a table to export, or give --network ID --format FORMAT")
    with open_store(store, engine) as eng:
        path = export_table(eng, table, out, redact=redact)
    console.print(f"wrote {path}")


def _export_network(
    store: Path,
    table: str | None,
    network: str | None,
    fmt: str | None,
    out: Path,
    redact: bool,
    reason: str | None,
    engine: str | None,
    extra: dict[str, object] | None = None,
) -> None:
    """`export STORE --network ID --format F --out FILE`: one network for another tool."""
    from fraudnet.cli.workspace_commands import shell_actor
    from fraudnet.interchange.registry import ExportOptions, export_format

    known = ", ".join(export_formats())
    if table is not None:
        raise FraudnetError(f"give a table or --network, not both (got table {table!r})")
    if network is None or fmt is None:
        raise FraudnetError(f"a network export needs --network ID and --format ({known})")
    exporter = export_format(fmt)  # an unknown format fails before the store is opened
    if not store.exists():
        raise FraudnetError(f"{store}: no such store")
    options = ExportOptions(
        redact=redact,
        actor=shell_actor(),
        reason=reason or f"analyst export to {fmt}",
        extra=dict(extra or {}),
    )
    with open_store(store, engine) as eng:
        result = exporter.export(eng, network, out, options)
    s = result.summary
    console.print(
        f"wrote {result.path} ({fmt}{', redacted' if redact else ''}): {len(s.accounts)} "
        f"accounts, {s.parties} parties, {s.payments} payments totalling {s.amount:.2f}"
    )


def _spinner() -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    )


def _print_result(result: IngestResult) -> None:
    outcomes = result.to_arrow()
    names = [Path(f).name for f in outcomes.column("file").to_pylist()]
    outcomes = outcomes.set_column(0, "file", pa.array(names, pa.string()))
    console.print(_rich_table(outcomes, f"ingest {result.load_id[:8]}"))
    if result.quarantine_reasons:
        reasons = pa.table(
            {
                "reason": list(result.quarantine_reasons),
                "rows": list(result.quarantine_reasons.values()),
            }
        )
        console.print(_rich_table(reasons, "quarantined rows by reason"))


def _rich_table(data: pa.Table, title: str) -> Table:
    table = Table(title=title)
    for name in data.column_names:
        table.add_column(name, justify="right" if name in ("rows", "first_line") else "left")
    for row in data.to_pylist():
        table.add_row(*["" if v is None else str(v) for v in row.values()])
    return table
