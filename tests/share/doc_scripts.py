"""docs/sharing.md's fenced bash blocks run as one strict shell script, as a reader would."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

from tests.cli.process import cli_env

DOC = Path(__file__).resolve().parents[2] / "docs" / "sharing.md"


def bash_blocks(text: str) -> list[str]:
    """The fenced bash blocks of a page's text, in order."""
    return re.findall(r"```bash\n(.*?)```", text, flags=re.S)


def run_blocks(blocks: list[str], cwd: Path) -> tuple[int, str]:
    """(exit status, stdout + stderr) of the blocks run with `fraudnet` as this interpreter."""
    fraudnet = f"{shlex.quote(sys.executable)} -m fraudnet.cli.main"
    script = f'set -euo pipefail\nfraudnet() {{ {fraudnet} "$@"; }}\n' + "\n".join(blocks)
    done = subprocess.run(
        ["bash", "-c", script], cwd=cwd, env=cli_env(), capture_output=True, text=True, timeout=600
    )
    return done.returncode, done.stdout + done.stderr
