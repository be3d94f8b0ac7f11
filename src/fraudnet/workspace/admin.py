"""What an admin (and, for the audit log, a supervisor) does from the API: manage users and
read the audit log. The same checks as every other workspace function."""

from __future__ import annotations

import pyarrow as pa

from fraudnet.engine import Engine
from fraudnet.errors import InvalidValueError
from fraudnet.workspace.guard import literal, require
from fraudnet.workspace.permissions import MANAGE_USERS, READ_AUDIT, Principal
from fraudnet.workspace.users import add_user, disable_user, list_users

MAX_AUDIT_PAGE = 1000
AUDIT_ORDERS = {"asc": "ASC", "desc": "DESC"}


def users_of(engine: Engine, user_id: str) -> list[Principal]:
    require(engine, user_id, MANAGE_USERS)
    return list_users(engine)


def create_user(
    engine: Engine, user_id: str, new_user: str, password: str, role: str, organisation: str
) -> Principal:
    require(engine, user_id, MANAGE_USERS)
    for field, value in (("user_id", new_user), ("organisation", organisation)):
        literal(value, field)
    return add_user(engine, new_user, password, role, organisation, user_id)


def disable(engine: Engine, user_id: str, target: str, reason: str) -> Principal:
    require(engine, user_id, MANAGE_USERS)
    if target == user_id:
        raise InvalidValueError("an admin cannot disable themselves")
    return disable_user(engine, target, user_id, reason)


def audit_entries(
    engine: Engine,
    user_id: str,
    after_seq: int = 0,
    limit: int = 100,
    subject: str | None = None,
    actor: str | None = None,
    *,
    before_seq: int | None = None,
    order: str = "asc",
) -> pa.Table:
    """Audit entries with after_seq < seq < before_seq, optionally about one subject or by one
    user; `order="desc"` gives the newest first, so a page back is `before_seq=<last seq>`."""
    require(engine, user_id, READ_AUDIT)
    if after_seq < 0 or not 1 <= limit <= MAX_AUDIT_PAGE:
        raise InvalidValueError(f"after_seq must be >= 0 and limit 1 to {MAX_AUDIT_PAGE}")
    if before_seq is not None and before_seq < 1:
        raise InvalidValueError("before_seq must be >= 1", field="before_seq")
    if order not in AUDIT_ORDERS:
        raise InvalidValueError(f"order must be asc or desc, not {order!r}", field="order")
    where = f"seq > {int(after_seq)}"
    if before_seq is not None:
        where += f" AND seq < {int(before_seq)}"
    if subject is not None:
        where += f" AND subject = {literal(subject, 'subject')}"
    if actor is not None:
        where += f" AND user_id = {literal(actor, 'user_id')}"
    direction = AUDIT_ORDERS[order]
    return engine.sql(
        f"SELECT * FROM audit_log WHERE {where} ORDER BY seq {direction} LIMIT {int(limit)}"
    )


__all__ = ["AUDIT_ORDERS", "MAX_AUDIT_PAGE", "audit_entries", "create_user", "disable", "users_of"]
