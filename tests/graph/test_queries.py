from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pyarrow as pa
import pytest

from fraudnet.engine import Engine
from fraudnet.graph import neighbourhood, shortest_path, strongest_path

T0 = datetime(2025, 1, 6, 9, 0)


def _ledger(engine: Engine) -> None:
    """A→B→D carries £900 at its narrowest; A→C→D only £100; E shares a device with D."""
    rows = [
        ("t1", "A", "B", "1000.00", 0), ("t2", "B", "D", "900.00", 1),
        ("t3", "A", "C", "500.00", 0), ("t4", "C", "D", "100.00", 2),
        ("t5", "D", "F", "50.00", 3),
    ]  # fmt: skip
    engine.commit(
        appends={
            "transactions": pa.table(
                {
                    "txn_id": [r[0] for r in rows],
                    "ts": pa.array([T0 + timedelta(hours=r[4]) for r in rows], pa.timestamp("us")),
                    "amount": pa.array([Decimal(r[3]) for r in rows], pa.decimal128(18, 2)),
                    "currency": ["GBP"] * len(rows),
                    "src_account": [r[1] for r in rows],
                    "dst_account": [r[2] for r in rows],
                    "channel": ["fps"] * len(rows),
                    "source": ["test"] * len(rows),
                }
            ),
            "accounts": pa.table(
                {
                    "account_id": list("ABCDEF"),
                    "holder_party_id": ["P1", "P2", "P3", "P4", "P5", "P6"],
                    "source": ["test"] * 6,
                }
            ),
            "identifiers": pa.table(
                {
                    "owner": ["D", "E"],
                    "owner_kind": ["account", "account"],
                    "kind": ["device", "device"],
                    "value": ["dev-1", "dev-1"],
                    "source": ["test", "test"],
                }
            ),
        }
    )


def test_strongest_path_takes_the_widest_route(store: Engine) -> None:
    _ledger(store)
    path = strongest_path(store, "A", "D")
    assert path.accounts == ["A", "B", "D"]
    assert path.bottleneck == Decimal("900.00")
    assert path.payments.column("txn_id").to_pylist() == ["t1", "t2"]
    assert path.payments.column("step").to_pylist() == [1, 2]


def test_shortest_path_takes_fewest_payments_not_most_money(duck_store: Engine) -> None:
    _ledger(duck_store)
    direct = pa.table(
        {
            "txn_id": ["t6"],
            "ts": pa.array([T0 + timedelta(hours=5)], pa.timestamp("us")),
            "amount": pa.array([Decimal("10.00")], pa.decimal128(18, 2)),
            "currency": ["GBP"],
            "src_account": ["A"],
            "dst_account": ["D"],
            "channel": ["fps"],
            "source": ["test"],
        }
    )
    duck_store.append("transactions", direct)
    shortest = shortest_path(duck_store, "A", "D")
    assert shortest.accounts == ["A", "D"] and shortest.bottleneck == Decimal("10.00")
    assert shortest.payments.column("txn_id").to_pylist() == ["t6"]
    assert strongest_path(duck_store, "A", "D").accounts == ["A", "B", "D"]
    assert shortest_path(duck_store, "D", "A").accounts == []


def test_no_path_against_the_money(duck_store: Engine) -> None:
    _ledger(duck_store)
    assert strongest_path(duck_store, "D", "A").accounts == []


def test_neighbourhood_by_money_and_devices(duck_store: Engine) -> None:
    store = duck_store
    _ledger(store)
    near = neighbourhood(store, "D", hops=1).to_pydict()
    hop = dict(zip(near["node"], near["hop"], strict=True))
    assert hop == {"D": 0, "B": 1, "C": 1, "E": 1, "F": 1}
    via = dict(zip(near["node"], near["via"], strict=True))
    assert via["E"] == "shares device" and via["F"] == "paid"
    two = neighbourhood(store, "P4", hops=2).to_pydict()  # a party stands for its accounts
    assert set(two["node"]) == set("ABCDEF")


def test_unknown_subject(duck_store: Engine) -> None:
    _ledger(duck_store)
    with pytest.raises(KeyError):
        neighbourhood(duck_store, "nobody")
