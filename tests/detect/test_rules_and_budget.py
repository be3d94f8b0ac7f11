"""Typology rules fire on the shapes they name, with evidence; the budget caps alerts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pyarrow as pa
import pytest

from fraudnet.detect import RULES, detect
from fraudnet.detect.budget import daily_alerts, top_alerts
from fraudnet.engine import Engine

T0 = dt.datetime(2025, 3, 1, 9, 0)


def _payments(rows: list[tuple[str, str, str, float, float]]) -> pa.Table:
    """(txn_id, src, dst, hours after T0, amount) -> transactions."""
    return pa.table(
        {
            "txn_id": [r[0] for r in rows],
            "ts": pa.array([T0 + dt.timedelta(hours=r[3]) for r in rows], pa.timestamp("us")),
            "amount": pa.array([Decimal(f"{r[4]:.2f}") for r in rows], pa.decimal128(18, 2)),
            "currency": ["GBP"] * len(rows),
            "src_account": [r[1] for r in rows],
            "dst_account": [r[2] for r in rows],
            "channel": ["fps"] * len(rows),
        }
    )


def mule_shapes() -> pa.Table:
    rows = []
    # fan-in then rapid pass-through: 8 unrelated senders pay MULE, which pays COLLECTOR
    for k in range(8):
        rows.append((f"in{k}", f"VICTIM{k}", "MULE", 24.0 * k, 400.0 + k))
        rows.append((f"out{k}", "MULE", "COLLECTOR", 24.0 * k + 0.5, 380.0 + k))
    # a 3-step cycle A -> B -> C -> A
    rows += [("c1", "A", "B", 1, 900), ("c2", "B", "C", 2, 880), ("c3", "C", "A", 3, 860)]
    # scatter-gather: S pays M1..M4, each pays G
    for k in range(4):
        rows.append((f"s{k}", "S", f"M{k}", 5, 250.0))
        rows.append((f"g{k}", f"M{k}", "G", 6 + k, 240.0))
    # background: ordinary people paying each other slowly
    for k in range(40):
        rows.append((f"bg{k}", f"P{k % 13}", f"P{(k * 7 + 3) % 13}", 30.0 * k + 5, 20.0 + k))
    return _payments(rows)


def test_rules_fire_with_evidence(duck_store: Engine) -> None:
    store = duck_store
    store.append("transactions", mule_shapes())
    result = detect(store, alert_budget=3, seed=1)
    hits = result.rule_hits.to_pylist()
    by_rule = {(h["account_id"], h["rule"]): h for h in hits}
    assert ("MULE", "rapid_pass_through") in by_rule
    assert ("MULE", "fan_in") in by_rule
    assert ("B", "cycle") in by_rule
    assert ("S", "scatter_gather") in by_rule or ("G", "scatter_gather") in by_rule
    cycle = set(by_rule[("B", "cycle")]["evidence_txn_ids"].split(","))
    assert cycle == {"c1", "c2", "c3"}
    fan_in = set(by_rule[("MULE", "fan_in")]["evidence_txn_ids"].split(","))
    assert fan_in == {f"in{k}" for k in range(8)}
    assert "8 senders" in by_rule[("MULE", "fan_in")]["explanation"]
    assert not any(h["account_id"].startswith("P") and h["rule"] == "cycle" for h in hits)
    # S and G share four intermediaries met within hours: six four-cycles of short-lived ties
    ring = by_rule[("S", "short_lived_ring")]
    assert set(ring["evidence_txn_ids"].split(",")) == {f"s{k}" for k in range(4)}
    assert "6 four-cycles" in ring["explanation"]
    assert ("M0", "short_lived_ring") in by_rule
    assert not any(
        h["account_id"].startswith("P") and h["rule"] == "short_lived_ring" for h in hits
    )
    # stored, and the alert budget decides how many alerts there are
    assert store.count("rule_hits") == len(hits)
    assert store.count("alerts") == 3
    shapes = {"MULE", "COLLECTOR", "A", "B", "C", "S", "G"} | {f"M{k}" for k in range(4)}
    assert set(result.alerts.column("account_id").to_pylist()) <= shapes
    ids, values = result.scores.column("account_id"), result.scores.column("score")
    score = dict(zip(ids.to_pylist(), values.to_pylist(), strict=True))
    background = max(v for k, v in score.items() if k.startswith("P"))
    assert all(score[k] > background for k in ("MULE", "B", "S", "M0"))


def test_registry_is_complete() -> None:
    for name, cls in RULES.items():
        rule = cls()
        assert rule.name == name and rule.description and isinstance(rule.parameters, dict)
    assert {
        "rapid_pass_through",
        "fan_in",
        "fan_out",
        "scatter_gather",
        "gather_scatter",
        "cycle",
        "dormant_then_active",
        "new_account_high_velocity",
        "shared_device",
        "receives_reported_funds",
        "short_lived_ring",
    } <= set(RULES)


@pytest.mark.parametrize("budget", [0, 1, 4, 10])
def test_budget_takes_the_top_scores(budget: int) -> None:
    scores = pa.table(
        {
            "account_id": ["a", "b", "c", "d", "e"],
            "score": [0.1, 0.9, 0.5, 0.9, 0.0],
            "reasons": ["r"] * 5,
            "as_of": pa.array([T0] * 5, pa.timestamp("us")),
        }
    )
    alerts = top_alerts(scores, budget)
    expected = ["b", "d", "c", "a", "e"][: min(budget, 5)]
    assert alerts.column("account_id").to_pylist() == expected
    assert alerts.column("rank").to_pylist() == list(range(1, len(expected) + 1))


def test_budget_skips_accounts_already_decided() -> None:
    scores = pa.table(
        {
            "account_id": ["a", "b", "c"],
            "score": [0.9, 0.8, 0.7],
            "reasons": ["r"] * 3,
            "trained_on": [1, 0, 0],
            "as_of": pa.array([T0] * 3, pa.timestamp("us")),
        }
    )
    assert top_alerts(scores, 2).column("account_id").to_pylist() == ["b", "c"]


def test_per_day_budget_is_a_review_queue() -> None:
    """Each day analysts take the best accounts waiting; the rest wait for the next day."""
    day = dt.date(2025, 3, 1)
    scores = pa.table(
        {
            "account_id": ["a", "b", "c", "d", "e", "quiet"],
            "score": [0.2, 0.9, 0.5, 0.8, 0.95, 1.0],
            "reasons": ["r"] * 6,
            "trained_on": [0, 0, 0, 0, 1, 0],
            "as_of": pa.array([T0] * 6, pa.timestamp("us")),
        }
    )
    first_active = {
        "a": day,
        "b": day,
        "c": day,
        "d": day + dt.timedelta(days=1),
        "e": day,  # decided already (trained on): takes no analyst time
    }  # "quiet" made no payment in the window: nothing new to review
    alerts = daily_alerts(scores, 2, first_active).to_pylist()
    assert [(r["account_id"], r["alert_day"]) for r in alerts] == [
        ("b", day),
        ("c", day),
        ("d", day + dt.timedelta(days=1)),
        ("a", day + dt.timedelta(days=1)),
    ]
    assert [r["rank"] for r in alerts] == [1, 2, 3, 4]
    assert daily_alerts(scores, 0, first_active).num_rows == 0


def test_detect_per_day_budget_caps_each_day(duck_store: Engine) -> None:
    duck_store.append("transactions", mule_shapes())
    result = detect(duck_store, alert_budget=2, seed=1, per_day_window=30)
    days = result.alerts.column("alert_day").to_pylist()
    assert days and all(d is not None for d in days)
    assert max(days.count(d) for d in set(days)) <= 2
    assert len(set(days)) > 1
    stored = duck_store.table("alerts")
    assert stored.num_rows == result.alerts.num_rows
