"""Cases: an investigation an organisation owns, its notes, and the packages shared from it.

Object-level access: a case is read only by users of the organisation that owns it (a case
id from another organisation is refused, and the refusal audited, so probing leaves a
trace). A partner never reads a case: it reads only the packages shared with its own
organisation, and any other package id is "not found", whether it exists or not.
Every write (open, note, share) and its audit entry are one commit.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from fraudnet.engine import Engine
from fraudnet.errors import InvalidValueError
from fraudnet.schema import get_table
from fraudnet.workspace import audit
from fraudnet.workspace.audit import AuditEntry
from fraudnet.workspace.guard import literal, now_utc, require
from fraudnet.workspace.pages import network_page
from fraudnet.workspace.permissions import (
    OPEN_CASE,
    READ_CASE,
    READ_SHARED_PACKAGE,
    SHARE,
    WRITE_NOTE,
    AccessDenied,
    Principal,
)
from fraudnet.workspace.users import get_user

MAX_TEXT = 20_000
SHARED_ROLE_KINDS = ("account",)
"""What a package names: accounts and their roles; parties, devices and IPs only as counts."""


@dataclass(frozen=True, slots=True)
class Case:
    case: dict[str, Any]
    notes: pa.Table  # note_id, author, written_at, text
    shares: pa.Table  # share_id, partner, shared_by, shared_at, reason


def open_case(
    engine: Engine, user_id: str, title: str, reason: str, network_id: str | None = None
) -> tuple[dict[str, Any], AuditEntry]:
    """Open a case owned by the user's organisation, optionally about one network."""
    who = require(engine, user_id, OPEN_CASE)
    _check_text(title, "title", 200)
    if network_id is not None:
        network_page(engine, user_id, network_id)  # raises KeyError for an unknown network
    case_id = f"CASE-{secrets.token_hex(8).upper()}"
    row: dict[str, Any] = {
        "case_id": case_id,
        "organisation": who.organisation,
        "title": title,
        "network_id": network_id,
        "status": "open",
        "created_by": who.user_id,
        "created_at": now_utc(),
    }
    entry = audit.record(
        engine, who.user_id, "open_case", case_id, reason, {"network_id": network_id},
        appends={"cases": _table("cases", row)},
    )  # fmt: skip
    return row, entry


def list_cases(engine: Engine, user_id: str) -> pa.Table:
    """The cases of the user's organisation, newest first."""
    who = require(engine, user_id, READ_CASE)
    org = literal(who.organisation, "organisation")
    return engine.sql(
        f"SELECT * FROM cases WHERE organisation = {org} ORDER BY created_at DESC, case_id"
    )


def get_case(engine: Engine, user_id: str, case_id: str) -> Case:
    """The case with its notes and shares, if the user's organisation owns it."""
    row = _owned_case(engine, user_id, case_id, READ_CASE)
    cid = literal(case_id, "case_id")
    notes = engine.sql(
        "SELECT note_id, author, written_at, text FROM case_notes "
        f"WHERE case_id = {cid} ORDER BY written_at, note_id"
    )
    shares = engine.sql(
        "SELECT share_id, partner, shared_by, shared_at, reason FROM case_shares "
        f"WHERE case_id = {cid} ORDER BY shared_at, share_id"
    )
    return Case(row, notes, shares)


def add_note(
    engine: Engine, user_id: str, case_id: str, text: str
) -> tuple[dict[str, Any], AuditEntry]:
    """Append a note to a case (notes are never edited: a correction is another note)."""
    _owned_case(engine, user_id, case_id, WRITE_NOTE)
    _check_text(text, "text", MAX_TEXT)
    row = {
        "note_id": f"NOTE-{secrets.token_hex(8).upper()}",
        "case_id": case_id,
        "author": user_id,
        "written_at": now_utc(),
        "text": text,
    }
    detail = {"note_id": row["note_id"], "characters": len(text)}  # the log keeps no note text
    entry = audit.record(
        engine, user_id, "write_note", case_id, "case note", detail,
        appends={"case_notes": _table("case_notes", row)},
    )  # fmt: skip
    return row, entry


def share_case(
    engine: Engine, user_id: str, case_id: str, partner: str, reason: str
) -> tuple[dict[str, Any], AuditEntry]:
    """Share a snapshot of the case with a partner organisation (nothing personal in it)."""
    case = _owned_case(engine, user_id, case_id, SHARE)
    partners = {p.organisation for p in _partners(engine)}
    if partner not in partners:
        raise InvalidValueError(
            f"{partner!r} is not a partner organisation of this workspace "
            f"(known: {', '.join(sorted(partners)) or 'none'})",
            field="partner",
        )
    row = {
        "share_id": f"PKG-{secrets.token_hex(8).upper()}",
        "case_id": case_id,
        "partner": partner,
        "shared_by": user_id,
        "shared_at": now_utc(),
        "reason": reason,
        "contents": json.dumps(_snapshot(engine, user_id, case), sort_keys=True, default=str),
    }
    entry = audit.record(
        engine, user_id, "share_case", case_id, reason,
        {"share_id": row["share_id"], "partner": partner},
        appends={"case_shares": _table("case_shares", row)},
    )  # fmt: skip
    return row, entry


def shared_packages(engine: Engine, user_id: str) -> pa.Table:
    """The packages shared with the partner user's organisation, newest first."""
    who = require(engine, user_id, READ_SHARED_PACKAGE, owner=_own_org(engine, user_id))
    org = literal(who.organisation, "organisation")
    return engine.sql(
        "SELECT share_id, shared_at, shared_by, reason FROM case_shares "
        f"WHERE partner = {org} ORDER BY shared_at DESC, share_id"
    )


def read_package(engine: Engine, user_id: str, share_id: str) -> dict[str, Any]:
    """One package shared with the partner's organisation; any other id is not found."""
    who = require(engine, user_id, READ_SHARED_PACKAGE, owner=_own_org(engine, user_id))
    sid, org = literal(share_id, "share_id"), literal(who.organisation, "organisation")
    found = engine.sql(
        "SELECT share_id, shared_at, shared_by, reason, contents FROM case_shares "
        f"WHERE share_id = {sid} AND partner = {org}"
    )
    if not found.num_rows:
        raise KeyError(f"no package {share_id!r} shared with {who.organisation}")
    package = found.to_pylist()[0]
    package["contents"] = json.loads(package["contents"] or "{}")
    return package


def _owned_case(engine: Engine, user_id: str, case_id: str, action: str) -> dict[str, Any]:
    """The case row after the role and organisation checks; refusals are audited."""
    who = get_user(engine, user_id)
    found = engine.sql(f"SELECT * FROM cases WHERE case_id = {literal(case_id, 'case_id')}")
    owner = str(found.column("organisation")[0].as_py()) if found.num_rows else who.organisation
    try:
        require(engine, user_id, action, owner=owner)
    except AccessDenied as refused:
        audit.record(engine, user_id, f"{action}_refused", case_id, "access check",
                     {"why": str(refused)})  # fmt: skip
        raise
    if not found.num_rows:
        raise KeyError(f"no case {case_id!r} in this store")
    return dict(found.to_pylist()[0])


def _snapshot(engine: Engine, user_id: str, case: dict[str, Any]) -> dict[str, Any]:
    """What a partner receives: the case title and its network's summary and account roles."""
    snapshot: dict[str, Any] = {"case_id": case["case_id"], "title": case["title"]}
    if case["network_id"]:
        page = network_page(engine, user_id, str(case["network_id"]))
        keep = ("network_id", "size", "victims", "victim_funds", "funds_out", "typology")
        snapshot["network"] = {k: page.network.get(k) for k in keep}
        snapshot["first_activity"] = page.network.get("first_activity")
        snapshot["last_activity"] = page.network.get("last_activity")
        roles = page.roles.to_pylist()
        snapshot["accounts"] = [
            {k: r[k] for k in ("subject", "role", "confidence", "summary")}
            for r in roles
            if r["subject_kind"] in SHARED_ROLE_KINDS
        ]
        counts: dict[str, int] = {}
        for r in roles:
            if r["subject_kind"] not in SHARED_ROLE_KINDS:
                counts[r["subject_kind"]] = counts.get(r["subject_kind"], 0) + 1
        snapshot["others_counted"] = counts
    return snapshot


def _partners(engine: Engine) -> list[Principal]:
    from fraudnet.workspace.users import list_users

    return [p for p in list_users(engine) if p.role == "partner" and not p.disabled]


def _own_org(engine: Engine, user_id: str) -> str:
    return get_user(engine, user_id).organisation


def _check_text(text: str, field: str, longest: int) -> None:
    if not text.strip() or len(text) > longest:
        raise InvalidValueError(f"{field} must be 1 to {longest} characters", field=field)
    literal(text, field)


def _table(name: str, row: dict[str, Any]) -> pa.Table:
    return pa.Table.from_pylist([row]).select(get_table(name).column_names)


__all__ = [
    "Case",
    "add_note",
    "get_case",
    "list_cases",
    "open_case",
    "read_package",
    "share_case",
    "shared_packages",
]
