"""A bank's store holds only what that bank would hold; ground truth is in none of them."""

from __future__ import annotations

import duckdb
import pyarrow.compute as pc

from fraudnet.share.split import POLICE_ORG, TRUTH_STORE
from tests.share.conftest import SplitWorld


def _query(path: object, sql: str) -> list[tuple[object, ...]]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.sql(sql).fetchall()


def _banks(split_world: SplitWorld) -> list[str]:
    return [o for o in split_world.stores if o not in (POLICE_ORG, TRUTH_STORE)]


def test_every_bank_sees_only_its_own_accounts_and_customers(split_world: SplitWorld) -> None:
    banks = _banks(split_world)
    assert len(banks) >= 5
    for org in banks:
        inst = split_world.stores[org].institution
        path = split_world.store(org)
        assert _query(path, "SELECT DISTINCT institution FROM accounts") == [(inst,)]
        assert _query(
            path,
            "SELECT COUNT(*) FROM parties WHERE party_id NOT IN "
            "(SELECT holder_party_id FROM accounts)",
        ) == [(0,)]
        assert _query(
            path,
            "SELECT COUNT(*) FROM transactions WHERE COALESCE(src_account, '') NOT IN "
            "(SELECT account_id FROM accounts) AND COALESCE(dst_account, '') NOT IN "
            "(SELECT account_id FROM accounts)",
        ) == [(0,)]
        assert _query(
            path,
            "SELECT COUNT(*) FROM counterparty_accounts WHERE account_id IN "
            "(SELECT account_id FROM accounts)",
        ) == [(0,)]


def test_no_party_of_another_bank_and_no_ground_truth_in_a_bank(
    split_world: SplitWorld,
) -> None:
    world_parties = split_world.world["parties"]
    for org in _banks(split_world):
        path = split_world.store(org)
        own = {r[0] for r in _query(path, "SELECT party_id FROM parties")}
        holders = {r[0] for r in _query(path, "SELECT holder_party_id FROM accounts")}
        assert own == holders & set(world_parties["party_id"].to_pylist())
        for table in ("labels", "party_truth"):
            assert _query(path, f"SELECT COUNT(*) FROM {table}") == [(0,)], (org, table)


def test_police_hold_the_reports_and_truth_holds_the_labels(split_world: SplitWorld) -> None:
    world = split_world.world
    police = split_world.store(POLICE_ORG)
    assert _query(police, "SELECT COUNT(*) FROM fraud_reports") == [
        (world["fraud_reports"].num_rows,)
    ]
    assert _query(police, "SELECT COUNT(*) FROM accounts") == [(0,)]
    truth = split_world.store(TRUTH_STORE)
    ground = pc.sum(pc.equal(world["labels"]["source"], "ground_truth")).as_py()
    assert _query(truth, "SELECT COUNT(*) FROM labels") == [(ground,)]
    assert _query(truth, "SELECT COUNT(*) FROM parties") == [(0,)]
