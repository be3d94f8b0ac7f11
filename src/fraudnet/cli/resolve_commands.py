"""Entity resolution commands: `fraudnet resolve` and `fraudnet judge`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from fraudnet.cli.app import EngineOpt, StoreArg, app, console, engine_choice
from fraudnet.engine import open_engine
from fraudnet.errors import FraudnetError
from fraudnet.resolve.threshold import DEFAULT_THRESHOLD


@app.command("resolve")
def resolve_command(
    store: StoreArg,
    threshold: Annotated[
        float, typer.Option(help="Match probability at or above which two parties are linked.")
    ] = DEFAULT_THRESHOLD,
    retrain: Annotated[
        bool, typer.Option(help="Train the Splink model again instead of reusing the saved one.")
    ] = False,
    model: Annotated[
        Path | None, typer.Option(help="Where the model JSON is kept (default: beside the store).")
    ] = None,
    engine: EngineOpt = None,
) -> None:
    """Link parties into entities (Splink), with evidence, stable ids and identifier links."""
    from fraudnet.resolve import resolve_parties  # Splink loads when the command runs

    with (
        open_engine(store, engine_choice(engine)) as eng,
        Progress(
            SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=console
        ) as progress,
    ):
        if eng.count("parties") == 0:
            raise FraudnetError("the store has no parties to resolve")
        task = progress.add_task("resolving", total=None)
        result = resolve_parties(
            eng,
            threshold=threshold,
            model_path=model,
            retrain=retrain,
            progress=lambda step: progress.update(task, description=f"done: {step}"),
        )
    summary = result.summary()
    table = Table(title="Entity resolution", show_header=False)
    labels = {
        "parties": "parties",
        "entities": "entities",
        "links_linked": "links used",
        "links_confirmed": "links confirmed by analysts",
        "links_cut": "links cut by judgements",
        "identifier_links": "shared-identifier links (not merges)",
        "entity_id_changes": "entity ids merged or split",
        "threshold": "threshold",
        "model_path": "model",
        "seconds": "seconds",
    }
    for key, label in labels.items():
        table.add_row(label, str(summary[key]))
    table.add_row("model state", str(summary["model_state"]))
    console.print(table)


@app.command("judge")
def judge_command(
    store: StoreArg,
    party_l: Annotated[str, typer.Argument(help="One party id.")],
    party_r: Annotated[str, typer.Argument(help="The other party id.")],
    by: Annotated[str, typer.Option("--by", help="Who decides (analyst id).")],
    confirm: Annotated[bool, typer.Option("--confirm", help="Same entity.")] = False,
    reject: Annotated[bool, typer.Option("--reject", help="Never the same entity.")] = False,
    unsure: Annotated[bool, typer.Option("--unsure", help="Record doubt; no effect.")] = False,
    reason: Annotated[str | None, typer.Option(help="Why, in your words.")] = None,
    engine: EngineOpt = None,
) -> None:
    """Record an analyst's judgement on a pair of parties; later `resolve` runs respect it."""
    chosen = [
        name
        for name, flag in (("POSITIVE", confirm), ("NEGATIVE", reject), ("UNSURE", unsure))
        if flag
    ]
    if len(chosen) != 1:
        raise FraudnetError("give exactly one of --confirm, --reject, --unsure")
    from fraudnet.resolve import judge_link

    with open_engine(store, engine_choice(engine)) as eng:
        row = judge_link(eng, party_l, party_r, chosen[0], decided_by=by, reason=reason)
    console.print(
        f"recorded [bold]{row['judgement']}[/bold] for {row['party_id_l']} / {row['party_id_r']} "
        f"by {row['decided_by']} at {row['decided_at']:%Y-%m-%d %H:%M:%S} UTC; "
        "run `fraudnet resolve` to apply it"
    )
