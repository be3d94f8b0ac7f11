"""What every results file records about its run: the commit, the machine and its load.

A figure is only defensible with the code it was measured on and how busy the machine was.
"""

from __future__ import annotations

import os
import platform
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def git_commit() -> str:
    """Short commit of the code measured, with '+dirty' when the tree has local changes."""
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    ).stdout.strip()
    return f"{head}+dirty" if dirty else head or "unknown"


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


class RunRecord:
    """Start/end provenance of one benchmark run: commit, machine, load and wall time."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.start = {
            "commit": git_commit(),
            "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": f"{platform.machine()}, {os.cpu_count()} cores",
            "python": platform.python_version(),
            "load_average_at_start": load_average(),
        }

    def finish(self) -> dict[str, object]:
        return {
            **self.start,
            "load_average_at_end": load_average(),
            "wall_s": round(time.perf_counter() - self.started, 1),
        }
