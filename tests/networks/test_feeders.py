"""Feeders: accounts that pass just-received money to two relays of one ring join it."""

from __future__ import annotations

from fraudnet.engine import Engine
from fraudnet.networks import ExpansionSettings
from fraudnet.networks.feeders import attach_feeders, feeder_links

# (txn_id, src, dst, hours after the start, pounds)
PAYMENTS = [
    ("in1", "SALARY", "F1", 0, 500),  # F1 receives, then passes it to R1 and R2 within a day
    ("f1a", "F1", "R1", 2, 400),
    ("f1b", "F1", "R2", 3, 300),
    ("in2", "SALARY", "F2", 0, 500),  # F2 pays R2 thirty hours after its money came in
    ("f2a", "F2", "R1", 2, 400),
    ("f2b", "F2", "R2", 30, 300),
    ("in3", "SALARY", "F3", 0, 100),  # F3 pays more than it received
    ("f3a", "F3", "R1", 1, 400),
    ("f3b", "F3", "R2", 1, 300),
    ("in4", "SALARY", "F4", 0, 900),  # F4 feeds R1 and a relay of another ring
    ("f4a", "F4", "R1", 1, 400),
    ("f4b", "F4", "S1", 1, 300),
    ("in5", "SALARY", "T1", 0, 900),  # T1 is a member already (a reported tier-1 mule)
    ("t1a", "T1", "R1", 1, 400),
    ("t1b", "T1", "R2", 1, 300),
]
GROUP = {"R1": "ring-a", "R2": "ring-a", "T1": "ring-a", "S1": "ring-b", "S2": "ring-b"}


def _store(engine: Engine) -> None:
    rows = ", ".join(
        f"('{t}', TIMESTAMP '2025-01-01 00:00:00' + INTERVAL {h} HOUR, {p}, 'GBP', '{s}', "
        f"'{d}', 'fps')"
        for t, s, d, h, p in PAYMENTS
    )
    columns = "txn_id, ts, amount, currency, src_account, dst_account, channel"
    engine.execute(f"INSERT INTO transactions ({columns}) VALUES {rows}")


def test_only_pass_through_payments_to_two_relays_of_one_ring_attach(duck_store: Engine) -> None:
    _store(duck_store)
    members = {"R1", "R2", "S1", "S2", "T1"}
    links = feeder_links(duck_store, members, {"T1"}, set(), set(), ExpansionSettings())
    # F2 and F3 have one pass-through payment at most; T1 is a member; F4 feeds two relays
    assert set(links["feeder"]) == {"F1", "F4"}
    assert sorted(links.filter(links["feeder"] == "F1")["txn_id"]) == ["f1a", "f1b"]
    assert attach_feeders(links, GROUP, 2) == {"F1": "ring-a"}  # F4's relays are of two rings


def test_a_longer_window_lets_a_late_payment_count(duck_store: Engine) -> None:
    _store(duck_store)
    members = {"R1", "R2", "S1", "S2", "T1"}
    slow = ExpansionSettings(feeder_hours=48)
    links = feeder_links(duck_store, members, {"T1"}, set(), set(), slow)
    assert set(links["feeder"]) == {"F1", "F2", "F4"}
    assert attach_feeders(links, GROUP, 3) == {}  # no feeder pays three relays
