"""Who is calling: the bearer token checked on every route but login, then the user re-read.

The role and disabled flag come from the store on each request, not from the token, so a
disabled user is locked out at once. Each request borrows its own engine from the pool.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated

from fastapi import Depends, Request

from fraudnet.api.store import StoreHandle
from fraudnet.engine import Engine
from fraudnet.workspace.permissions import Principal
from fraudnet.workspace.tokens import InvalidToken, verify_token
from fraudnet.workspace.users import get_user


@dataclass(frozen=True)
class ApiSettings:
    """What the app holds for its lifetime: the store, the token key and token lifetime."""

    handle: StoreHandle
    token_key: bytes
    token_lifetime: timedelta


@dataclass(frozen=True)
class Caller:
    """A request's engine and authenticated user, and the store handle for writes."""

    engine: Engine
    who: Principal
    settings: ApiSettings

    @property
    def user_id(self) -> str:
        return self.who.user_id


def settings_of(request: Request) -> ApiSettings:
    found = request.app.state.fraudnet
    assert isinstance(found, ApiSettings)
    return found


def request_engine(request: Request) -> Iterator[Engine]:
    with settings_of(request).handle.borrow() as engine:
        yield engine


EngineDep = Annotated[Engine, Depends(request_engine)]


def caller(request: Request, engine: EngineDep) -> Caller:
    """The authenticated caller; InvalidToken (401) without a valid token of an enabled user."""
    settings = settings_of(request)
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise InvalidToken("this route needs a bearer token: POST /api/login first")
    claims = verify_token(settings.token_key, token.strip())
    try:
        who = get_user(engine, claims.user_id)
    except KeyError:
        raise InvalidToken("the token's user no longer exists") from None
    if who.disabled:
        raise InvalidToken(f"user {who.user_id!r} is disabled")
    return Caller(engine, who, settings)


CallerDep = Annotated[Caller, Depends(caller)]

__all__ = ["ApiSettings", "Caller", "CallerDep", "EngineDep", "caller", "settings_of"]
