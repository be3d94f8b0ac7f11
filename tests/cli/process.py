"""Run the real `fraudnet` command in a child process, as a user's shell would."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import fraudnet

SRC = str(Path(fraudnet.__file__).resolve().parents[1])


def cli_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """This interpreter's environment with the tested package first on the path."""
    env = {k: v for k, v in os.environ.items() if k != "FRAUDNET_DEBUG"}
    env["PYTHONPATH"] = os.pathsep.join([SRC, env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env["COLUMNS"] = "200"
    env.update(extra or {})
    return env


def cli_command(args: Sequence[str | Path], only: str | None = None) -> list[str]:
    """The `fraudnet` command line; `only` loads just that command module (quicker start)."""
    if only is None:
        return [sys.executable, "-m", "fraudnet.cli.main", *map(str, args)]
    code = (
        f"from fraudnet.cli.app import app; import fraudnet.cli.{only}; app(prog_name='fraudnet')"
    )
    return [sys.executable, "-c", code, *map(str, args)]


def run_cli(
    args: Sequence[str | Path],
    env: Mapping[str, str] | None = None,
    timeout: float = 300,
    only: str | None = None,
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        cli_command(args, only), env=cli_env(env), capture_output=True, text=True, timeout=timeout
    )
