"""`fraudnet share psi-request / psi-respond / psi-finish`: PSI between two stores, by files."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Annotated

import typer

from fraudnet.atomic import atomic_path
from fraudnet.cli.app import EngineOpt, StoreArg, console, engine_choice, share_app
from fraudnet.errors import FraudnetError
from fraudnet.store import open_store

KeysOpt = Annotated[
    Path,
    typer.Option("--keys", help="This organisation's key directory (signs its PSI messages)."),
]
PartnerOpt = Annotated[str, typer.Option("--partner", help="The other organisation's name.")]
SetOpt = Annotated[
    str | None,
    typer.Option("--set", help="Identifier set of this store (accounts, phones, ...)."),
]


def _write(path: Path, data: bytes) -> None:
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    console.print(f"wrote {path} ({len(data):,} bytes)")


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as err:
        raise FraudnetError(f"cannot read ({err.strerror})", file=str(path)) from None


@share_app.command("psi-request")
def psi_request_command(
    store: StoreArg,
    keys_dir: KeysOpt,
    partner: PartnerOpt,
    out: Annotated[Path, typer.Option("--out", help="Request file to hand to the partner.")],
    kind: Annotated[str, typer.Option(help="account, phone, email, device or ip.")] = "account",
    set_name: SetOpt = None,
    values: Annotated[
        Path | None, typer.Option("--values", help="Text file of values, one a line.")
    ] = None,
    mode: Annotated[str, typer.Option(help="cardinality or intersection.")] = "cardinality",
    engine: EngineOpt = None,
) -> None:
    """Ask a partner which (or how many) of this store's identifiers it holds too."""
    from fraudnet.share.keys import load_keys
    from fraudnet.share.psi_sets import query_values
    from fraudnet.share.psi_store import send_request

    keys = load_keys(keys_dir)
    keys.partner(partner)  # its keys must be known to read the signed answer
    with open_store(store, engine_choice(engine)) as eng:
        asked = query_values(eng, set_name, str(values) if values else None, kind)
        message = send_request(eng, keys, partner, kind, asked, mode)
    console.print(f"{len(asked):,} {kind} values, mode {mode}")
    _write(out, message)


@share_app.command("psi-respond")
def psi_respond_command(
    store: StoreArg,
    keys_dir: KeysOpt,
    partner: PartnerOpt,
    request: Annotated[Path, typer.Option("--in", help="Request file from the partner.")],
    out: Annotated[Path, typer.Option("--out", help="Response file to send back.")],
    set_name: SetOpt = None,
    allow_intersection: Annotated[
        bool, typer.Option(help="Let the partner learn which values match, not just how many.")
    ] = False,
    max_queries: Annotated[int, typer.Option(help="Queries answered per partner per period.")] = 10,
    max_values: Annotated[
        int, typer.Option(help="Values answered per partner per period.")
    ] = 1_000_000,
    period_hours: Annotated[float, typer.Option(help="Length of the cap's period.")] = 24.0,
    engine: EngineOpt = None,
) -> None:
    """Answer a partner's PSI request from this store's own identifiers, within its cap."""
    from fraudnet.share.keys import load_keys
    from fraudnet.share.psi_sets import query_values
    from fraudnet.share.psi_store import QueryCap, read_signed_request, respond

    keys = load_keys(keys_dir)
    message = _read(request)
    header = read_signed_request(message, keys, str(request))
    cap = QueryCap(max_queries, max_values, timedelta(hours=period_hours))
    with open_store(store, engine_choice(engine)) as eng:
        held = query_values(eng, set_name, None, header.kind)
        answer = respond(eng, keys, message, str(request), partner, held, cap, allow_intersection)
    console.print(f"answered {header.sender}: {header.set_size:,} asked, {len(held):,} held")
    _write(out, answer)


@share_app.command("psi-finish")
def psi_finish_command(
    store: StoreArg,
    keys_dir: KeysOpt,
    response: Annotated[Path, typer.Option("--in", help="Response file from the partner.")],
    engine: EngineOpt = None,
) -> None:
    """Read the partner's answer: the count, and in intersection mode the hits (psi_matches)."""
    from fraudnet.share.keys import load_keys
    from fraudnet.share.psi_store import finish

    keys = load_keys(keys_dir)
    with open_store(store, engine_choice(engine)) as eng:
        result = finish(eng, keys, _read(response), str(response))
    console.print(
        f"{result.partner} holds {result.matched_count:,} of {result.set_size:,} {result.kind} "
        f"values ({result.mode})"
    )
    if result.matched_values is not None:
        console.print("matched values written to table psi_matches")
