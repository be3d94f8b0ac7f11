"""`fraudnet share ...`: split a world into organisations, keys, send and receive packages."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from fraudnet.atomic import write_atomic
from fraudnet.cli.app import StoreArg, console, share_app
from fraudnet.cli.errors import FraudnetGroup
from fraudnet.errors import FraudnetError
from fraudnet.share.grading import DEFAULT_CONDITIONS, Grading
from fraudnet.share.intel import flagged_accounts
from fraudnet.share.keys import import_partner, init_keys, load_keys, public_bundle
from fraudnet.share.package import DEFAULT_VALID_DAYS, PackageRequest, build_package
from fraudnet.share.receive import receive_package
from fraudnet.share.split import MIN_BANK_ACCOUNTS, OrgStore, write_split
from fraudnet.simulate import DEMO_DAYS, world_tables
from fraudnet.simulate.population import MIN_ACCOUNTS
from fraudnet.store import open_store

keys_app = typer.Typer(help="Each organisation's keys, kept outside its store.", cls=FraudnetGroup)
share_app.add_typer(keys_app, name="keys")

KeysOpt = Annotated[Path, typer.Option("--keys", help="This organisation's key directory.")]


@share_app.command("split-world")
def split_world_command(
    out: Annotated[Path, typer.Option("--out", help="Folder for one store per organisation.")],
    accounts: Annotated[int, typer.Option(help="Number of bank accounts.")] = 5_000,
    days: Annotated[int, typer.Option(help="Length of the simulated window in days.")] = DEMO_DAYS,
    seed: Annotated[int, typer.Option(help="Random seed: same seed, same world.")] = 0,
    min_accounts: Annotated[
        int, typer.Option(help="Institutions with fewer accounts get no store.")
    ] = MIN_BANK_ACCOUNTS,
    replace: Annotated[bool, typer.Option(help="Overwrite stores already there.")] = False,
) -> None:
    """Simulate a world and write what each bank, the police and the truth store would hold."""
    if accounts < MIN_ACCOUNTS or days < 1:
        raise FraudnetError(f"need --accounts >= {MIN_ACCOUNTS} and --days >= 1")
    with console.status("simulating and splitting by institution"):
        world = world_tables(accounts=accounts, days=days, seed=seed)
        stores = write_split(world, out, min_accounts, replace)
    console.print(split_table(stores))


def split_table(stores: list[OrgStore]) -> Table:
    table = Table(title="one store per organisation")
    for column in ("organisation", "store", "accounts", "transactions", "fraud reports"):
        table.add_column(column, justify="left" if column in ("organisation", "store") else "right")
    for s in stores:
        counts = [f"{s.rows.get(k, 0):,}" for k in ("accounts", "transactions", "fraud_reports")]
        table.add_row(s.org, str(s.path), *counts)
    return table


@keys_app.command("init")
def keys_init_command(
    org: Annotated[str, typer.Option("--org", help="Organisation name: a-z, 0-9 and dashes.")],
    folder: Annotated[Path, typer.Option("--dir", help="Key directory to create (mode 0700).")],
) -> None:
    """Create a signing key and a token-agreement key for an organisation."""
    keys = init_keys(org, folder)
    console.print(f"keys for {keys.org} in {folder} (fingerprint {keys.fingerprint})")


@keys_app.command("export")
def keys_export_command(
    keys_dir: KeysOpt,
    out: Annotated[Path, typer.Option("--out", help="Public key bundle to write (JSON).")],
) -> None:
    """Write this organisation's public keys for partners to import (no secret inside)."""
    keys = load_keys(keys_dir)
    write_atomic(out, public_bundle(keys))
    console.print(f"public keys of {keys.org} → {out}")


@keys_app.command("import")
def keys_import_command(
    keys_dir: KeysOpt,
    bundle: Annotated[Path, typer.Argument(help="A partner's public key bundle.")],
    entitled: Annotated[
        bool, typer.Option(help="The partner may receive raw personal data (handling code P).")
    ] = False,
) -> None:
    """Trust a partner's public keys: verify its packages and make tokens for it."""
    partner = import_partner(load_keys(keys_dir), bundle, entitled)
    console.print(f"partner {partner.org} imported (fingerprint {partner.fingerprint})")


@share_app.command("package")
def package_command(
    store: StoreArg,
    network: Annotated[str, typer.Option("--network", help="Network id (networks.network_id).")],
    to: Annotated[str, typer.Option("--to", help="Recipient organisation.")],
    keys_dir: KeysOpt,
    out: Annotated[Path, typer.Option("--out", help="Package file to write.")],
    kind: Annotated[str, typer.Option(help="network or freeze.")] = "network",
    source: Annotated[str, typer.Option(help="3x5x2 source evaluation: 1, 2 or 3.")] = "2",
    assessment: Annotated[str, typer.Option(help="3x5x2 intelligence assessment: A-E.")] = "C",
    handling: Annotated[str, typer.Option(help="3x5x2 handling code: P or C.")] = "C",
    conditions: Annotated[str, typer.Option(help="Conditions for handling code C.")] = (
        DEFAULT_CONDITIONS
    ),
    valid_days: Annotated[int, typer.Option(help="Days until the package expires.")] = (
        DEFAULT_VALID_DAYS
    ),
    include_personal: Annotated[
        bool, typer.Option(help="Add raw values (handling P, entitled recipient only).")
    ] = False,
    rule: Annotated[str | None, typer.Option(help="Tracing rule for freeze packages.")] = None,
) -> None:
    """Build a signed, graded, expiring package about one network for one recipient."""
    grading = Grading(source, assessment, handling, conditions if handling == "C" else "")
    request = PackageRequest(network, to, kind, grading, valid_days, include_personal, rule)
    with open_store(store) as eng:
        data = build_package(eng, load_keys(keys_dir), request)
    write_atomic(out, data)
    console.print(f"{kind} package for {to} → {out} ({len(data):,} bytes)")


@share_app.command("receive")
def receive_command(
    store: StoreArg,
    package: Annotated[Path, typer.Argument(help="A package file from a partner.")],
    keys_dir: KeysOpt,
) -> None:
    """Verify a partner's package and record its claims in shared_intel (or refuse it)."""
    with open_store(store) as eng:
        receipt = receive_package(eng, package, load_keys(keys_dir))
    if receipt.duplicate:
        console.print(f"package {receipt.package_id} from {receipt.sender}: already received")
        return
    console.print(
        f"package {receipt.package_id} from {receipt.sender}: {receipt.claims} claims, "
        f"{receipt.matched} about accounts this store knows → shared_intel"
    )


@share_app.command("seeds")
def seeds_command(
    store: StoreArg,
    out: Annotated[Path, typer.Option("--out", help="Seed file: one account id a line.")],
) -> None:
    """Write the accounts partners flagged, for `fraudnet networks --seed-accounts`."""
    with open_store(store) as eng:
        accounts = flagged_accounts(eng)
    if not accounts:
        raise FraudnetError(f"{store}: no received intelligence names an account this store knows")
    write_atomic(out, "".join(f"{a}\n" for a in accounts))
    console.print(f"{len(accounts)} accounts flagged by partners → {out}")


from fraudnet.cli import share_bloom_commands  # noqa: E402, F401  (registers encode / match)
