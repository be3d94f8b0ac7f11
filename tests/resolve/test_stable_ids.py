from __future__ import annotations

from datetime import date

from fraudnet.engine import Engine
from fraudnet.resolve import judge_link, resolve_parties
from tests.resolve import worlds
from tests.resolve.helpers import entity_of, groups

LATE_ARRIVALS: list[dict[str, object]] = [
    # Jonathan Smith opens a third account at another bank.
    {
        "party_id": "bank4:001",
        "given_name": "Jonathan",
        "family_name": "Smyth",
        "dob": date(1980, 1, 2),
        "postcode": "SW1A 1AA",
        "phone": "07700900123",
        "source": "bank4",
    },
    # Someone new.
    {
        "party_id": "bank4:002",
        "given_name": "Olu",
        "family_name": "Adeyemi",
        "dob": date(1990, 5, 5),
        "postcode": "N1 9GU",
        "source": "bank4",
    },
]


def test_new_records_join_existing_entities_without_renumbering(duck_store: Engine) -> None:
    duck_store.append("parties", worlds.parties())
    resolve_parties(duck_store)
    before = entity_of(duck_store)
    created = {
        r["entity_id"]: r["entity_created_at"] for r in duck_store.table("entities").to_pylist()
    }
    duck_store.append("parties", worlds.parties(LATE_ARRIVALS))
    result = resolve_parties(duck_store)
    after = entity_of(duck_store)
    assert {p: after[p] for p in before} == before
    assert after["bank4:001"] == before["bank1:001"]
    assert after["bank4:002"] not in set(before.values())
    for row in duck_store.table("entities").to_pylist():
        if row["entity_id"] in created:
            assert row["entity_created_at"] == created[row["entity_id"]]
    assert result.entity_changes.num_rows == 0


def test_ids_do_not_depend_on_input_order(tmp_path) -> None:
    from fraudnet.engine import open_engine

    stores = []
    for name, rows in (("a", worlds.PEOPLE), ("b", list(reversed(worlds.PEOPLE)))):
        engine = open_engine(tmp_path / f"{name}.duckdb", "duckdb")
        engine.append("parties", worlds.parties(rows))
        resolve_parties(engine)
        stores.append(entity_of(engine))
        engine.close()
    assert stores[0] == stores[1]


def test_merge_keeps_the_larger_entity_id_and_records_the_change(duck_store: Engine) -> None:
    duck_store.append("parties", worlds.parties())
    resolve_parties(duck_store)
    before = entity_of(duck_store)
    patel, grace = before["bank1:002"], before["bank3:101"]
    judge_link(duck_store, "bank3:101", "bank2:900", "POSITIVE", decided_by="analyst1")
    result = resolve_parties(duck_store)
    after = entity_of(duck_store)
    assert after["bank3:101"] == after["bank1:002"] == patel
    changes = result.entity_changes.to_pylist()
    assert [
        (c["old_entity_id"], c["new_entity_id"], c["change"], c["n_parties"]) for c in changes
    ] == [(grace, patel, "merged", 1)]
    assert duck_store.count("entity_changes") == 1
    untouched = {p: e for p, e in before.items() if e not in (patel, grace)}
    assert {p: after[p] for p in untouched} == untouched
    assert len(groups(duck_store)) == len(set(before.values())) - 1
