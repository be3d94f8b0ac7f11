"""Watches a console page for what a person would not see: errors, CSP refusals, foreign hosts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit


@dataclass
class PageWatch:
    """Collects console errors, uncaught exceptions and requests that leave the page's origin."""

    origin: str
    errors: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    expected_errors: tuple[str, ...] = ()

    def attach(self, page: Any) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.errors.append(f"uncaught: {exc}"))
        page.on("request", self._request)
        page.on("response", self._response)

    def _console(self, message: Any) -> None:
        # A failed fetch is reported by _response with its URL; the console line names none.
        if message.type != "error" or message.text.startswith("Failed to load resource"):
            return
        if not any(e in message.text for e in self.expected_errors):
            self.errors.append(message.text)

    def _response(self, response: Any) -> None:
        if response.status >= 400:
            where = f"{response.status} {response.request.method} {urlsplit(response.url).path}"
            if not any(e in where for e in self.expected_errors):
                self.failed.append(where)

    def _request(self, request: Any) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in ("data", "blob"):
            return
        if f"{parts.scheme}://{parts.netloc}" != self.origin:
            self.foreign.append(request.url)

    def assert_clean(self) -> None:
        assert not self.foreign, f"the console reached outside its origin: {self.foreign}"
        assert not self.failed, f"requests the server refused: {self.failed}"
        assert not self.errors, f"the browser reported errors: {self.errors}"
