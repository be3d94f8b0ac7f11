"""Who may do what: each role's allowed actions, and the check every read and write passes."""

from __future__ import annotations

from dataclasses import dataclass

from fraudnet.errors import FraudnetError

READ_QUEUE = "read_queue"
READ_NETWORK = "read_network"
READ_PARTY = "read_party"
DECIDE = "decide"
WRITE_NOTE = "write_note"
EXPORT = "export"
SHARE = "share"
READ_AUDIT = "read_audit"
MANAGE_USERS = "manage_users"
READ_SHARED_PACKAGE = "read_shared_package"
READ_CASE = "read_case"
OPEN_CASE = "open_case"
SET_REVIEW_BUDGET = "set_review_budget"

_VIEWER = frozenset({READ_QUEUE, READ_NETWORK, READ_PARTY, READ_CASE})
_ANALYST = _VIEWER | {DECIDE, WRITE_NOTE, EXPORT, OPEN_CASE}
_SUPERVISOR = _ANALYST | {SHARE, READ_AUDIT, SET_REVIEW_BUDGET}

ROLE_ACTIONS: dict[str, frozenset[str]] = {
    "viewer": _VIEWER,
    "analyst": _ANALYST,
    "supervisor": _SUPERVISOR,
    # runs the workspace, reads no one's details
    "admin": frozenset({MANAGE_USERS, READ_AUDIT, SET_REVIEW_BUDGET}),
    "partner": frozenset({READ_SHARED_PACKAGE}),
}
"""Least exposure: an admin manages users but cannot read a person; a partner sees only packages."""


class AccessDenied(FraudnetError):
    """The user may not do this to this object; the message says which rule refused it."""


@dataclass(frozen=True, slots=True)
class Principal:
    """The acting user as the checks see them (never the password hash)."""

    user_id: str
    role: str
    organisation: str
    disabled: bool = False


def allowed(role: str, action: str) -> bool:
    return action in ROLE_ACTIONS.get(role, frozenset())


def check_access(who: Principal, action: str, owner_organisation: str | None) -> None:
    """Refuse a disabled user, a role without `action`, or an object of another organisation."""
    if who.disabled:
        raise AccessDenied(f"user {who.user_id!r} is disabled")
    if not allowed(who.role, action):
        raise AccessDenied(f"role {who.role!r} may not {action}")
    if owner_organisation is not None and owner_organisation != who.organisation:
        raise AccessDenied(f"user {who.user_id!r} is not in the organisation that owns this")


__all__ = ["ROLE_ACTIONS", "AccessDenied", "Principal", "allowed", "check_access"]
