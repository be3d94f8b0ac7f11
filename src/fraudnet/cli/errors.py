"""The CLI's one error boundary: a failure the user caused is one `error: ...` line, exit 2.

Every command runs inside `FraudnetGroup.invoke`, so no command catches errors itself.
`--debug` (or `FRAUDNET_DEBUG=1`) lets the exception through with its traceback.
"""

from __future__ import annotations

import os
from typing import Any

import duckdb
import typer
from typer._click.core import Context
from typer._click.exceptions import UsageError
from typer.core import TyperGroup

from fraudnet.errors import FraudnetError
from fraudnet.ingest import IngestError, MappingError

USER_ERROR_EXIT = 2

USER_ERRORS: tuple[type[BaseException], ...] = (
    FraudnetError,
    IngestError,  # bad input files and mappings
    MappingError,
    OSError,  # no such file, permission denied, is a directory, disk full
    KeyError,  # unknown table, rule, network or account: raised with a sentence
    duckdb.IOException,
    UsageError,
)


class FraudnetGroup(TyperGroup):
    """Typer's group with the error boundary around every subcommand."""

    def invoke(self, ctx: Context) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            raise  # output piped into `head`: Typer exits quietly
        except USER_ERRORS as err:
            if debug_enabled(ctx):
                raise
            typer.echo(f"error: {one_line(err)}", err=True)
            raise typer.Exit(USER_ERROR_EXIT) from err


def debug_enabled(ctx: Context | None = None) -> bool:
    if ctx is not None and ctx.params.get("debug"):
        return True
    return os.environ.get("FRAUDNET_DEBUG", "").strip().lower() in ("1", "true", "yes", "on")


def one_line(err: BaseException) -> str:
    """The error's message on one line (KeyError's quotes and multi-line texts removed)."""
    if isinstance(err, UsageError):
        text = err.format_message()
    elif isinstance(err, KeyError) and err.args:
        text = str(err.args[0])
    elif isinstance(err, OSError) and err.filename is not None and err.strerror:
        text = f"{err.filename}: {err.strerror.lower()}"
    else:
        text = str(err) or type(err).__name__
    return " ".join(part.strip() for part in text.splitlines() if part.strip())
