"""Admin routes (users) and the audit log (admins and supervisors)."""

from __future__ import annotations

import json
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query

from fraudnet.api.auth import CallerDep
from fraudnet.api.convert import rows
from fraudnet.api.models import AuditList, AuditRow, DisableUser, NewUser, User, UserList
from fraudnet.workspace.admin import MAX_AUDIT_PAGE, audit_entries, create_user, disable, users_of

router = APIRouter(prefix="/api", tags=["admin"])
UserId = Annotated[str, Path(min_length=1, max_length=200)]


def _user(who: object) -> User:
    return User(**{k: getattr(who, k) for k in ("user_id", "role", "organisation", "disabled")})


@router.get("/users", response_model=UserList)
def users(caller: CallerDep) -> UserList:
    """Admins: every user (never a password hash)."""
    return UserList(items=[_user(u) for u in users_of(caller.engine, caller.user_id)])


@router.post("/users", response_model=User)
def add(caller: CallerDep, body: NewUser) -> User:
    """Admins: add a user (password at least 12 characters; stored as an argon2id hash)."""
    engine, user = caller.engine, caller.user_id
    made = caller.settings.handle.write(
        lambda: create_user(engine, user, body.user_id, body.password, body.role, body.organisation)
    )
    return _user(made)


@router.post("/users/{user_id}/disable", response_model=User)
def disable_route(
    caller: CallerDep,
    user_id: Annotated[str, Path(min_length=1, max_length=200)],
    body: DisableUser,
) -> User:
    """Admins: disable a user; their tokens stop working at once, their audit entries stay."""
    engine, actor = caller.engine, caller.user_id
    done = caller.settings.handle.write(lambda: disable(engine, actor, user_id, body.reason))
    return _user(done)


@router.get("/audit", response_model=AuditList)
def audit(
    caller: CallerDep,
    after_seq: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_AUDIT_PAGE)] = 100,
    subject: Annotated[str | None, Query(min_length=1, max_length=400)] = None,
    user_id: Annotated[str | None, Query(min_length=1, max_length=200)] = None,
    before_seq: Annotated[int | None, Query(ge=1)] = None,
    order: Annotated[Literal["asc", "desc"], Query()] = "asc",
) -> AuditList:
    """Supervisors and admins: audit entries with after_seq < seq < before_seq (who, when,
    what, why), oldest first, or newest first with order=desc (page back with before_seq)."""
    found = audit_entries(
        caller.engine,
        caller.user_id,
        after_seq,
        limit,
        subject,
        user_id,
        before_seq=before_seq,
        order=order,
    )
    items = [AuditRow(**{**r, "detail": json.loads(r["detail"] or "{}")}) for r in rows(found)]
    return AuditList(items=items)
