"""A small store with real-world names, a network and its payments, for interchange tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pyarrow as pa

from fraudnet.engine import Engine

PARTIES: list[dict[str, Any]] = [
    {
        "party_id": "P1",
        "kind": "person",
        "name": "Siobhán O'Brien",
        "given_name": "Siobhán",
        "family_name": "O'Brien",
        "dob": dt.date(1990, 2, 3),
        "gender": "female",
        "nationality": "IE",
        "country": "GB",
        "email": "s.obrien@example.test",
    },
    {
        "party_id": "P2",
        "kind": "person",
        "name": "Zoë Nguyễn",
        "given_name": "Zoë",
        "family_name": "Nguyễn",
        "dob": dt.date(2001, 12, 31),
        "gender": "female",
        "country": "GB",
    },
    {
        "party_id": "P3",
        "kind": "person",
        "name": "Jean-Luc Smith-Jones",
        "given_name": "Jean-Luc",
        "family_name": "Smith-Jones",
        "gender": "male",
        "country": "FR",
    },
    {"party_id": "P4", "kind": "org", "name": "Acme Trading (UK) Ltd & Co"},
]
ACCOUNTS: list[dict[str, Any]] = [
    {
        "account_id": "GB29NWBK60161331926819",
        "institution": "NWBKGB2L",
        "jurisdiction": "GB",
        "holder_party_id": "P1",
        "kind": "personal",
        "currency": "GBP",
        "opened_at": dt.datetime(2020, 1, 1, 9, 0),
    },
    {
        "account_id": "GB-123456-12345678",
        "institution": "Example Bank",
        "jurisdiction": "GB",
        "holder_party_id": "P2",
        "kind": "personal",
        "currency": "GBP",
    },
    {
        "account_id": "FR1420041010050500013M02606",
        "institution": "PSSTFRPPXXX",
        "jurisdiction": "FR",
        "holder_party_id": "P3",
        "kind": "personal",
        "currency": "GBP",
    },
    {
        "account_id": "GB-654321-87654321",
        "institution": "Example Bank",
        "jurisdiction": "GB",
        "holder_party_id": "P4",
        "kind": "business",
        "currency": "GBP",
    },
]
MEMBERS = [a["account_id"] for a in ACCOUNTS]


def _txn(
    i: int, src: str | None, dst: str | None, amount: str, channel: str, currency: str = "GBP"
) -> dict[str, Any]:
    return {
        "txn_id": f"T{i}",
        "ts": dt.datetime(2026, 3, 1, 10, i),
        "amount": Decimal(amount),
        "currency": currency,
        "src_account": src,
        "dst_account": dst,
        "channel": channel,
        "reference": f"ref {i}",
        "source": "test",
    }


TRANSACTIONS = [
    _txn(1, MEMBERS[0], MEMBERS[1], "950.00", "fps"),
    _txn(2, MEMBERS[1], MEMBERS[2], "900.50", "chaps"),
    _txn(3, MEMBERS[2], MEMBERS[3], "880.25", "intl_wire"),
    _txn(4, MEMBERS[1], None, "40.00", "cash_out"),
    _txn(5, MEMBERS[0], MEMBERS[3], "12.00", "card", currency="EUR"),
    _txn(6, MEMBERS[3], "GB-999999-11111111", "5.00", "fps"),
]


def build_world(engine: Engine) -> None:
    roles = [
        {"network_id": "NW-1", "subject": a, "subject_kind": "account", "role": "mule_tier1"}
        for a in MEMBERS
    ]
    engine.commit(
        appends={
            "parties": pa.Table.from_pylist([{**p, "source": "test"} for p in PARTIES]),
            "accounts": pa.Table.from_pylist([{**a, "source": "test"} for a in ACCOUNTS]),
            "transactions": pa.Table.from_pylist(TRANSACTIONS),
            "network_roles": pa.Table.from_pylist(roles),
        }
    )
