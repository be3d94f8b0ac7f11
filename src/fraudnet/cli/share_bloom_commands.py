"""`fraudnet share encode / match`: fuzzy person matching between two stores by files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from fraudnet.atomic import write_atomic
from fraudnet.cli.app import EngineOpt, StoreArg, console, engine_choice, share_app
from fraudnet.errors import FraudnetError
from fraudnet.share.bloom_files import DEFAULT_THRESHOLD
from fraudnet.share.bloom_profiles import DEFAULT_PROFILE
from fraudnet.store import open_store

KeysOpt = Annotated[Path, typer.Option("--keys", help="This organisation's key directory.")]
STORE_SUFFIXES = (".duckdb", ".db")


@share_app.command("encode")
def encode_command(
    store: StoreArg,
    keys_dir: KeysOpt,
    partner: Annotated[str, typer.Option("--partner", help="Organisation to match with.")],
    out: Annotated[Path, typer.Option("--out", help="Encodings file to write.")],
    profile: Annotated[
        str, typer.Option(help="Encoder profile: hardened, balanced or unhardened.")
    ] = DEFAULT_PROFILE,
    engine: EngineOpt = None,
) -> None:
    """Write hardened Bloom encodings of this store's people for one partner (no plaintext)."""
    from fraudnet.share.bloom_files import encode_store
    from fraudnet.share.keys import load_keys

    keys = load_keys(keys_dir)
    with open_store(store, engine_choice(engine)) as eng:
        encodings = encode_store(eng, keys, partner, profile)
    write_atomic(out, encodings.to_bytes())
    console.print(
        f"wrote {out}: {len(encodings.party_ids):,} people of {keys.org} encoded for {partner} "
        f"({profile})"
    )


@share_app.command("match")
def match_command(
    theirs: Annotated[Path, typer.Argument(help="The partner's encodings file.")],
    ours: Annotated[Path, typer.Argument(help="This organisation's encodings file, or its store.")],
    out: Annotated[Path, typer.Option("--out", help="CSV of matched pairs with Dice.")],
    keys_dir: Annotated[
        Path | None, typer.Option("--keys", help="Key directory, when OURS is a store.")
    ] = None,
    threshold: Annotated[
        float, typer.Option(help="Lowest Dice similarity kept as a match.")
    ] = DEFAULT_THRESHOLD,
    engine: EngineOpt = None,
) -> None:
    """Link the partner's people to ours, one to one: party ids and Dice, best first."""
    from fraudnet.safe_csv import write_safe_csv
    from fraudnet.share.bloom_files import Encodings, encode_store, match_encodings
    from fraudnet.share.keys import load_keys

    partner = Encodings.read(theirs)
    if ours.suffix in STORE_SUFFIXES:
        if keys_dir is None:
            raise FraudnetError(f"{ours} is a store: give --keys to encode it for matching")
        with open_store(ours, engine_choice(engine)) as eng:
            own = encode_store(eng, load_keys(keys_dir), partner.org, partner.profile)
    else:
        own = Encodings.read(ours)
    pairs = match_encodings(partner, own, threshold)
    pairs = pairs.rename_columns([f"{partner.org}_party_id", f"{own.org}_party_id", "dice"])
    write_safe_csv(pairs, out)
    console.print(
        f"{pairs.num_rows:,} matched pairs of {len(partner.party_ids):,} {partner.org} and "
        f"{len(own.party_ids):,} {own.org} people at Dice >= {threshold:g} → {out}"
    )
