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


def parameters(app: FastAPI, method: str, path: str) -> list[dict[str, Any]]:
    """The path and query parameters of one operation."""
    found: list[dict[str, Any]] = operation(app, method, path).get("parameters", [])
    return found


def body_schema(app: FastAPI, method: str, path: str) -> dict[str, Any] | None:
    """The JSON body schema of one operation, with its $ref resolved, or None."""
    body = operation(app, method, path).get("requestBody")
    if body is None:
        return None
    schema: dict[str, Any] = body["content"]["application/json"]["schema"]
    return resolve(app, schema)


def resolve(app: FastAPI, schema: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        found: dict[str, Any] = app.openapi()["components"]["schemas"][name]
        return found
    return schema


def is_string(schema: dict[str, Any]) -> bool:
    """A free-text string (not an enum) in this schema, possibly nullable."""
    options = schema.get("anyOf", [schema])
    return any(o.get("type") == "string" and "enum" not in o and "format" not in o for o in options)


def sample(schema: dict[str, Any], text: str) -> Any:
    """A value that fits `schema`, with `text` wherever free text goes."""
    options = [o for o in schema.get("anyOf", [schema]) if o.get("type") != "null"]
    chosen = options[0] if options else {}
    if "enum" in chosen:
        return chosen["enum"][0]
    if "const" in chosen:
        return chosen["const"]
    kind = chosen.get("type")
    if kind == "boolean":
        return True
    if kind == "integer":
        return max(1, int(chosen.get("minimum", 1)))
    return text


def body_with(app: FastAPI, schema: dict[str, Any], text: str) -> dict[str, Any]:
    """A JSON body that fits `schema` with `text` in every free-text field."""
    properties: dict[str, Any] = schema.get("properties", {})
    return {name: sample(resolve(app, prop), text) for name, prop in properties.items()}
