"""The cut-off views: integer codes by account id, own transfers marked, legs both ways."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa

from fraudnet.detect.asof import ACCOUNTS, LEGS, TXN, Cutoff, account_universe, prepare_views
from fraudnet.engine import Engine
from tests.detect.test_rules_and_budget import T0, _payments


def _accounts(rows: list[tuple[str, str]]) -> pa.Table:
    return pa.table(
        {
            "account_id": [r[0] for r in rows],
            "holder_party_id": [r[1] for r in rows],
            "opened_at": pa.array([T0 - dt.timedelta(days=400)] * len(rows), pa.timestamp("us")),
        }
    )


def test_views_code_accounts_and_mark_transfers_between_one_persons_accounts(
    duck_store: Engine,
) -> None:
    duck_store.commit(
        appends={
            # p1 and p2 were resolved to one person; p3 is someone else; Z never transacts
            "accounts": _accounts([("A", "p1"), ("B", "p2"), ("C", "p3"), ("Z", "p4")]),
            "entities": pa.table({"entity_id": ["e1", "e1"], "party_id": ["p1", "p2"]}),
            "transactions": _payments(
                [("t1", "A", "B", 1, 10), ("t2", "A", "C", 2, 20), ("t3", "X", "A", 3, 5)]
            ),
        }
    )
    prepare_views(duck_store, Cutoff(T0 + dt.timedelta(hours=5)))
    universe = list(account_universe(duck_store))
    assert universe == ["A", "B", "C", "X", "Z"]  # code = rank by id; X only ever paid
    rows = duck_store.sql(f"SELECT account_id, code FROM {ACCOUNTS}").to_pylist()
    codes = {r["account_id"]: r["code"] for r in rows}
    txn = {r["txn_id"]: r for r in duck_store.sql(f"SELECT * FROM {TXN}").to_pylist()}
    assert txn["t1"]["own"] == 1 and txn["t2"]["own"] == 0 and txn["t3"]["own"] == 0
    assert (txn["t2"]["src_code"], txn["t2"]["dst_code"]) == (codes["A"], codes["C"])
    legs = duck_store.sql(f"SELECT account_id, cp, code, is_in FROM {LEGS} WHERE txn_id = 't3'")
    assert sorted(legs.to_pylist(), key=lambda r: r["is_in"]) == [
        {"account_id": "X", "cp": "A", "code": codes["X"], "is_in": 0},
        {"account_id": "A", "cp": "X", "code": codes["A"], "is_in": 1},
    ]
