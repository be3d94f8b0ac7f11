"""Security headers on every response: the console may load only from its own origin.

A plain ASGI middleware (not BaseHTTPMiddleware) so it adds no task per request under load.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# FastAPI's own documentation pages load Swagger UI and ReDoc from their CDN: no console CSP there.
DOC_PATHS = ("/docs", "/redoc")


def console_headers() -> dict[str, str]:
    from fraudnet.console import CONSOLE_CSP

    return {
        "Content-Security-Policy": CONSOLE_CSP,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "X-Frame-Options": "DENY",
    }


class ConsoleHeaders:
    """Adds the console's CSP and the usual hardening headers unless a route set its own."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.headers = console_headers()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        docs = str(scope.get("path", "")).startswith(DOC_PATHS)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.headers.items():
                    if docs and name == "Content-Security-Policy":
                        continue
                    if name not in headers:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)
