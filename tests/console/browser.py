"""Debian's Chromium driven by Playwright for the console tests; never a downloaded browser."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from fraudnet.console import bundle_dir, is_built
from fraudnet.report.render import chromium_binary

# Headless, and nothing that phones home: the tests must not leave the loopback interface.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

OUTPUT_ENV = "FRAUDNET_TEST_OUTPUT"


def under_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require_chromium() -> str:
    """Chromium's path: missing fails under CI (make system-deps installs it), skips elsewhere."""
    found = chromium_binary()
    if found is None:
        if under_ci():
            pytest.fail("CI=true but Chromium is missing: `make system-deps` must install it")
        pytest.skip("console browser tests need Chromium (Debian: apt-get install chromium)")
    return found


def require_bundle() -> Path:
    """The built console; `make install-dev` builds it, so a missing one is a failed build step."""
    if not is_built():
        pytest.fail(
            f"console bundle not built at {bundle_dir()}: run `make console` "
            "(npm ci and the Vite build in console/)"
        )
    return bundle_dir()


def output_dir(name: str) -> Path:
    """Screenshots go under test-output/console/ (git-ignored) so a person can look at them."""
    root = Path(os.environ.get(OUTPUT_ENV, Path(__file__).resolve().parents[2] / "test-output"))
    folder = root / "console" / re.sub(r"[^A-Za-z0-9_.-]", "_", name)
    folder.mkdir(parents=True, exist_ok=True)
    return folder
