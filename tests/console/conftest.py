from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.console.browser import CHROMIUM_ARGS, output_dir, require_bundle, require_chromium


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
