"""The checks every workspace function starts with: who is acting, may they, on whose object.

Also the one way a user-supplied value reaches SQL here: as a quoted literal, refused if it
holds a NUL character (DuckDB would not store it faithfully).
"""

from __future__ import annotations

from datetime import UTC, datetime

from fraudnet.engine import Engine
from fraudnet.errors import InvalidValueError
from fraudnet.workspace.permissions import Principal, check_access
from fraudnet.workspace.users import get_user, store_organisation


def require(engine: Engine, user_id: str, action: str, owner: str | None = None) -> Principal:
    """The acting user, once they pass `check_access` for `action` on an object of `owner`
    (default: the store's organisation, which owns accounts, alerts and networks)."""
    who = get_user(engine, user_id)
    check_access(who, action, owner if owner is not None else store_organisation(engine) or "")
    return who


def literal(value: str, field: str = "value") -> str:
    """`value` as a single-quoted DuckDB string literal."""
    if "\x00" in value:
        raise InvalidValueError(f"{field} must not contain a NUL character", field=field)
    return "'" + value.replace("'", "''") + "'"


def now_utc() -> datetime:
    """Now, as the store keeps instants: naive, meaning UTC."""
    return datetime.now(UTC).replace(tzinfo=None)


__all__ = ["literal", "now_utc", "require"]
