"""`fraudnet serve STORE`: the workspace API on uvicorn (loopback by default)."""

from __future__ import annotations

from typing import Annotated

import typer

from fraudnet.cli.app import StoreArg, app, console
from fraudnet.cli.workspace_commands import existing_store


@app.command("serve")
def serve(
    store: StoreArg,
    host: Annotated[
        str, typer.Option(help="Address to listen on (loopback unless you mean it).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.", min=1, max=65535)] = 8000,
) -> None:
    """Serve the workspace API (OpenAPI docs at /docs) over one DuckDB store."""
    import uvicorn

    from fraudnet.api import create_app

    api = create_app(existing_store(store))
    console.print(f"fraudnet API on http://{host}:{port} (docs at /docs); Ctrl-C stops it")
    uvicorn.run(api, host=host, port=port, log_level="warning")
