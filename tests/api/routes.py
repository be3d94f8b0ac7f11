"""Every route the app serves (read from its OpenAPI schema), for the sweeping tests."""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI

PUBLIC = {("POST", "/api/login")}


def api_routes(app: FastAPI) -> list[tuple[str, str]]:
    """(method, path template) of every /api route."""
    paths: dict[str, dict[str, Any]] = app.openapi()["paths"]
    return sorted(
        (method.upper(), path)
        for path, methods in paths.items()
        if path.startswith("/api")
        for method in methods
    )


def operation(app: FastAPI, method: str, path: str) -> dict[str, Any]:
    found: dict[str, Any] = app.openapi()["paths"][path][method.lower()]
    return found


def fill(path: str, value: str) -> str:
    return re.sub(r"\{[^}]+\}", value, path)
