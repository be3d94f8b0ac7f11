"""Network building: expand from the seeds, decide members, build the graph, group it."""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from fraudnet.engine import Engine
from fraudnet.graph.communities import group_nodes
from fraudnet.graph.sql_components import sql_components
from fraudnet.networks.control import control_identifiers, fee_payments
from fraudnet.networks.expand import (
    ExpansionSettings,
    account_identifiers,
    alerted_accounts,
    follow_money,
    holders,
    payments_into,
    reported_payments,
    seed_flows,
)
from fraudnet.networks.members import kept_accounts

DEVICE_PREFIX = "device:"


@dataclass
class NetworkGraph:
    """Everything the roles and the report need, before it is written to tables."""

    reports: pl.DataFrame
    flows: pl.DataFrame
    hubs: set[str]
    foreign: set[str]
    members: set[str]
    holders: pl.DataFrame
    identifiers: pl.DataFrame
    control: pl.DataFrame
    fees: pl.DataFrame
    edges: pl.DataFrame  # a, b, weight, kind
    member_payments: pl.DataFrame = field(default_factory=pl.DataFrame)
    group: dict[str, str] = field(default_factory=dict)
    seeded_from: str = "fraud_reports"


def _person_map(table: pl.DataFrame) -> dict[str, str]:
    return dict(zip(table["account"].to_list(), table["person"].to_list(), strict=True))


def _money_edges(flows: pl.DataFrame, nodes: set[str]) -> pl.DataFrame:
    inside = flows.filter(pl.col("src").is_in(sorted(nodes)) & pl.col("dst").is_in(sorted(nodes)))
    return (
        inside.filter(pl.col("src") != pl.col("dst"))
        .group_by("src", "dst")
        .agg(pl.col("pence").sum().alias("pence"))
        .select(
            pl.col("src").alias("a"),
            pl.col("dst").alias("b"),
            (pl.col("pence").cast(pl.Float64) + 100.0).log10().alias("weight"),
            pl.lit("money").alias("kind"),
        )
    )


def _control_edges(identifiers: pl.DataFrame, control: pl.DataFrame) -> pl.DataFrame:
    used = identifiers.join(control.select("kind", "value"), on=["kind", "value"])
    return used.select(
        pl.col("account").alias("a"),
        (pl.lit(DEVICE_PREFIX) + pl.col("kind") + ":" + pl.col("value")).alias("b"),
        pl.lit(3.0).alias("weight"),
        pl.col("kind"),
    )


def expand(engine: Engine, settings: ExpansionSettings) -> NetworkGraph:
    """Seeds → tainted flows → members (money, control identifiers, fee payers)."""
    reports = reported_payments(engine)
    alerted = alerted_accounts(engine)
    flows, hubs = follow_money(engine, seed_flows(engine, reports, alerted), settings)
    reached = sorted(set(flows["dst"].drop_nulls().to_list()) | set(flows["src"].to_list()))
    held = holders(engine, reached)
    foreign = set(held.filter(pl.col("jurisdiction") != settings.home_jurisdiction)["account"])
    members = kept_accounts(flows, hubs, foreign, settings.min_payers)
    victims = set(reports["src"].to_list()) - members
    ids = account_identifiers(engine, sorted(members - foreign), settings)
    held = pl.concat([held, holders(engine, sorted(set(ids["account"]) - set(reached)))])
    control = control_identifiers(
        ids.filter(pl.col("kind").is_in(list(settings.control_kinds))), members, _person_map(held)
    )
    controlled = set(ids.join(control.select("kind", "value"), on=["kind", "value"])["account"])
    members |= controlled - hubs
    inflows = payments_into(engine, sorted(members - foreign))
    fees = fee_payments(
        inflows, members, set(flows["txn_id"]), victims, _person_map(held), settings.fee_payees
    )
    members |= set(fees["src"].to_list()) & set(flows["dst"].drop_nulls().to_list())
    held = pl.concat([held, holders(engine, sorted(members - set(held["account"])))]).unique(
        "account"
    )
    graph = NetworkGraph(reports, flows, hubs, foreign, members, held, ids, control, fees, None)  # type: ignore[arg-type]
    graph.edges = _edges(graph)
    graph.member_payments = inflows.filter(pl.col("src").is_in(sorted(members)))
    graph.seeded_from = "alerts and fraud_reports" if alerted else "fraud_reports"
    return graph


def _edges(graph: NetworkGraph) -> pl.DataFrame:
    core = graph.members - graph.foreign
    fees = graph.fees.filter(pl.col("src").is_in(sorted(core)) & pl.col("dst").is_in(sorted(core)))
    fee_edges = fees.group_by("src", "dst").agg(pl.col("pence").sum())
    fee_edges = fee_edges.select(
        pl.col("src").alias("a"),
        pl.col("dst").alias("b"),
        (pl.col("pence").cast(pl.Float64) + 100.0).log10().alias("weight"),
        pl.lit("fee").alias("kind"),
    )
    return pl.concat(
        [
            _money_edges(graph.flows, core),
            _control_edges(
                graph.identifiers.filter(pl.col("account").is_in(sorted(core))), graph.control
            ),
            fee_edges,
        ]
    )


def group(graph: NetworkGraph, engine: Engine | None = None, split_above: int = 60) -> None:
    """Split members into networks: igraph (Leiden on big components), or SQL components."""
    core = graph.members - graph.foreign
    nodes = sorted(core | set(graph.edges["b"].to_list()))
    if engine is not None:
        graph.group = sql_components(engine, nodes, graph.edges)
    else:
        graph.group = group_nodes(nodes, graph.edges, split_above=split_above)
    _attach_foreign(graph)


def _attach_foreign(graph: NetworkGraph) -> None:
    """An overseas payee joins the network that paid it the most tainted money."""
    into = graph.flows.filter(pl.col("dst").is_in(sorted(graph.foreign & graph.members)))
    into = into.with_columns(
        pl.col("src").replace_strict(graph.group, default=None).alias("grp")
    ).drop_nulls("grp")
    best = (
        into.group_by("dst", "grp")
        .agg(pl.col("pence").sum())
        .sort(["dst", "pence", "grp"], descending=[False, True, False])
    )
    for row in best.unique("dst", keep="first").iter_rows(named=True):
        graph.group[row["dst"]] = row["grp"]
