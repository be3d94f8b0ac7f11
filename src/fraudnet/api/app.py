"""`create_app(store_path)`: the FastAPI application over one store (OpenAPI at /docs)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path

from fastapi import FastAPI

from fraudnet.api.auth import ApiSettings
from fraudnet.api.errors import install_error_handlers
from fraudnet.api.routes import (
    admin,
    cases,
    decisions,
    explore,
    pages,
    queue,
    session,
    settings,
    tracing,
)
from fraudnet.api.store import StoreHandle
from fraudnet.console import mount_console
from fraudnet.workspace.tokens import DEFAULT_LIFETIME, token_key

ROUTERS = (
    session.router,
    queue.router,
    pages.router,
    explore.router,
    tracing.router,
    decisions.router,
    cases.router,
    admin.router,
    settings.router,
)


def create_app(
    store_path: str | Path,
    token_key_file: str | Path | None = None,
    token_lifetime: timedelta = DEFAULT_LIFETIME,
) -> FastAPI:
    """The API over the DuckDB store at `store_path`, which it opens now and holds until shutdown.

    `token_key_file` (default: FRAUDNET_API_KEY_FILE) signs bearer tokens; without one a random
    key is made, and tokens stop working when the server restarts.
    """
    handle = StoreHandle(store_path)
    settings = ApiSettings(handle, token_key(token_key_file), token_lifetime)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        handle.close()

    app = FastAPI(
        title="fraudnet workspace API",
        version="1",
        description="Alert queue, networks, tracing, decisions and cases over one fraudnet "
        "store. Every route but POST /api/login needs a bearer token; see docs/workspace.md.",
        lifespan=lifespan,
    )
    app.state.fraudnet = settings
    install_error_handlers(app)
    for router in ROUTERS:
        app.include_router(router)
    mount_console(app)  # last: the bundle at / must not shadow an /api route
    return app


__all__ = ["create_app"]
