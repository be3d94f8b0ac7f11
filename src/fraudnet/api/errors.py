"""The API's one error boundary: a failure the user caused is a 4xx with one clear message.

Mirrors `fraudnet.cli.errors`: no route catches errors itself. Unknown ids are 404, refused
access 403, a missing or bad token 401, bad values 400 (422 for a body or query that does
not parse), a busy store or a missing PDF printer 503. Anything else is a bug: 500 with no
traceback in the response (it goes to the server log).
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from fraudnet.errors import FraudnetError, StoreBusyError
from fraudnet.report.render import PdfUnavailable
from fraudnet.workspace.permissions import AccessDenied
from fraudnet.workspace.tokens import InvalidToken

log = logging.getLogger("fraudnet.api")


def _error(status: int, message: str, **extra: Any) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse({"detail": message, **extra}, status_code=status, headers=headers)


def _one_line(err: BaseException) -> str:
    text = str(err.args[0]) if isinstance(err, KeyError) and err.args else str(err)
    return (
        " ".join(part.strip() for part in text.splitlines() if part.strip()) or type(err).__name__
    )


def _status(err: BaseException) -> int:
    if isinstance(err, InvalidToken):
        return 401
    if isinstance(err, AccessDenied):
        return 403
    if isinstance(err, KeyError | LookupError):
        return 404
    if isinstance(err, StoreBusyError | PdfUnavailable):
        return 503
    return 400


def _validation_message(err: RequestValidationError) -> tuple[str, list[dict[str, str]]]:
    problems = [
        {"where": ".".join(str(p) for p in e.get("loc", ())), "problem": str(e.get("msg", ""))}
        for e in err.errors()
    ]
    first = problems[0] if problems else {"where": "request", "problem": "invalid"}
    return f"{first['where']}: {first['problem']}", problems


def install_error_handlers(app: FastAPI) -> None:
    """Map fraudnet's errors (and Python's KeyError/ValueError) to 4xx responses."""

    async def user_error(request: Request, err: Exception) -> JSONResponse:
        return _error(_status(err), _one_line(err))

    async def invalid_request(request: Request, err: Exception) -> JSONResponse:
        assert isinstance(err, RequestValidationError)
        message, problems = _validation_message(err)  # never echoes the input (passwords)
        return _error(422, message, problems=problems)

    async def http_error(request: Request, err: Exception) -> JSONResponse:
        assert isinstance(err, StarletteHTTPException)
        return _error(err.status_code, str(err.detail))

    async def bug(request: Request, err: Exception) -> JSONResponse:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return _error(500, "internal error (logged on the server)")

    for kind in (FraudnetError, KeyError, LookupError, ValueError, UnicodeError):
        app.add_exception_handler(kind, user_error)
    app.add_exception_handler(RequestValidationError, invalid_request)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(Exception, bug)


__all__ = ["install_error_handlers"]
