"""Roles on a hand-made ring: who keeps the collectors' money, who cashes out from a device."""

from __future__ import annotations

import datetime as dt

import polars as pl

from fraudnet.networks.build import NetworkGraph
from fraudnet.networks.roles import account_roles

START = dt.datetime(2025, 1, 1)
DAY = dt.timedelta(days=1)


def _flows(rows: list[tuple[str, str, str | None, int, str, int]]) -> pl.DataFrame:
    names = ["txn_id", "src", "dst", "pence", "channel", "hop"]
    frame = pl.DataFrame([dict(zip(names, r, strict=True)) for r in rows])
    return frame.with_columns(pl.lit(START).alias("ts"))


def _ring(keeper_forwards: bool = False) -> NetworkGraph:
    """V pays mule T1 (reported); T1 pays collector COL, who cashes out and pays KEEP; OWN
    (on the ring's device all along) is paid by outsider X and sends it out as crypto."""
    rows = [
        ("r1", "V", "T1", 100_000, "fps", 0),
        ("f1", "T1", "COL", 90_000, "fps", 1),
        ("f2", "COL", None, 60_000, "cash_out", 2),
        ("f3", "COL", "KEEP", 20_000, "fps", 2),
        ("f4", "X", "OWN", 50_000, "fps", 2),
        ("f5", "OWN", "EXCH", 45_000, "crypto", 3),
    ]
    if keeper_forwards:
        rows.append(("f6", "KEEP", "COL", 15_000, "fps", 3))
    members = {"T1", "COL", "KEEP", "OWN"}
    spells = {"T1": (10, 20), "KEEP": (30, 40), "OWN": (0, 88), "COL": (50, 55)}
    identifiers = pl.DataFrame(
        [{"account": a, "kind": "device", "value": "d1", "n_accounts": 4,
          "first_seen": START + lo * DAY, "last_seen": START + hi * DAY}
         for a, (lo, hi) in spells.items()]
    )  # fmt: skip
    reports = pl.DataFrame(
        {"report_id": ["R1"], "txn_id": ["r1"], "victim_party_id": ["PV"], "src": ["V"],
         "dst": ["T1"], "pence": [100_000]}
    )  # fmt: skip
    holders = pl.DataFrame(
        {"account": sorted(members), "party": [f"P-{a}" for a in sorted(members)],
         "person": [f"P-{a}" for a in sorted(members)], "jurisdiction": ["GB"] * 4}
    )  # fmt: skip
    fees = pl.DataFrame(
        schema={"src": pl.Utf8, "dst": pl.Utf8, "txn_id": pl.Utf8, "pence": pl.Int64}
    )
    graph = NetworkGraph(
        reports, _flows(rows), {"EXCH"}, set(), members, holders, identifiers,
        pl.DataFrame({"kind": ["device"], "value": ["d1"]}), fees, pl.DataFrame(),
    )  # fmt: skip
    graph.member_payments = fees
    graph.period_seconds = (90 * DAY).total_seconds()
    graph.group = dict.fromkeys(members, "NW")
    return graph


def _roles(graph: NetworkGraph) -> dict[str, str]:
    return {r.subject: r.role for r in account_roles(graph)}


def test_an_account_worked_from_the_device_that_keeps_a_collectors_money_is_a_herder() -> None:
    roles = _roles(_ring())
    assert roles["KEEP"] == "herder"
    assert roles["COL"] == "collector"
    assert roles["T1"] == "mule_tier1"
    assert _roles(_ring(keeper_forwards=True))["KEEP"] != "herder"  # passes money on


def test_an_owner_of_the_device_that_cashes_out_tainted_money_is_a_collector() -> None:
    assert _roles(_ring())["OWN"] == "collector"
