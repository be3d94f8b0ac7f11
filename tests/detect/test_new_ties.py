"""One-off ties: a laundering fan or ring of strangers scores; payroll, shops and friends do not."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pandas as pd
import pyarrow as pa

from fraudnet.detect import detect
from fraudnet.detect.new_ties import (
    DAY,
    NEW_TIE_FEATURES,
    new_tie_features,
    new_tie_score,
    one_off_ties,
)
from fraudnet.detect.rules import OneOffCycle, OneOffFan
from fraudnet.engine import Engine

HUB, MERCHANT, EMPLOYER = 0, 1, 2
"""Account positions in the hand-built world below."""


def _features(edges: list[tuple[int, int, float]], n: int) -> pd.DataFrame:
    src = np.array([a for a, _, _ in edges], dtype=np.int64)
    dst = np.array([b for _, b, _ in edges], dtype=np.int64)
    seconds = np.array([int(day * DAY) for _, _, day in edges], dtype=np.int64)
    return pd.DataFrame(new_tie_features(src, dst, seconds, n))


def _background(first: int, count: int, days: int) -> list[tuple[int, int, float]]:
    """Friends paying each other now and then: every pair pays more than once."""
    rows = []
    for k in range(count):
        a, b = first + k, first + (k + 1) % count
        rows += [(a, b, float(d)) for d in range(k % 5, days, 9)]
        rows += [(b, a, d + 4.0) for d in range(k % 5, days - 4, 15)]
    return rows


def fans_world() -> tuple[list[tuple[int, int, float]], dict[str, list[int]], int]:
    """A laundering fan-in, a payroll fan-out and a merchant fan-in among friends, 90 days.

    The hub (0) otherwise pays and is paid by two friends; six strangers (10-15) pay it once
    each within two days. The merchant (1) is paid once by three new customers every day.
    The employer (2) pays the same eight employees every month.
    """
    edges = _background(100, 30, 90)
    edges += [(HUB, 100, float(d)) for d in range(0, 90, 10)]
    edges += [(101, HUB, float(d) + 3) for d in range(0, 90, 10)]
    laundering = list(range(10, 16))
    edges += [(s, HUB, 40 + 0.3 * k) for k, s in enumerate(laundering)]
    customers = []
    for day in range(90):
        for k in range(3):
            customer = 1_000 + 3 * day + k
            customers.append(customer)
            edges.append((customer, MERCHANT, day + 0.2 * k))
    employees = list(range(20, 28))
    edges += [(EMPLOYER, e, float(month * 30 + 1)) for month in range(3) for e in employees]
    edges += [(EMPLOYER, 100 + k, float(d)) for k in range(3) for d in range(2, 90, 20)]
    n = max(max(a, b) for a, b, _ in edges) + 1
    groups = {"laundering": laundering, "customers": customers, "employees": employees}
    return edges, groups, n


def test_one_off_ties_are_pairs_with_one_payment_either_way() -> None:
    src = np.array([0, 1, 0, 2, 3])
    dst = np.array([1, 0, 2, 3, 4])
    # 0 and 1 paid each other (two payments: a relation); the others paid once
    assert one_off_ties(src, dst).tolist() == [False, False, True, True, True]


def test_a_laundering_fan_scores_and_benign_fans_do_not() -> None:
    edges, groups, n = fans_world()
    f = _features(edges, n)
    assert f.loc[HUB, "one_off_in_burst"] == 6
    hub = f.loc[HUB, "one_off_fan_surprise"]
    assert hub > 6  # six strangers in two days, for an account that meets almost nobody
    # every spoke carries the hub's surprise
    assert np.allclose(f.loc[groups["laundering"], "one_off_spoke_surprise"], hub)
    # the merchant meets three strangers every day: its busiest days are no surprise
    assert f.loc[MERCHANT, "one_off_in_burst"] >= 9
    assert f.loc[MERCHANT, "one_off_fan_surprise"] < 2
    assert f.loc[groups["customers"], "one_off_spoke_surprise"].max() < 2
    # payroll repeats every month: no one-off ties at all
    assert f.loc[EMPLOYER, "one_off_out_burst"] == 0
    assert f.loc[groups["employees"], "one_off_spoke_surprise"].max() == 0
    score = new_tie_score(f)
    benign = [MERCHANT, EMPLOYER, *groups["customers"], *groups["employees"], *range(100, 130)]
    assert score[[HUB, *groups["laundering"]]].min() > 0.5
    assert score[benign].max() < 0.05
    rule = OneOffFan().strength(f)
    assert (rule[[HUB, *groups["laundering"]]] > 0).all()
    assert (rule[benign] == 0).all()


def test_the_same_strangers_spread_over_weeks_are_no_burst() -> None:
    edges, groups, n = fans_world()
    spread = {s: 40.0 + 9 * k for k, s in enumerate(groups["laundering"])}
    late = [(a, b, spread[a] if b == HUB and a in spread else d) for a, b, d in edges]
    f = _features(late, n)
    assert f.loc[HUB, "one_off_in_burst"] == 1
    assert f.loc[HUB, "one_off_fan_surprise"] < 2


def _ring(members: list[int], start: float, hop: float) -> list[tuple[int, int, float]]:
    return [(a, members[(k + 1) % len(members)], start + k * hop) for k, a in enumerate(members)]


def test_a_ring_of_one_off_payments_is_a_cycle_and_a_circle_of_friends_is_not() -> None:
    friends = [(a, b, d + 30.0) for a, b, d in _ring([5, 6, 7, 8], 1, 1)]
    edges = _ring([0, 1, 2, 3, 4], 1, 1) + _ring([5, 6, 7, 8], 1, 1) + friends
    edges += _ring([10, 11, 12, 13], 1, 5)  # strangers, but each waits five days
    f = _features(edges, 14)
    assert (f.loc[0:4, "one_off_cycles"] > 0).all()
    assert (f.loc[5:8, ["one_off_cycles", "one_off_cycles_wide"]] == 0).all().all()
    assert (f.loc[10:13, "one_off_cycles"] == 0).all()
    assert (f.loc[10:13, "one_off_cycles_wide"] > 0).all()
    rule = OneOffCycle().strength(f)
    assert rule[0:5].tolist() == [1.0] * 5 and rule[5:9].tolist() == [0.0] * 4
    assert rule[10:14].tolist() == [OneOffCycle.parameters["wide_strength"]] * 4


def test_every_feature_is_zero_without_transfers() -> None:
    f = _features([], 3)
    assert list(f.columns) == list(NEW_TIE_FEATURES)
    assert (f.to_numpy() == 0).all()


def test_detect_explains_the_fan_with_its_payments(duck_store: Engine) -> None:
    edges, groups, _ = fans_world()
    t0 = dt.datetime(2025, 1, 1, 9, 0)
    rows = [
        (f"t{k}", f"A{a}", f"A{b}", t0 + dt.timedelta(days=d)) for k, (a, b, d) in enumerate(edges)
    ]
    duck_store.append(
        "transactions",
        pa.table(
            {
                "txn_id": [r[0] for r in rows],
                "ts": pa.array([r[3] for r in rows], pa.timestamp("us")),
                "amount": pa.array([Decimal("250.00")] * len(rows), pa.decimal128(18, 2)),
                "currency": ["GBP"] * len(rows),
                "src_account": [r[1] for r in rows],
                "dst_account": [r[2] for r in rows],
                "channel": ["fps"] * len(rows),
            }
        ),
    )
    result = detect(duck_store, alert_budget=10, seed=1)
    hits = {(h["account_id"], h["rule"]): h for h in result.rule_hits.to_pylist()}
    strangers = set(groups["laundering"])
    fan_in = {f"t{k}" for k, (a, b, _) in enumerate(edges) if b == HUB and a in strangers}
    hub = hits[(f"A{HUB}", "one_off_fan")]
    assert set(hub["evidence_txn_ids"].split(",")) == fan_in
    assert "6 senders" in hub["explanation"]
    spoke = hits[("A10", "one_off_fan")]
    assert set(spoke["evidence_txn_ids"].split(",")) == fan_in  # its payment and the others'
    assert "spoke" in spoke["explanation"]
    assert not any(
        rule == "one_off_fan" and account in {f"A{MERCHANT}", f"A{EMPLOYER}", "A20"}
        for account, rule in hits
    )
