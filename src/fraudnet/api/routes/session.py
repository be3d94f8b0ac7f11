"""POST /api/login (the one route without a token) and GET /api/me."""

from __future__ import annotations

from fastapi import APIRouter, Request

from fraudnet.api.auth import CallerDep, EngineDep, settings_of
from fraudnet.api.models import LoginRequest, LoginResponse, User
from fraudnet.errors import FraudnetError
from fraudnet.workspace import audit
from fraudnet.workspace.tokens import InvalidToken, issue_token
from fraudnet.workspace.users import authenticate

router = APIRouter(prefix="/api", tags=["session"])


@router.post("/login", response_model=LoginResponse)
def login(body: LoginRequest, request: Request, engine: EngineDep) -> LoginResponse:
    """Exchange a user id and password for a signed bearer token (8 hours by default)."""
    settings = settings_of(request)
    try:
        who = authenticate(engine, body.user_id, body.password)
    except FraudnetError as failed:
        raise InvalidToken(str(failed)) from None
    token, claims = issue_token(settings.token_key, who.user_id, settings.token_lifetime)
    settings.handle.write(
        lambda: audit.record(
            engine,
            who.user_id,
            "login",
            who.user_id,
            "logged in to the API",
            {"token_id": claims.token_id, "expires_at": claims.expires_at.isoformat()},
        )
    )
    return LoginResponse(
        token=token,
        expires_at=claims.expires_at,
        user=User(user_id=who.user_id, role=who.role, organisation=who.organisation),
    )


@router.get("/me", response_model=User)
def me(caller: CallerDep) -> User:
    """The caller as the server sees them (role and organisation decide what they may do)."""
    who = caller.who
    return User(user_id=who.user_id, role=who.role, organisation=who.organisation)
