"""Entry point: imports each command module so its commands attach to the app."""

from __future__ import annotations

from fraudnet.cli import (
    demo_commands,  # noqa: F401  (registers commands)
    detect_commands,  # noqa: F401  (registers commands)
    networks_commands,  # noqa: F401  (registers commands)
    resolve_commands,  # noqa: F401  (registers commands)
    serve_commands,  # noqa: F401  (registers commands)
    share_commands,  # noqa: F401  (registers commands)
    share_psi_commands,  # noqa: F401  (registers commands)
    simulate_commands,  # noqa: F401  (registers commands)
    store_commands,  # noqa: F401  (registers commands)
    trace_commands,  # noqa: F401  (registers commands)
    workspace_commands,  # noqa: F401  (registers commands)
)
from fraudnet.cli.app import app

__all__ = ["app"]

if __name__ == "__main__":
    app()
