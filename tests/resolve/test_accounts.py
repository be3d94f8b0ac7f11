from __future__ import annotations

import pyarrow as pa

from fraudnet.engine import Engine
from fraudnet.resolve import resolve_parties, same_person_account_pairs
from tests.resolve import worlds


def test_accounts_of_one_person_pair_up(duck_store: Engine) -> None:
    accounts = pa.Table.from_pylist(
        [
            {"account_id": "GB-1-1", "holder_party_id": "bank1:001"},
            {"account_id": "GB-1-2", "holder_party_id": "bank1:001"},
            {"account_id": "GB-2-1", "holder_party_id": "bank2:777"},
            {"account_id": "GB-3-1", "holder_party_id": "bank1:003"},
            {"account_id": "GB-4-1", "holder_party_id": "bank2:555"},
        ]
    )
    duck_store.commit(appends={"parties": worlds.parties(), "accounts": accounts})
    resolve_parties(duck_store)
    pairs = same_person_account_pairs(duck_store)
    assert pairs.schema.names == ["account_a", "account_b", "entity_id"]
    got = {(r["account_a"], r["account_b"]) for r in pairs.to_pylist()}
    assert got == {("GB-1-1", "GB-1-2"), ("GB-1-1", "GB-2-1"), ("GB-1-2", "GB-2-1")}
    assert len({r["entity_id"] for r in pairs.to_pylist()}) == 1
