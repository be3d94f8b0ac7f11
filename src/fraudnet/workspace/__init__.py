"""The analyst's workspace underneath the API: users, roles, access checks and the audit log."""

from __future__ import annotations

from fraudnet.workspace.audit import VerifyReport, record, verify
from fraudnet.workspace.permissions import AccessDenied, Principal, check_access
from fraudnet.workspace.reads import read_party
from fraudnet.workspace.users import add_user, authenticate, disable_user, list_users

__all__ = [
    "AccessDenied",
    "Principal",
    "VerifyReport",
    "add_user",
    "authenticate",
    "check_access",
    "disable_user",
    "list_users",
    "read_party",
    "record",
    "verify",
]
