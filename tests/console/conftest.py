from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from fraudnet.demo import run_demo
from fraudnet.demo.logins import DemoLogin, add_demo_logins
from fraudnet.store import open_store
from tests.console.browser import CHROMIUM_ARGS, output_dir, require_bundle, require_chromium
from tests.console.facts import StoreFacts, read_facts
from tests.console.server import serving


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """One headless Debian Chromium for the session's console tests."""
    path = require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="session")
def bundle() -> Path:
    return require_bundle()


@pytest.fixture
def shots(request: pytest.FixtureRequest) -> Path:
    return output_dir(request.node.name)


@dataclass(frozen=True)
class DemoWorld:
    store: Path
    logins: dict[str, DemoLogin]  # by role
    facts: StoreFacts


@pytest.fixture(scope="session")
def demo_world(tmp_path_factory: pytest.TempPathFactory) -> DemoWorld:
    """A small demo store (the same pipeline as `fraudnet demo`) with its demo logins."""
    out = tmp_path_factory.mktemp("console-demo")
    result = run_demo(out, accounts=1_500, days=30, seed=7)
    with open_store(result.store, "duckdb") as engine:
        logins = {login.role: login for login in add_demo_logins(engine)}
        facts = read_facts(engine)
    return DemoWorld(result.store, logins, facts)


@pytest.fixture(scope="session")
def console_url(demo_world: DemoWorld, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    key = tmp_path_factory.mktemp("console-keys") / "token.key"
    key.write_bytes(os.urandom(32))
    with serving(demo_world.store, key) as url:
        yield url
