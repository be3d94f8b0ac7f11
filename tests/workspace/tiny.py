"""A tiny hand-made store for the workspace tests: every number in it is known.

Vera (V) is scammed: she pays Max's account A1 £1,000 (reported as FR-1); A1 pays Mia's A2
£900 and withdraws £50 cash; A2 wires £850 abroad to X. Vera also paid A2 £10 directly (so
the shortest path AV->A2 is one step, the strongest two). A1 and A2 are alerted and form
network NW-1, run by Max (a herder with a phone and a device in evidence). Mia has two party
records (M2, M2B) resolved to entity E-MIA. Users of every role are added.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pyarrow as pa

from fraudnet.engine import Engine
from fraudnet.trace import trace_reports
from fraudnet.workspace import add_user

T0 = datetime(2025, 3, 3, 9, 0)
USERS = {
    "ana": ("analyst", "bank-a"),
    "vic": ("viewer", "bank-a"),
    "sue": ("supervisor", "bank-a"),
    "adm": ("admin", "bank-a"),
    "pat": ("partner", "partner-bank"),
    "oth": ("partner", "other-bank"),
    "zed": ("analyst", "bank-z"),
}
PASSWORD = "a-long-test-password"
PHONE = "07700900123"
HERDER_EVIDENCE = {
    "summary": "controls both mule accounts",
    "transactions": ["t2"],
    "identifiers": [{"kind": "phone", "value": PHONE}, {"kind": "device", "value": "dev-9"}],
    "accounts": ["A1", "A2"],
}


def _evidence(summary: str, txns: list[str]) -> str:
    return json.dumps({"summary": summary, "transactions": txns, "identifiers": [], "accounts": []})


def _table(rows: list[dict[str, Any]]) -> pa.Table:
    return pa.Table.from_pylist(rows)


def _payment(txn: str, hours: int, src: str | None, dst: str | None, amount: str, channel: str):
    return {
        "txn_id": txn,
        "ts": T0 + timedelta(hours=hours),
        "amount": Decimal(amount),
        "currency": "GBP",
        "src_account": src,
        "dst_account": dst,
        "channel": channel,
        "source": "test",
    }


def build(engine: Engine, users: bool = True) -> None:
    """Write the tiny world (and trace FR-1 under fifo) into an empty store."""
    party = {"kind": "person", "country": "GB", "source": "test"}
    engine.commit(
        appends={
            "parties": _table(
                [
                    {**party, "party_id": "V", "name": "Vera Victim", "phone": "07700900001"},
                    {**party, "party_id": "M1", "name": "Max Mule", "phone": PHONE},
                    {**party, "party_id": "M2", "name": "Mia Mule", "email": "mia@example.com"},
                    {**party, "party_id": "M2B", "name": "MIA MULE", "email": "mia@example.com"},
                ]
            ),
            "accounts": _table(
                [
                    {
                        "account_id": a,
                        "holder_party_id": p,
                        "institution": i,
                        "source": "test",
                        "jurisdiction": "GB",
                        "opening_balance": Decimal("0.00"),
                    }
                    for a, p, i in (
                        ("AV", "V", "Bank A"),
                        ("A1", "M1", "Bank A"),
                        ("A2", "M2", "Bank B"),
                    )
                ]
            ),
            "transactions": _table(
                [
                    _payment("t0", -48, None, "AV", "2000.00", "cash_in"),
                    _payment("t1", 0, "AV", "A1", "1000.00", "fps"),
                    _payment("t4", 0, "AV", "A2", "10.00", "fps"),
                    _payment("t2", 1, "A1", "A2", "900.00", "fps"),
                    _payment("t5", 2, "A1", None, "50.00", "cash_out"),
                    _payment("t3", 3, "A2", "X", "850.00", "intl_wire"),
                ]
            ),
            "fraud_reports": _table(
                [
                    {
                        "report_id": "FR-1",
                        "txn_id": "t1",
                        "victim_party_id": "V",
                        "fraud_type": "purchase",
                        "reported_at": T0 + timedelta(days=1),
                        "amount": Decimal("1000.00"),
                        "source": "test",
                    }
                ]
            ),
            "identifiers": _table(
                [
                    {"owner": a, "owner_kind": "account", "kind": "device", "value": "dev-9"}
                    for a in ("A1", "A2")
                ]
            ),
            "alerts": _table(
                [
                    {
                        "account_id": "AV",
                        "rank": 1,
                        "score": 0.5,
                        "reasons": "old run",
                        "as_of": T0 - timedelta(days=1),
                    },
                    {
                        "account_id": "A1",
                        "rank": 1,
                        "score": 0.9,
                        "reasons": "pays on 90% within a day; new account",
                        "as_of": T0 + timedelta(days=2),
                    },
                    {
                        "account_id": "A2",
                        "rank": 2,
                        "score": 0.95,
                        "reasons": "wires abroad",
                        "as_of": T0 + timedelta(days=2),
                    },
                ]
            ),
            "networks": _table(
                [
                    {
                        "network_id": "NW-1",
                        "rank": 1,
                        "size": 2,
                        "victims": 1,
                        "victim_funds": Decimal("1000.00"),
                        "funds_out": Decimal("900.00"),
                        "herders": 1,
                        "first_activity": T0,
                        "last_activity": T0 + timedelta(hours=3),
                        "score": 3.0,
                        "seeded_from": "fraud_reports",
                        "typology": "chain",
                        "typology_payments": json.dumps(["t1", "t2", "t3"]),
                        "as_of": T0,
                    }
                ]
            ),
            "network_roles": _table(
                [
                    {
                        "network_id": "NW-1",
                        "subject": "A1",
                        "subject_kind": "account",
                        "role": "mule_tier1",
                        "confidence": 0.9,
                        "evidence": _evidence("received £1,000 from a victim", ["t1"]),
                    },
                    {
                        "network_id": "NW-1",
                        "subject": "A2",
                        "subject_kind": "account",
                        "role": "collector",
                        "confidence": 0.8,
                        "evidence": _evidence("wired £850 abroad", ["t3"]),
                    },
                    {
                        "network_id": "NW-1",
                        "subject": "M1",
                        "subject_kind": "party",
                        "role": "herder",
                        "confidence": 0.7,
                        "evidence": json.dumps(HERDER_EVIDENCE),
                    },
                ]
            ),
            "entities": _table(
                [
                    {
                        "entity_id": "E-MIA",
                        "party_id": p,
                        "match_probability": 0.99,
                        "entity_size": 2,
                        "evidence": json.dumps({"agreed_fields": "name,email"}),
                    }
                    for p in ("M2", "M2B")
                ]
            ),
            "entity_links": _table(
                [
                    {
                        "party_id_l": "M2",
                        "party_id_r": "M2B",
                        "match_probability": 0.99,
                        "match_weight": 12.0,
                        "agreed_fields": "name,email",
                        "status": "linked",
                        "entity_id": "E-MIA",
                        "evidence": json.dumps(
                            [{"field": "email", "l": "mia@example.com", "r": "mia@example.com"}]
                        ),
                    }
                ]
            ),
        }
    )
    trace_reports(engine, rule="fifo")
    if users:
        for user, (role, org) in USERS.items():
            add_user(engine, user, PASSWORD, role, org, "cli:test")
