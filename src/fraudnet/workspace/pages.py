"""What the account, network and entity pages show, with the access checks they need.

Account and network pages hold no one's personal details (ids, money, roles and evidence,
with phone, e-mail, address, document and card values masked), so they are not audited. The
entity page shows the member parties' details and the values that matched: it is a read of a
person's details, needs a reason, and is audited like `read_party` (refusals too).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from fraudnet.engine import Engine
from fraudnet.redact import MASK, PERSONAL_IDENTIFIER_KINDS
from fraudnet.workspace import audit
from fraudnet.workspace.guard import literal, require
from fraudnet.workspace.permissions import READ_NETWORK, READ_PARTY, READ_QUEUE, AccessDenied
from fraudnet.workspace.queue import DECISIONS_SQL

ACCOUNT_COLUMNS = (
    "account_id, institution, jurisdiction, opened_at, closed_at, holder_party_id, kind, "
    "currency, opening_balance"
)


@dataclass(frozen=True, slots=True)
class AccountPage:
    account: dict[str, Any]
    scores: pa.Table  # score, model_version, reasons, as_of (newest first)
    alerts: pa.Table  # rank, score, reasons, alert_day, as_of
    decisions: pa.Table  # analyst labels: label, network_id, decided_by, decided_at
    roles: pa.Table  # network_id, role, confidence, evidence
    payments: dict[str, Any]  # counts and sums in and out


@dataclass(frozen=True, slots=True)
class NetworkPage:
    network: dict[str, Any]
    roles: pa.Table  # subject, subject_kind, role, confidence, summary, evidence (masked)


@dataclass(frozen=True, slots=True)
class EntityPage:
    entity_id: str
    members: pa.Table  # party rows with match_probability and evidence
    links: pa.Table  # entity_links between members, with the values compared


def account_page(engine: Engine, user_id: str, account_id: str) -> AccountPage:
    """The account, its scores, alerts, analyst decisions, network roles and payment totals."""
    require(engine, user_id, READ_QUEUE)
    acc = literal(account_id, "account_id")
    rows = engine.sql(f"SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE account_id = {acc}")
    payments = engine.sql(
        f"""SELECT COUNT(*) FILTER (WHERE dst_account = {acc}) AS payments_in,
            COALESCE(SUM(amount) FILTER (WHERE dst_account = {acc}), 0) AS amount_in,
            COUNT(*) FILTER (WHERE src_account = {acc}) AS payments_out,
            COALESCE(SUM(amount) FILTER (WHERE src_account = {acc}), 0) AS amount_out,
            MIN(ts) AS first_payment, MAX(ts) AS last_payment
        FROM transactions WHERE src_account = {acc} OR dst_account = {acc}"""
    ).to_pylist()[0]
    if not rows.num_rows and not payments["payments_in"] and not payments["payments_out"]:
        raise KeyError(f"no account {account_id!r} in this store")
    account = rows.to_pylist()[0] if rows.num_rows else {"account_id": account_id}
    return AccountPage(
        account=account,
        scores=engine.sql(
            f"SELECT score, model_version, reasons, as_of FROM scores WHERE account_id = {acc} "
            "ORDER BY as_of DESC LIMIT 20"
        ),
        alerts=engine.sql(
            f"SELECT rank, score, reasons, alert_day, as_of FROM alerts WHERE account_id = {acc} "
            "ORDER BY as_of DESC, rank"
        ),
        decisions=engine.sql(
            "SELECT label, network_id, decided_by, decided_at FROM labels "
            f"WHERE source = 'analyst' AND subject = {acc} ORDER BY decided_at DESC"
        ),
        roles=_masked_roles(
            engine.sql(
                "SELECT network_id, subject, subject_kind, role, confidence, evidence "
                f"FROM network_roles WHERE subject = {acc} ORDER BY network_id, role"
            )
        ),
        payments=payments,
    )


def latest_decision(engine: Engine, subject: str) -> dict[str, Any] | None:
    """The analyst decision in force for an account or party, if any."""
    rows = engine.sql(
        f"SELECT * FROM ({DECISIONS_SQL}) WHERE subject = {literal(subject, 'subject')}"
    )
    return rows.to_pylist()[0] if rows.num_rows else None


def network_page(engine: Engine, user_id: str, network_id: str) -> NetworkPage:
    """The network's summary and every member's role with its evidence."""
    require(engine, user_id, READ_NETWORK)
    nid = literal(network_id, "network_id")
    found = engine.sql(f"SELECT * FROM networks WHERE network_id = {nid}")
    if not found.num_rows:
        raise KeyError(f"no network {network_id!r} in this store")
    roles = engine.sql(
        "SELECT subject, subject_kind, role, confidence, evidence FROM network_roles "
        f"WHERE network_id = {nid} ORDER BY role, subject_kind, subject"
    )
    return NetworkPage(found.to_pylist()[0], _masked_roles(roles))


def list_networks(
    engine: Engine, user_id: str, page: int = 1, page_size: int = 50
) -> tuple[int, pa.Table]:
    """How many networks there are, and one page of them, best ranked first."""
    require(engine, user_id, READ_NETWORK)
    total = engine.count("networks")
    found = engine.sql(
        f"SELECT * FROM networks ORDER BY rank NULLS LAST, network_id "
        f"LIMIT {int(page_size)} OFFSET {(int(page) - 1) * int(page_size)}"
    )
    return total, found


def network_accounts(engine: Engine, network_id: str) -> list[str]:
    """The network's member accounts (victims' accounts excluded)."""
    nid = literal(network_id, "network_id")
    rows = engine.sql(
        "SELECT DISTINCT subject FROM network_roles WHERE subject_kind = 'account' "
        f"AND role <> 'victim' AND network_id = {nid} ORDER BY subject"
    )
    return [str(s) for s in rows.column("subject").to_pylist()]


def entity_page(engine: Engine, user_id: str, entity_id: str, reason: str) -> EntityPage:
    """The resolved entity's member parties (their details) and the links that joined them."""
    try:
        require(engine, user_id, READ_PARTY)
    except AccessDenied as refused:
        audit.record(
            engine, user_id, "read_entity_refused", entity_id, reason, {"why": str(refused)}
        )
        raise
    eid = literal(entity_id, "entity_id")
    members = engine.sql(
        "SELECT p.*, e.match_probability, e.evidence AS match_evidence FROM entities e "
        f"JOIN parties p ON p.party_id = e.party_id WHERE e.entity_id = {eid} ORDER BY p.party_id"
    )
    fields = sorted({k for row in members.to_pylist() for k, v in row.items() if v is not None})
    detail = {"found": bool(members.num_rows), "parties": members.num_rows, "fields": fields}
    audit.record(engine, user_id, "read_entity", entity_id, reason, detail)
    if not members.num_rows:
        raise KeyError(f"no entity {entity_id!r} in this store")
    links = engine.sql(
        "SELECT party_id_l, party_id_r, match_probability, match_weight, agreed_fields, evidence, "
        f"judgement, status FROM entity_links WHERE entity_id = {eid} "
        "ORDER BY party_id_l, party_id_r"
    )
    return EntityPage(entity_id, members, links)


def _masked_roles(roles: pa.Table) -> pa.Table:
    """Roles with evidence parsed and the values of personal identifiers masked."""
    evidence = [_masked_evidence(e) for e in roles.column("evidence").to_pylist()]
    summaries = [str(e.get("summary", "")) for e in evidence]
    index = roles.column_names.index("evidence")
    texts = pa.array([json.dumps(e, sort_keys=True) for e in evidence], pa.string())
    return roles.set_column(index, "evidence", texts).append_column(
        "summary", pa.array(summaries, pa.string())
    )


def _masked_evidence(text: str | None) -> dict[str, Any]:
    try:
        body = json.loads(text) if text else {}
    except json.JSONDecodeError:
        return {"summary": str(text)}
    for ident in body.get("identifiers", []) if isinstance(body, dict) else []:
        if isinstance(ident, dict) and ident.get("kind") in PERSONAL_IDENTIFIER_KINDS:
            ident["value"] = MASK
    return body if isinstance(body, dict) else {"summary": str(body)}


__all__ = [
    "AccountPage",
    "EntityPage",
    "NetworkPage",
    "account_page",
    "entity_page",
    "latest_decision",
    "list_networks",
    "network_accounts",
    "network_page",
]
