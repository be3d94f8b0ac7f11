"""Network building: expand from the seeds, decide members, build the graph, group it."""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from fraudnet.engine import Engine
from fraudnet.graph.communities import components, refine
from fraudnet.graph.sql_components import sql_components
from fraudnet.networks.control import control_identifiers, fee_payments
from fraudnet.networks.expand import (
    ExpansionSettings,
    account_identifiers,
    alerted_accounts,
    corroborated_alerts,
    follow_money,
    holders,
    observed_period,
    payer_counts,
    payments_into,
    reported_payments,
    seed_flows,
)
from fraudnet.networks.members import kept_accounts
from fraudnet.networks.persons import same_person_links

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
    alert_links: pl.DataFrame = field(default_factory=pl.DataFrame)
    kin: pl.DataFrame = field(default_factory=pl.DataFrame)  # party, other, kind, value
    period_seconds: float = 0.0
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
    flows, hubs = follow_money(engine, seed_flows(engine, reports, []), settings)
    reached = sorted(set(flows["dst"].drop_nulls().to_list()) | set(flows["src"].to_list()))
    held = holders(engine, reached)
    foreign = set(held.filter(pl.col("jurisdiction") != settings.home_jurisdiction)["account"])
    all_payers = payer_counts(engine, sorted(set(flows["dst"].drop_nulls().to_list()) - hubs))
    hubs |= {a for a, n in all_payers.items() if n > settings.hub_payers}  # last hop too
    members = kept_accounts(
        flows, hubs, foreign, settings.min_payers, all_payers, settings.min_member_share
    )
    victims = set(reports["src"].to_list()) - members
    ids, control, held = _controlled(engine, members, foreign, hubs, held, settings)
    inflows = payments_into(engine, sorted(members - foreign))
    fees = fee_payments(
        inflows, members, set(flows["txn_id"]), victims, _person_map(held), settings.fee_payees
    )
    members |= set(fees["src"].to_list()) & set(flows["dst"].drop_nulls().to_list())
    corroborated = corroborated_alerts(engine, alerted, members - foreign, hubs, settings)
    members |= set(corroborated["alerted"].to_list())
    held = pl.concat([held, holders(engine, sorted(members - set(held["account"])))]).unique(
        "account"
    )
    graph = NetworkGraph(reports, flows, hubs, foreign, members, held, ids, control, fees, None)  # type: ignore[arg-type]
    graph.alert_links = corroborated
    graph.kin = same_person_links(engine, sorted(set(held["party"].drop_nulls().to_list())))
    graph.period_seconds = observed_period(engine)
    graph.edges = _edges(graph)
    graph.member_payments = inflows.filter(pl.col("src").is_in(sorted(members)))
    graph.seeded_from = "alerts and fraud_reports" if alerted else "fraud_reports"
    return graph


def _controlled(
    engine: Engine,
    members: set[str],
    foreign: set[str],
    hubs: set[str],
    held: pl.DataFrame,
    settings: ExpansionSettings,
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Control identifiers and the accounts on them join `members` (in place), for
    `control_rounds` rounds: accounts found on one herder device bring the herder's other
    devices in. Returns the members' identifiers, the control identifiers and the holders."""
    kinds = list(settings.control_kinds)
    for _ in range(settings.control_rounds):
        ids = account_identifiers(engine, sorted(members - foreign), settings)
        known = set(held["account"].to_list())
        held = pl.concat([held, holders(engine, sorted(set(ids["account"]) - known))])
        control = control_identifiers(
            ids.filter(pl.col("kind").is_in(kinds)), members, _person_map(held)
        )
        on_control = ids.join(control.select("kind", "value"), on=["kind", "value"])
        new = set(on_control["account"].to_list()) - hubs - members
        members |= new
        if not new:
            break
    return ids, control, held


def _edges(graph: NetworkGraph) -> pl.DataFrame:
    """Money and control edges; a fee edge only for a payer with no other tie (fees between
    members of two different rings, e.g. friends, would otherwise merge the rings)."""
    core = graph.members - graph.foreign
    money = _money_edges(graph.flows, core)
    control = _control_edges(
        graph.identifiers.filter(pl.col("account").is_in(sorted(core))), graph.control
    )
    tied = set(money["a"]) | set(money["b"]) | set(control["a"])
    fees = graph.fees.filter(
        pl.col("src").is_in(sorted(core - tied)) & pl.col("dst").is_in(sorted(core))
    )
    fee_edges = fees.group_by("src", "dst").agg(pl.col("pence").sum())
    fee_edges = fee_edges.select(
        pl.col("src").alias("a"),
        pl.col("dst").alias("b"),
        (pl.col("pence").cast(pl.Float64) + 100.0).log10().alias("weight"),
        pl.lit("fee").alias("kind"),
    )
    return pl.concat([money, control, fee_edges])


def group(graph: NetworkGraph, engine: Engine | None, settings: ExpansionSettings) -> None:
    """Split members into networks: components (igraph, or SQL joins on the engine), then
    the same Leiden refinement either way."""
    alerts = set(graph.alert_links["alerted"].to_list()) if graph.alert_links.height else set()
    core = graph.members - graph.foreign - alerts
    edges = graph.edges.filter(
        ~pl.col("a").is_in(sorted(alerts)) & ~pl.col("b").is_in(sorted(alerts))
    )
    nodes = sorted(core | set(edges["b"].to_list()))
    found = sql_components(engine, nodes, edges) if engine else components(nodes, edges)
    graph.group = refine(nodes, edges, found, settings.split_above, settings.min_ties)
    _attach_foreign(graph)
    _attach_alerts(graph, settings.alert_links)


def _attach_alerts(graph: NetworkGraph, min_links: int) -> None:
    """An alerted account joins the one network it has `min_links` or more members of.

    Alerts never join two networks together: attaching after grouping keeps them leaves."""
    if not graph.alert_links.height:
        return
    links = graph.alert_links.with_columns(
        pl.col("member").replace_strict(graph.group, default=None).alias("grp")
    ).drop_nulls("grp")
    best = (
        links.group_by("alerted", "grp")
        .agg(pl.col("member").n_unique().alias("n"))
        .filter(pl.col("n") >= min_links)
        .sort(["alerted", "n", "grp"], descending=[False, True, False])
        .unique("alerted", keep="first")
    )
    for row in best.iter_rows(named=True):
        graph.group[row["alerted"]] = row["grp"]


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
