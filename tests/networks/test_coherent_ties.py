"""Rings from alerts alone hold together through their own payments, in their own time.

A ring's ties come in bursts and pass-throughs around the same accounts; a stranger's
one-off payment stands alone in time. These tests build a ten-account cycle (one hop a day,
one relay not alerted) beside such strangers."""

from __future__ import annotations

import datetime as dt

import polars as pl

from fraudnet.engine import Engine
from fraudnet.networks import ExpansionSettings, build_networks
from fraudnet.networks.shapes import find_shape
from fraudnet.networks.unusual import coherent_ties, supported_sides
from tests.networks.test_alert_rings import _payments
from tests.networks.worlds import frame

START = dt.datetime(2025, 3, 1)
RING = [f"R{i}" for i in range(10)]
SETTINGS = ExpansionSettings(hub_payers=6)


def _ties(rows: list[tuple[str, str, float]]) -> pl.DataFrame:
    return pl.DataFrame({
        "txn_id": [f"t{i}" for i in range(len(rows))], "src": [r[0] for r in rows],
        "dst": [r[1] for r in rows], "ts": [START + dt.timedelta(days=r[2]) for r in rows],
        "pence": [50_000] * len(rows),
    })  # fmt: skip


def test_a_tie_counts_only_beside_another_at_one_of_its_accounts() -> None:
    ties = _ties([("A", "B", 1), ("B", "C", 2), ("C", "D", 30), ("E", "F", 2)])
    kept = coherent_ties(ties, days=2, least=1)
    assert sorted(kept["txn_id"].to_list()) == ["t0", "t1"]  # C->D is a month later
    assert coherent_ties(ties, days=2, least=0).height == 4  # the rule off


def test_a_ring_tie_is_coherent_at_both_ends_a_strangers_at_one() -> None:
    ties = _ties([("A", "B", 1), ("B", "C", 2), ("C", "D", 3), ("C", "Z", 3.5)])
    sides = dict(supported_sides(ties, days=2).select("txn_id", "sides").rows())
    assert sides == {"t0": 1, "t1": 2, "t2": 1, "t3": 1}


def test_a_chain_of_payments_names_a_cycle_found_in_part() -> None:
    chain = pl.DataFrame(
        {"src": ["A", "B", "C"], "dst": ["B", "C", "D"], "txn_id": ["1", "2", "3"]}
    )
    found = find_shape(chain)
    assert found is not None and found.typology == "cycle"
    fork = pl.DataFrame({"src": ["A", "B", "B"], "dst": ["B", "C", "D"], "txn_id": ["1", "2", "3"]})
    assert (other := find_shape(fork)) is not None and other.typology != "cycle"


def _world() -> list[tuple[str, str, int]]:
    rows = [(RING[k], RING[(k + 1) % 10], 10 + k) for k in range(10)]  # the cycle
    rows += [("R2", "Z", 70)]  # a one-off payment to an alerted stranger, two months on
    rows += [("R1", "W", 60), ("R3", "W", 61)]  # two members pay W, long after the ring
    return rows


def _store(engine: Engine, alerted: list[str]) -> None:
    engine.commit(appends={"transactions": _payments(_world())})
    for rank, account in enumerate(alerted, start=1):
        engine.execute(f"INSERT INTO alerts (account_id, rank) VALUES ('{account}', {rank})")


def _groups(engine: Engine, settings: ExpansionSettings) -> dict[str, str]:
    roles = frame(build_networks(engine, settings, write=False).roles)
    roles = roles.filter(pl.col("subject_kind") == "account")
    return dict(zip(roles["subject"], roles["network_id"], strict=True))


def test_the_cycle_is_one_network_with_its_relay_and_no_stranger(duck_store: Engine) -> None:
    _store(duck_store, [a for a in RING if a != "R5"] + ["Z"])
    group = _groups(duck_store, SETTINGS)
    assert set(group) == set(RING)  # R5 joins (ties in the ring's days); Z and W do not
    assert len(set(group.values())) == 1
    result = build_networks(duck_store, SETTINGS, write=False)
    assert frame(result.networks)["typology"].to_list() == ["cycle"]


def test_without_the_time_rules_strangers_join_and_the_cycle_breaks(duck_store: Engine) -> None:
    _store(duck_store, [a for a in RING if a != "R5"] + ["Z"])
    loose = _groups(duck_store, ExpansionSettings(hub_payers=6, coherent_ties=0))
    assert "Z" in loose  # the one-off tie to the stranger counts without coherence
    one_sided = _groups(duck_store, ExpansionSettings(hub_payers=6, two_sided=False))
    assert len(set(one_sided.values())) > 1  # Leiden cuts the nine-account chain


def test_the_relay_joins_only_as_a_relay_and_late_payees_only_in_time(duck_store: Engine) -> None:
    _store(duck_store, [a for a in RING if a != "R5"] + ["Z"])
    assert "R5" not in _groups(duck_store, ExpansionSettings(hub_payers=6, extend_links=0))
    wide = _groups(duck_store, ExpansionSettings(hub_payers=6, coherent_days=60))
    assert "W" in wide  # paid by two members 50 days after the ring: in only with a wide window
