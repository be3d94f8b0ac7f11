"""The analyst's web console: the Vite bundle built from console/ and how the API app serves it.

The bundle is built at install time (`make install-dev` runs `npm ci` and `npm run build` in
console/) into `bundle/` beside this file; it is never committed. The app mounts it at `/` after
its API routes, with a Content-Security-Policy that lets the page load only from its own origin,
so nothing can come from a CDN even by mistake.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

BUNDLE_ENV = "FRAUDNET_CONSOLE_DIR"

# 'self' only: scripts, styles, fetches and images all come from the fraudnet server itself.
CONSOLE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)

NOT_BUILT = (
    "The fraudnet console is not built. Run `make install-dev` (it runs `npm ci` and "
    "`npm run build` in console/), or set FRAUDNET_CONSOLE_DIR to a built bundle."
)


def bundle_dir() -> Path:
    """Where the built console lives: FRAUDNET_CONSOLE_DIR, else bundle/ in this package."""
    override = os.environ.get(BUNDLE_ENV)
    return Path(override) if override else Path(__file__).parent / "bundle"


def is_built(directory: Path | None = None) -> bool:
    return ((directory or bundle_dir()) / "index.html").is_file()


def mount_console(app: Any, directory: Path | None = None) -> bool:
    """Serve the console at `/` on a FastAPI app; call after the API routes are added.

    Returns False (and serves a page saying how to build it) when there is no bundle, so the
    API still starts on a machine without Node.js.
    """
    from fastapi.responses import JSONResponse, PlainTextResponse
    from starlette.staticfiles import StaticFiles

    from fraudnet.console.headers import ConsoleHeaders

    root = directory or bundle_dir()
    app.add_middleware(ConsoleHeaders)

    @app.api_route(
        "/api/{path:path}",
        methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
        include_in_schema=False,
    )
    def no_such_route(path: str) -> JSONResponse:
        # Without this an unknown /api path would fall through to the bundle's static files.
        return JSONResponse({"detail": f"no API route /api/{path}"}, status_code=404)

    if not is_built(root):

        @app.get("/", include_in_schema=False)
        def console_not_built() -> PlainTextResponse:
            return PlainTextResponse(NOT_BUILT, status_code=503)

        return False
    app.mount("/", StaticFiles(directory=root, html=True), name="console")
    return True


__all__ = ["BUNDLE_ENV", "CONSOLE_CSP", "bundle_dir", "is_built", "mount_console"]
