"""The built bundle on a plain loopback file server: it renders, loads only from its origin,
and obeys the CSP the API serves it with (no inline script or style, nothing from a CDN)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from fraudnet.console.headers import console_headers
from tests.console.watch import PageWatch


class _BundleHandler(SimpleHTTPRequestHandler):
    def end_headers(self) -> None:
        for name, value in console_headers().items():
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def static_origin(bundle: Path) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_BundleHandler, directory=str(bundle)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def test_bundle_has_no_outside_references(bundle: Path) -> None:
    index = (bundle / "index.html").read_text()
    assert "<script" in index and "http://" not in index and "https://" not in index
    for asset in (bundle / "assets").iterdir():
        text = asset.read_text(errors="replace")
        assert "cdn." not in text.lower(), f"{asset.name} names a CDN"


def test_login_page_renders_under_csp(chromium: Any, static_origin: str, shots: Path) -> None:
    page = chromium.new_page(viewport={"width": 1280, "height": 800})
    # The plain file server cannot answer POST /api/login: the page must say so, not crash.
    watch = PageWatch(static_origin, expected_errors=("501 POST /api/login",))
    watch.attach(page)
    page.goto(f"{static_origin}/")
    page.wait_for_selector("#login-form")
    assert page.url.endswith("#/login"), "an unauthenticated visit must land on the login page"
    assert page.locator("h1").inner_text() == "Sign in to fraudnet"
    page.fill("#user", "alice")
    page.fill("#password", "not-a-server")
    page.click("#login-submit")
    page.wait_for_selector("#login-error:has-text('501')")
    assert "501" in page.inner_text("#login-error")
    assert page.url.endswith("#/login")
    page.screenshot(path=str(shots / "login.png"), full_page=True)
    watch.assert_clean()
    page.close()
