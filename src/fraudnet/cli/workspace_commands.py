"""`fraudnet users add/list/disable` and `fraudnet audit verify`: the workspace from a shell."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from fraudnet.cli.app import StoreArg, app, console
from fraudnet.cli.errors import FraudnetGroup
from fraudnet.errors import FraudnetError
from fraudnet.store import open_store

users_app = typer.Typer(help="Add, list and disable workspace users.", cls=FraudnetGroup)
audit_app = typer.Typer(help="Check the hash-chained audit log.", cls=FraudnetGroup)
app.add_typer(users_app, name="users")
app.add_typer(audit_app, name="audit")

BROKEN_EXIT = 2


def shell_actor() -> str:
    """Who the audit log names for a command typed in a shell."""
    return f"cli:{getpass.getuser()}"


def read_password(from_stdin: bool) -> str:
    """The new password from stdin's first line or an unechoed prompt, never from argv."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("password: ")
    if getpass.getpass("again: ") != first:
        raise FraudnetError("the two passwords differ")
    return first


def existing_store(store: Path) -> Path:
    """The store path, refused if missing: listing or verifying must not create an empty store."""
    if not store.exists():
        raise FraudnetError(f"{store}: no such store")
    return store


@users_app.command("add")
def users_add(
    store: StoreArg,
    user_id: Annotated[str, typer.Argument(help="Login name.")],
    role: Annotated[str, typer.Option(help="viewer, analyst, supervisor, admin or partner.")],
    organisation: Annotated[str, typer.Option(help="The user's organisation.")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from stdin's first line.")
    ] = False,
) -> None:
    """Add a user (the password is prompted for, or read from stdin)."""
    from fraudnet.workspace.users import add_user

    password = read_password(password_stdin)
    with open_store(store, "duckdb") as eng:
        who = add_user(eng, user_id, password, role, organisation, shell_actor())
    console.print(f"added {who.user_id} ({who.role}, {who.organisation})")


@users_app.command("list")
def users_list(store: StoreArg) -> None:
    """List users with role, organisation and whether they are disabled."""
    from fraudnet.workspace.users import list_users

    with open_store(existing_store(store), "duckdb") as eng:
        users = list_users(eng)
    table = Table(title=f"{len(users)} users")
    for column in ("user_id", "role", "organisation", "disabled"):
        table.add_column(column)
    for who in users:
        table.add_row(who.user_id, who.role, who.organisation, "yes" if who.disabled else "")
    console.print(table)


@users_app.command("disable")
def users_disable(
    store: StoreArg,
    user_id: Annotated[str, typer.Argument(help="Login name.")],
    reason: Annotated[str, typer.Option(help="Why, for the audit log.")],
) -> None:
    """Disable a user: they can no longer log in or act; their audit entries stay."""
    from fraudnet.workspace.users import disable_user

    with open_store(existing_store(store), "duckdb") as eng:
        disable_user(eng, user_id, shell_actor(), reason)
    console.print(f"disabled {user_id}")


@audit_app.command("verify")
def audit_verify(
    store: StoreArg,
    key_file: Annotated[
        Path | None,
        typer.Option(help="Anchor key file (default: FRAUDNET_AUDIT_KEY_FILE).", exists=True),
    ] = None,
) -> None:
    """Exit 0 if the chain (and, with a key, its signed head) is intact; else 2 naming the seq."""
    from fraudnet.workspace.audit import audit_key, verify

    with open_store(existing_store(store), "duckdb") as eng:
        report = verify(eng, audit_key(key_file))
    if not report.intact:
        typer.echo(f"error: {report.summary()}", err=True)
        raise typer.Exit(BROKEN_EXIT)
    console.print(report.summary())
