"""The workspace over HTTP: a thin FastAPI layer over `fraudnet.workspace` (docs/workspace.md)."""

from __future__ import annotations

from fraudnet.api.app import create_app

__all__ = ["create_app"]
