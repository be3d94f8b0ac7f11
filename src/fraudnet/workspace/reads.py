"""Reads of a person's details: checked against the user's role and organisation, and audited.

This is the pattern every API route that shows personal data follows: check, then audit, then
return; a refused attempt is audited too, so probing for ids leaves a trace.
"""

from __future__ import annotations

from typing import Any

import sqlglot.expressions as exp

from fraudnet.engine import Engine
from fraudnet.workspace import audit
from fraudnet.workspace.permissions import READ_PARTY, AccessDenied, check_access
from fraudnet.workspace.users import get_user, store_organisation


def read_party(engine: Engine, user_id: str, party_id: str, reason: str) -> dict[str, Any]:
    """The party's row for `user_id`, after the access check; every attempt is audited."""
    who = get_user(engine, user_id)
    try:
        check_access(who, READ_PARTY, store_organisation(engine) or "")
    except AccessDenied as refused:
        audit.record(engine, user_id, "read_party_refused", party_id, reason, {"why": str(refused)})
        raise
    party = _party_row(engine, party_id)
    fields = sorted(k for k, v in party.items() if v is not None) if party else []
    audit.record(
        engine, user_id, READ_PARTY, party_id, reason, {"found": bool(party), "fields": fields}
    )
    if party is None:
        raise KeyError(f"no party {party_id!r} in this store")
    return party


def _party_row(engine: Engine, party_id: str) -> dict[str, Any] | None:
    literal = exp.Literal.string(party_id).sql(dialect="duckdb")
    rows = engine.sql(f"SELECT * FROM parties WHERE party_id = {literal}").to_pylist()
    return rows[0] if rows else None


__all__ = ["read_party"]
