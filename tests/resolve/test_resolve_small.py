from __future__ import annotations

import json
from datetime import date

import polars as pl
import pyarrow as pa
import pytest

from fraudnet.engine import Engine
from fraudnet.resolve import resolve_parties
from fraudnet.resolve.febrl import load_febrl3
from fraudnet.resolve.training import default_model_path
from tests.resolve import worlds
from tests.resolve.helpers import entity_of, groups


def _load(engine: Engine) -> None:
    engine.commit(appends={"parties": worlds.parties(), "identifiers": worlds.identifiers()})


def test_obvious_duplicates_link_and_others_stay_apart(duck_store: Engine) -> None:
    _load(duck_store)
    result = resolve_parties(duck_store)
    found = groups(duck_store)
    for same in worlds.SAME_PERSON:
        assert frozenset(same) in found
    everyone = {str(p["party_id"]) for p in worlds.PEOPLE}
    clustered = set().union(*worlds.SAME_PERSON)
    for party in everyone - clustered:
        assert frozenset({party}) in found
    assert result.n_entities == len(everyone) - sum(len(s) - 1 for s in worlds.SAME_PERSON)


def test_shared_device_is_a_link_not_a_merge(duck_store: Engine) -> None:
    _load(duck_store)
    result = resolve_parties(duck_store)
    entity = entity_of(duck_store)
    assert entity["bank1:003"] != entity["bank2:555"]
    rows = duck_store.table("identifier_links").to_pylist()
    device = [r for r in rows if r["kind"] == "device"]
    assert len(device) == 1
    assert (device[0]["party_id_l"], device[0]["party_id_r"]) == ("bank1:003", "bank2:555")
    assert device[0]["value"] == "dev-abc" and device[0]["n_parties"] == 2
    assert device[0]["same_entity"] is None
    phones = [r for r in rows if r["kind"] == "phone"]
    assert [(r["party_id_l"], r["party_id_r"], r["same_entity"]) for r in phones] == [
        ("bank1:001", "bank2:777", entity["bank1:001"])
    ]
    assert result.identifier_links.num_rows == len(rows)


def test_links_explain_which_fields_agreed(duck_store: Engine) -> None:
    _load(duck_store)
    resolve_parties(duck_store)
    links = {
        (r["party_id_l"], r["party_id_r"]): r for r in duck_store.table("entity_links").to_pylist()
    }
    smith = links[("bank1:001", "bank2:777")]
    assert smith["status"] == "linked" and smith["match_probability"] >= 0.9
    evidence = {e["field"]: e for e in json.loads(smith["evidence"])}
    assert evidence["given_name"]["level"] == "jaro-winkler >= 0.92"
    assert (evidence["given_name"]["l"], evidence["given_name"]["r"]) == ("jonathan", "jonathon")
    location = evidence["location"]
    assert location["level"] == "similar address, same postcode" and location["weight"] > 0
    assert (
        location["l"] == "10 downing street | SW1A1AA"
        and location["r"] == "10 downing st | SW1A1AA"
    )
    assert evidence["phone"]["level"] == "exact"
    assert {"family_name", "dob", "location", "phone"} <= set(smith["agreed_fields"].split(","))
    # jon.smith@ is nothing but the name: shown, but weighed under the names only
    email = evidence["email"]
    assert email["level"].startswith("same, built from the names") and email["weight"] == 0
    assert "email" not in smith["agreed_fields"].split(",")
    swapped = links[("bank1:002", "bank3:042")]
    levels = {e["field"]: e["level"] for e in json.loads(swapped["evidence"])}
    assert levels["given_name"] == "given and family names swapped"
    member = [r for r in duck_store.table("entities").to_pylist() if r["party_id"] == "bank1:001"]
    assert json.loads(member[0]["evidence"])["best_match"] == "bank2:777"
    assert member[0]["entity_size"] == 2


def test_tiny_store_uses_priors_and_saves_nothing(duck_store: Engine) -> None:
    _load(duck_store)
    result = resolve_parties(duck_store)
    assert not result.model.trained and not result.model.reused
    assert result.model.path is None
    assert result.model.state.startswith("prior parameters")
    assert not default_model_path(duck_store).exists()


def test_model_is_trained_saved_and_reused_unless_retrain(duck_store: Engine) -> None:
    parties, _ = load_febrl3()
    frame = pl.from_arrow(parties)
    assert isinstance(frame, pl.DataFrame)
    person = frame["party_id"].str.extract(r"rec-(\d+)-").cast(pl.Int64)
    duck_store.append("parties", parties.filter(pa.array((person < 100).to_list())))
    first = resolve_parties(duck_store)
    assert first.model.trained and not first.model.reused
    assert first.model.path == default_model_path(duck_store) and first.model.path.exists()
    assert set(first.model.fields) == {"dob", "family_name", "given_name", "location"}
    saved = first.model.path.read_text()
    second = resolve_parties(duck_store)
    assert second.model.reused and not second.model.trained
    assert second.model.path is not None and second.model.path.read_text() == saved
    assert second.summary()["entities"] == first.summary()["entities"]
    custom = duck_store.location.with_name("elsewhere.json")
    third = resolve_parties(duck_store, retrain=True, model_path=custom)
    assert third.model.trained and third.model.path == custom and custom.exists()


def test_threshold_is_respected(duck_store: Engine) -> None:
    _load(duck_store)
    result = resolve_parties(duck_store, threshold=0.999999999)
    probabilities = pa.compute.min(result.entity_links.column("match_probability")).as_py()
    assert probabilities is None or probabilities >= 0.999999999


def test_relatives_at_one_address_stay_apart(duck_store: Engine) -> None:
    """Same family name, address and postcode: two people (given name and dob differ)."""
    relative = {
        "party_id": "bank2:556",
        "given_name": "Tom",
        "family_name": "Brown",
        "dob": date(2005, 8, 21),
        "postcode": "M1 1AE",
        "address": "1 Piccadilly",
        "source": "bank2",
    }
    duck_store.append("parties", worlds.parties([*worlds.PEOPLE, relative]))
    resolve_parties(duck_store)
    entity = entity_of(duck_store)
    assert entity["bank1:003"] != entity["bank2:556"]
    assert frozenset({"bank1:001", "bank2:777"}) in groups(duck_store)
    shared = {
        (r["party_id_l"], r["party_id_r"], r["kind"])
        for r in duck_store.table("identifier_links").to_pylist()
    }
    assert ("bank1:003", "bank2:556", "address") in shared


@pytest.mark.parametrize("rows", [0, 1])
def test_empty_or_single_party_store(duck_store: Engine, rows: int) -> None:
    duck_store.append("parties", worlds.parties(worlds.PEOPLE[:rows]))
    result = resolve_parties(duck_store)
    assert result.n_parties == rows and result.n_entities == rows
    assert result.entity_links.num_rows == 0 and result.model.path is None
