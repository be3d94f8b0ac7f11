"""`build_networks`: the public entry point behind `fraudnet networks`."""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

import polars as pl
import pyarrow as pa

from fraudnet.engine import Engine
from fraudnet.networks.build import DEVICE_PREFIX, NetworkGraph, expand, find_shapes, group
from fraudnet.networks.expand import ExpansionSettings
from fraudnet.networks.roles import Role, account_roles, party_and_device_roles


@dataclass
class NetworkResult:
    """The two tables written, plus the graph they came from (for reports and queries)."""

    networks: pa.Table
    roles: pa.Table
    graph: NetworkGraph

    def networks_frame(self) -> pl.DataFrame:
        frame = pl.from_arrow(self.networks)
        assert isinstance(frame, pl.DataFrame)
        return frame


def network_id(members: list[str]) -> str:
    """Stable id from the sorted member accounts."""
    digest = hashlib.sha256("\n".join(sorted(members)).encode()).hexdigest()
    return f"NW-{digest[:10].upper()}"


def _relabel(graph: NetworkGraph, min_size: int) -> None:
    """Group labels become NW- ids; groups smaller than `min_size` accounts are dropped."""
    by_group: dict[str, list[str]] = {}
    for node, label in graph.group.items():
        if not node.startswith(DEVICE_PREFIX):
            by_group.setdefault(label, []).append(node)
    ids = {label: network_id(m) for label, m in by_group.items() if len(m) >= min_size}
    graph.group = {n: ids[g] for n, g in graph.group.items() if g in ids}


def build_networks(
    engine: Engine,
    settings: ExpansionSettings | None = None,
    write: bool = True,
    sql_grouping: bool | None = None,
    seeds: list[str] | None = None,
) -> NetworkResult:
    """Find networks and roles; write `networks` and `network_roles` unless `write` is False.

    Grouping runs in igraph on DuckDB and by iterated SQL joins on Spark (`sql_grouping`
    overrides the choice); on small worlds both give the same grouping. `seeds` are accounts
    a user names (a police list, shared intelligence): they seed like alerts.
    """
    settings = settings or ExpansionSettings()
    graph = expand(engine, settings, seeds)
    use_sql = sql_grouping if sql_grouping is not None else engine.name == "spark"
    group(graph, engine if use_sql else None, settings)
    _relabel(graph, settings.min_size)
    find_shapes(graph)
    accounts = account_roles(graph)
    roles = accounts + party_and_device_roles(graph, accounts)
    as_of = datetime.now(UTC).replace(tzinfo=None)
    networks = _networks_table(graph, roles, as_of)
    roles_table = _roles_table(roles)
    if write:
        engine.commit(replaces={"networks": networks, "network_roles": roles_table})
    return NetworkResult(networks, roles_table, graph)


def _roles_table(roles: list[Role]) -> pa.Table:
    ordered = sorted(roles, key=lambda r: (r.network_id, r.role, r.subject_kind, r.subject))
    return pa.table(
        {
            "network_id": pa.array([r.network_id for r in ordered], pa.string()),
            "subject": pa.array([r.subject for r in ordered], pa.string()),
            "subject_kind": pa.array([r.subject_kind for r in ordered], pa.string()),
            "role": pa.array([r.role for r in ordered], pa.string()),
            "confidence": pa.array([r.confidence for r in ordered], pa.float64()),
            "evidence": pa.array([r.evidence for r in ordered], pa.string()),
        }
    )


def _networks_table(graph: NetworkGraph, roles: list[Role], as_of: datetime) -> pa.Table:
    rows = []
    by_network: dict[str, list[str]] = {}
    for node, nid in graph.group.items():
        if not node.startswith(DEVICE_PREFIX):
            by_network.setdefault(nid, []).append(node)
    for nid, members in by_network.items():
        rows.append(_network_row(graph, roles, nid, members))
    # money first, then victims (the score); rings found from alerts alone (no victim
    # reported) after them, by the money taken out
    rows.sort(key=lambda r: (-float(r["score"]), -r["funds_out"], str(r["network_id"])))  # type: ignore[arg-type, operator]
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank
        row["as_of"] = as_of
    schema = pa.schema(
        [
            ("network_id", pa.string()),
            ("rank", pa.int64()),
            ("size", pa.int64()),
            ("victims", pa.int64()),
            ("victim_funds", pa.decimal128(18, 2)),
            ("funds_out", pa.decimal128(18, 2)),
            ("herders", pa.int64()),
            ("first_activity", pa.timestamp("us")),
            ("last_activity", pa.timestamp("us")),
            ("score", pa.float64()),
            ("seeded_from", pa.string()),
            ("typology", pa.string()),
            ("typology_payments", pa.string()),
            ("as_of", pa.timestamp("us")),
        ]
    )
    return pa.Table.from_pylist(rows, schema=schema)


def _network_row(
    graph: NetworkGraph, roles: list[Role], nid: str, members: list[str]
) -> dict[str, object]:
    inside = sorted(members)
    paid = graph.reports.filter(pl.col("dst").is_in(inside))
    victim_pence = int(paid["pence"].sum())
    victims = paid["victim_party_id"].n_unique()
    flows = graph.flows.filter(pl.col("src").is_in(inside) | pl.col("dst").is_in(inside))
    leave = pl.col("channel").is_in(["cash_out", "crypto", "intl_wire"]) | pl.col("dst").is_in(
        sorted(graph.hubs | graph.foreign)
    )
    out_pence = int(flows.filter(pl.col("src").is_in(inside) & leave)["pence"].sum())
    herders = sum(
        1
        for r in roles
        if r.network_id == nid and r.role == "herder" and r.subject_kind != "account"
    )
    score = math.log10(victim_pence / 100 + 1) + victims / 100
    shape = graph.shapes.get(nid)
    return {
        "seeded_from": _network_seeds(graph, inside, victims),
        "typology": shape.typology if shape else None,
        "typology_payments": json.dumps(shape.txn_ids[:50]) if shape else None,
        "network_id": nid,
        "size": len(members),
        "victims": victims,
        "victim_funds": Decimal(victim_pence) / 100,
        "funds_out": Decimal(out_pence) / 100,
        "herders": herders,
        "first_activity": flows["ts"].min() if flows.height else None,
        "last_activity": flows["ts"].max() if flows.height else None,
        "score": round(score, 6),
    }


def _network_seeds(graph: NetworkGraph, members: list[str], victims: int) -> str:
    """What started this network: fraud reports, alerts, named accounts (any of them)."""
    kinds = {graph.seed_kind[m] for m in members if m in graph.seed_kind}
    words = sorted({"named accounts" if k == "named" else "alerts" for k in kinds})
    return " and ".join((["fraud_reports"] if victims else []) + words) or "alerts"
