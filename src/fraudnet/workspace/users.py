"""Users of the workspace: argon2id-hashed passwords, a role, an organisation, disable.

The users table is small, so changes rewrite it in one commit together with their audit entry.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pyarrow as pa
import sqlglot.expressions as exp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from fraudnet.engine import Data, Engine
from fraudnet.errors import FraudnetError, InvalidValueError
from fraudnet.schema.workspace import ROLES
from fraudnet.workspace import audit
from fraudnet.workspace.permissions import Principal

MIN_PASSWORD_LENGTH = 12
_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters


def add_user(
    engine: Engine, user_id: str, password: str, role: str, organisation: str, actor: str
) -> Principal:
    """Create a user; the first non-partner user also fixes the organisation owning the store."""
    _check_new_user(engine, user_id, password, role, organisation)
    now = datetime.now(UTC).replace(tzinfo=None)
    row = {
        "user_id": user_id,
        "role": role,
        "organisation": organisation,
        "password_hash": _hasher.hash(password),
        "disabled": False,
        "created_at": now,
        "disabled_at": None,
    }
    appends: dict[str, Data] = {"users": pa.Table.from_pylist([row], schema=_users_schema(engine))}
    if role != "partner" and store_organisation(engine) is None:
        appends["workspace_settings"] = pa.table(
            {"name": ["organisation"], "value": [organisation]}
        )
    detail = {"role": role, "organisation": organisation}
    audit.record(engine, actor, "add_user", user_id, "user added", detail, appends=appends)
    return Principal(user_id, role, organisation)


def disable_user(engine: Engine, user_id: str, actor: str, reason: str) -> Principal:
    """Mark a user disabled (kept, so the audit log still names them) and audit it."""
    who = get_user(engine, user_id)
    if who.disabled:
        return who
    users = engine.table("users").to_pylist()
    now = datetime.now(UTC).replace(tzinfo=None)
    for row in users:
        if row["user_id"] == user_id:
            row.update(disabled=True, disabled_at=now)
    rewritten = {"users": pa.Table.from_pylist(users, schema=_users_schema(engine))}
    audit.record(engine, actor, "disable_user", user_id, reason, replaces=rewritten)
    return replace(who, disabled=True)


def list_users(engine: Engine) -> list[Principal]:
    """Every user, without their password hashes."""
    return [_principal(row) for row in engine.table("users").to_pylist()]


def get_user(engine: Engine, user_id: str) -> Principal:
    row = _user_row(engine, user_id)
    if row is None:
        raise KeyError(f"no user {user_id!r} in this store")
    return _principal(row)


def authenticate(engine: Engine, user_id: str, password: str) -> Principal:
    """The user if the password matches and they are enabled; one message for every failure."""
    row = _user_row(engine, user_id)
    failure = FraudnetError("unknown user or wrong password")
    if row is None:
        _hasher.hash(password)  # same cost as a real check: timing does not reveal who exists
        raise failure
    try:
        _hasher.verify(str(row["password_hash"]), password)
    except (VerificationError, InvalidHashError):
        raise failure from None
    if row["disabled"]:
        raise failure
    return _principal(row)


def store_organisation(engine: Engine) -> str | None:
    """The organisation owning the store's own records, if set."""
    rows = engine.sql("SELECT value FROM workspace_settings WHERE name = 'organisation'")
    return str(rows.column("value")[0].as_py()) if rows.num_rows else None


def _check_new_user(
    engine: Engine, user_id: str, password: str, role: str, organisation: str
) -> None:
    if role not in ROLES:
        raise InvalidValueError(f"unknown role {role!r}; choose one of {', '.join(ROLES)}")
    if not user_id.strip() or user_id != user_id.strip():
        raise InvalidValueError("a user id must be non-empty without surrounding spaces")
    if not organisation.strip():
        raise InvalidValueError("an organisation is required")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidValueError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    if _user_row(engine, user_id) is not None:
        raise InvalidValueError(f"user {user_id!r} already exists")


def _user_row(engine: Engine, user_id: str) -> dict[str, object] | None:
    """One user's row, looked up in SQL (every API request does this)."""
    if "\x00" in user_id:
        return None
    quoted = exp.Literal.string(user_id).sql(dialect="duckdb")
    rows = engine.sql(f"SELECT * FROM users WHERE user_id = {quoted}").to_pylist()
    return rows[0] if rows else None


def _principal(row: dict[str, object]) -> Principal:
    return Principal(
        str(row["user_id"]), str(row["role"]), str(row["organisation"]), bool(row["disabled"])
    )


def _users_schema(engine: Engine) -> pa.Schema:
    return engine.table("users").schema


__all__ = [
    "MIN_PASSWORD_LENGTH",
    "add_user",
    "authenticate",
    "disable_user",
    "get_user",
    "list_users",
    "store_organisation",
]
