"""Network building: expand from the seeds, decide members, build the graph, group it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

import polars as pl

from fraudnet.engine import Engine
from fraudnet.graph.communities import components, refine
from fraudnet.graph.sql_components import sql_components
from fraudnet.networks.alert_seeds import alert_clusters
from fraudnet.networks.control import control_identifiers, device_owners, fee_payments
from fraudnet.networks.expand import (
    ExpansionSettings,
    account_identifiers,
    alerted_accounts,
    corroborated_alerts,
    follow_money,
    holders,
    home_jurisdiction,
    observed_period,
    payer_counts,
    payments_into,
    reported_payments,
    seed_flows,
)
from fraudnet.networks.feeders import attach_feeders, feeder_links
from fraudnet.networks.members import kept_accounts
from fraudnet.networks.persons import same_person_links
from fraudnet.networks.shapes import ShapeMatch, find_core_shape
from fraudnet.networks.unusual import (
    coherent_ties,
    extension_ties,
    fan_links,
    near_core,
    seed_links,
    supported_sides,
    unusual_ties,
)

DEVICE_PREFIX = "device:"
SHAPE_DAYS = 14


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
    alert_seeds: pl.DataFrame = field(default_factory=pl.DataFrame)  # alerted, via, kind, ...
    kin: pl.DataFrame = field(default_factory=pl.DataFrame)  # party, other, kind, value
    feeders: pl.DataFrame = field(default_factory=pl.DataFrame)  # feeder, member, txn_id, pence
    period_seconds: float = 0.0
    group: dict[str, str] = field(default_factory=dict)
    seeded_from: str = "fraud_reports"
    seed_kind: dict[str, str] = field(default_factory=dict)  # account -> alert | named
    seed_links: pl.DataFrame = field(default_factory=pl.DataFrame)  # seed, other, via, kind
    seed_ties: pl.DataFrame = field(default_factory=pl.DataFrame)  # unusual payments inside
    seed_ties_all: pl.DataFrame = field(default_factory=pl.DataFrame)  # every seed's new ties
    tie_members: set[str] = field(default_factory=set)
    shapes: dict[str, ShapeMatch] = field(default_factory=dict)  # network id -> shape


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


@dataclass
class _Membership:
    """Who is in, and why: money, control identifiers, fee payers, corroborated alerts."""

    members: set[str]
    foreign: set[str]
    held: pl.DataFrame
    ids: pl.DataFrame
    control: pl.DataFrame
    inflows: pl.DataFrame
    fees: pl.DataFrame
    corroborated: pl.DataFrame


def _membership(
    engine: Engine,
    reports: pl.DataFrame,
    flows: pl.DataFrame,
    hubs: set[str],
    alerted: list[str],
    settings: ExpansionSettings,
) -> _Membership:
    members, foreign, held = _money_members(engine, flows, hubs, settings)
    victims = set(reports["src"].to_list()) - members
    by_money = set(members)
    ids, control, held = _controlled(engine, members, foreign, hubs, held, settings)
    inflows = payments_into(engine, sorted(members - foreign))
    fees = fee_payments(
        inflows, members, set(flows["txn_id"]), victims, _person_map(held), settings.fee_payees
    )
    members |= set(fees["src"].to_list()) & set(flows["dst"].drop_nulls().to_list())
    used = ids.join(control.select("kind", "value"), on=["kind", "value"])
    owned = device_owners(used, observed_period(engine))
    joined = (members - by_money) & set(owned)
    tainted = set(flows["txn_id"].to_list())
    person_of = _person_map(held)
    households = joined - _sole_owners(joined, owned, person_of)
    members -= _device_only(households, inflows, members, members - joined, tainted, person_of)
    inflows = inflows.filter(pl.col("dst").is_in(sorted(members)))
    corroborated = corroborated_alerts(engine, alerted, members - foreign, hubs, settings)
    members |= set(corroborated["alerted"].to_list())
    held = pl.concat([held, holders(engine, sorted(members - set(held["account"])))]).unique(
        "account"
    )
    return _Membership(members, foreign, held, ids, control, inflows, fees, corroborated)


def _seeded_from(reports: pl.DataFrame, alerted: list[str], named: list[str]) -> str:
    kinds = [k for k, v in (("alerts", alerted), ("named accounts", named)) if v]
    return " and ".join([*kinds, "fraud_reports"] if reports.height else kinds) or "nothing"


def _tie_members(
    engine: Engine, graph: NetworkGraph, seeds: list[str], settings: ExpansionSettings
) -> None:
    """Seeds outside the members, linked to other seeds by unusual payments, join with the
    accounts between them (in place): rings with no report, no device, only alerts or names."""
    candidates = sorted(set(seeds) - graph.members - graph.hubs)
    ties = unusual_ties(engine, candidates, settings)
    middle = set(ties["src"].to_list()) | set(ties["dst"].to_list())
    counts = payer_counts(engine, sorted(middle - set(candidates)))
    busy = sorted(a for a, n in counts.items() if n > settings.hub_payers)
    ties = ties.filter(~pl.col("src").is_in(busy) & ~pl.col("dst").is_in(busy))
    direct = ties.filter(pl.col("src").is_in(candidates) & pl.col("dst").is_in(candidates))
    coherent = coherent_ties(direct, settings.coherent_days, settings.coherent_ties)
    ties = pl.concat([ties.join(direct, on="txn_id", how="anti"), coherent])
    links = seed_links(ties, candidates, settings.tie_days)
    links = links.filter(pl.col("kind").is_in(list(settings.tie_links)))
    if settings.fan_ties:
        partners = sorted(set(ties["src"].to_list()) | set(ties["dst"].to_list()))
        more = unusual_ties(engine, sorted(set(partners) - set(candidates)), settings)
        more = more.filter(~pl.col("src").is_in(busy) & ~pl.col("dst").is_in(busy))
        links = pl.concat([links, fan_links(ties, more, candidates, settings)])
        ties = pl.concat([ties, more]).unique("txn_id")
    joined = set(links["seed"].to_list()) | set(links["other"].to_list())
    joined |= set(links["via"].drop_nulls().to_list())
    inside = sorted(joined)
    inner = ties.filter(pl.col("src").is_in(inside) & pl.col("dst").is_in(inside))
    if settings.extend_links:
        extra = extension_ties(
            ties, coherent, candidates, settings.coherent_days, settings.extend_links
        )
        joined |= set(extra["src"].to_list()) | set(extra["dst"].to_list())
        inner = pl.concat([inner, extra]).unique("txn_id").sort("txn_id")
    graph.seed_links = links
    graph.seed_ties = inner
    graph.seed_ties_all = ties
    graph.tie_members = joined
    graph.members |= joined


def expand(
    engine: Engine, settings: ExpansionSettings, named: list[str] | None = None
) -> NetworkGraph:
    """Seeds → tainted flows → members (money, control identifiers, fee payers); then
    clusters of alerts outside those members seed more flows, and membership is redone;
    last, alerted and named accounts still outside are linked by unusual payments."""
    named = sorted(set(named or []))
    settings = replace(settings, home_jurisdiction=home_jurisdiction(engine, settings))
    reports = reported_payments(engine)
    alerted = named + [a for a in alerted_accounts(engine) if a not in set(named)]
    flows, hubs = follow_money(engine, seed_flows(engine, reports, []), settings)
    found = _membership(engine, reports, flows, hubs, alerted, settings)
    seeds = alert_clusters(engine, alerted, found.members, hubs, settings)
    if not reports.height:  # no report: no tuned taint to walk beside (see docs/networks.md)
        seeds = seeds.clear()
    if seeds.height:  # rings no victim reported: walk on from clusters of alerts too
        start = seed_flows(engine, reports.clear(), sorted(set(seeds["alerted"].to_list())))
        more, more_hubs = follow_money(engine, start, settings)
        flows = pl.concat([flows, more]).unique("txn_id", keep="first", maintain_order=True)
        hubs |= more_hubs
        found = _membership(engine, reports, flows, hubs, alerted, settings)
    members, held = found.members, found.held
    tier1 = set(flows.filter(pl.col("hop") == 0)["dst"].drop_nulls().to_list())
    victims = set(reports["src"].to_list())
    feeders = feeder_links(engine, members, tier1, found.foreign, hubs | victims, settings)
    members = members | set(feeders["feeder"].to_list())
    held = pl.concat([held, holders(engine, sorted(members - set(held["account"])))]).unique(
        "account"
    )
    graph = NetworkGraph(
        reports, flows, hubs, found.foreign, members, held, found.ids, found.control,
        found.fees, pl.DataFrame(),
    )  # fmt: skip
    graph.alert_links = found.corroborated
    graph.feeders = feeders
    graph.alert_seeds = seeds.filter(pl.col("alerted").is_in(sorted(members)))
    # alerts tie by unusual payments only where no victim reported: beside reports (the demo
    # world) they pulled chance ties of false alerts into rings (pair F1 0.46 -> 0.01)
    tie_alerts = [] if reports.height else alerted[: settings.tie_alerts]
    tie_seeds = named + [a for a in tie_alerts if a not in set(named)]
    _tie_members(engine, graph, tie_seeds, settings)
    graph.seed_kind = {a: "alert" for a in alerted} | dict.fromkeys(named, "named")
    graph.holders = pl.concat(
        [graph.holders, holders(engine, sorted(graph.members - set(graph.holders["account"])))]
    ).unique("account")
    graph.kin = same_person_links(engine, sorted(set(held["party"].drop_nulls().to_list())))
    graph.period_seconds = observed_period(engine)
    graph.edges = _edges(graph, settings)
    graph.member_payments = found.inflows.filter(pl.col("src").is_in(sorted(members)))
    graph.seeded_from = _seeded_from(reports, alerted[len(named) :], named)
    return graph


def _money_members(
    engine: Engine, flows: pl.DataFrame, hubs: set[str], settings: ExpansionSettings
) -> tuple[set[str], set[str], pl.DataFrame]:
    """Members by money alone, overseas accounts and holders of everything reached; accounts
    paid by too many payers join `hubs` (in place)."""
    reached = sorted(set(flows["dst"].drop_nulls().to_list()) | set(flows["src"].to_list()))
    held = holders(engine, reached)
    foreign = set(held.filter(pl.col("jurisdiction") != settings.home_jurisdiction)["account"])
    all_payers = payer_counts(engine, sorted(set(flows["dst"].drop_nulls().to_list()) - hubs))
    hubs |= {a for a, n in all_payers.items() if n > settings.hub_payers}  # last hop too
    members = kept_accounts(
        flows, hubs, foreign, settings.min_payers, all_payers, settings.min_member_share
    )
    return members, foreign, held


def _sole_owners(
    joined: set[str], owned: dict[str, list[str]], person_of: dict[str, str]
) -> set[str]:
    """Accounts in `joined` whose holder is the only person in `joined` owning each of their
    control devices: a herder's own phone, not a household tablet that several people use
    all along."""
    people: dict[str, set[str]] = {}
    for account in joined:
        for device in owned[account]:
            people.setdefault(device, set()).add(person_of.get(account, account))
    return {a for a in joined if all(len(people[d]) == 1 for d in owned[a])}


def _device_only(
    joined: set[str],
    inflows: pl.DataFrame,
    members: set[str],
    anchors: set[str],
    tainted: set[str],
    person_of: dict[str, str],
) -> set[str]:
    """Owners of a control device (seen on it all along) who joined through it and whose
    holder never paid, nor was paid by, another person's member account from any of their
    accounts: the herder's family on the household tablet, not the herder (who pays mules or
    takes the collectors' cut, perhaps from a second account). Only payments with `anchors`
    (members by money or fees, not by a device) count: a household on a mule's or a
    collector's tablet all join through it and pay each other."""
    between = inflows.filter(
        pl.col("src").is_in(sorted(members)) & pl.col("dst").is_in(sorted(members))
    ).with_columns(
        pl.col("src").replace_strict(person_of, default=pl.col("src")).alias("src_person"),
        pl.col("dst").replace_strict(person_of, default=pl.col("dst")).alias("dst_person"),
    )
    between = between.filter(pl.col("src_person") != pl.col("dst_person"))
    anchored = sorted(anchors)
    flow = pl.col("txn_id").is_in(sorted(tainted))
    tied = set(between.filter(pl.col("dst").is_in(anchored) | flow)["src_person"].to_list())
    tied |= set(between.filter(pl.col("src").is_in(anchored) | flow)["dst_person"].to_list())
    return {a for a in joined if person_of.get(a, a) not in tied}


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


def _unusual_edges(ties: pl.DataFrame, core: set[str], settings: ExpansionSettings) -> pl.DataFrame:
    """One edge per unusual payment between members and per end at which it is coherent
    (`supported_sides`, at least one): a ring's inner tie counts twice when the grouping
    weighs the ties between two pieces, so a sparse ring (a cycle, a random walk) that Leiden
    cuts is merged back, while a stranger's tie coherent at one end only stays a weak bridge."""
    inside = ties.filter(pl.col("src").is_in(sorted(core)) & pl.col("dst").is_in(sorted(core)))
    inside = inside.filter(pl.col("src") != pl.col("dst"))
    if inside.is_empty():
        return pl.DataFrame(
            schema={"a": pl.Utf8, "b": pl.Utf8, "weight": pl.Float64, "kind": pl.Utf8}
        )
    sided = supported_sides(inside, settings.coherent_days)
    count = pl.max_horizontal(pl.col("sides"), pl.lit(1)) if settings.two_sided else pl.lit(1)
    sided = sided.with_columns(count.alias("times"))
    pairs = sided.group_by("src", "dst").agg(
        pl.col("pence").sum().alias("pence"), pl.col("times").max().alias("times")
    )
    pairs = pairs.with_columns(pl.int_ranges(0, pl.col("times")).alias("copy")).explode("copy")
    return pairs.sort("src", "dst", "copy").select(
        pl.col("src").alias("a"),
        pl.col("dst").alias("b"),
        (pl.col("pence").cast(pl.Float64) + 100.0).log10().alias("weight"),
        pl.lit("unusual").alias("kind"),
    )


def _edges(graph: NetworkGraph, settings: ExpansionSettings) -> pl.DataFrame:
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
    unusual = _unusual_edges(graph.seed_ties, core, settings)
    return pl.concat([money, control, fee_edges, unusual])


def group(graph: NetworkGraph, engine: Engine | None, settings: ExpansionSettings) -> None:
    """Split members into networks: components (igraph, or SQL joins on the engine), then
    the same Leiden refinement either way."""
    alerts = set(graph.alert_links["alerted"].to_list()) if graph.alert_links.height else set()
    alerts |= set(graph.feeders["feeder"].to_list()) if graph.feeders.height else set()
    core = graph.members - graph.foreign - alerts
    edges = graph.edges.filter(
        ~pl.col("a").is_in(sorted(alerts)) & ~pl.col("b").is_in(sorted(alerts))
    )
    nodes = sorted(core | set(edges["b"].to_list()))
    found = sql_components(engine, nodes, edges) if engine else components(nodes, edges)
    graph.group = refine(
        nodes, edges, found, settings.split_above, settings.min_ties, settings.min_tie_share
    )
    _attach_foreign(graph)
    _attach_alerts(graph, settings.alert_links)
    _attach_between(graph, settings.alert_links, settings.coherent_days)
    graph.group.update(attach_feeders(graph.feeders, graph.group, settings.feeder_links))


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


def _attach_between(graph: NetworkGraph, min_links: int, days: float) -> None:
    """An account with new one-way ties to `min_links` or more members of one network that
    seeds made (the hub of a fan, a relay of a cycle), each tie within `days` of one of the
    network's own ties at that member, joins it as a leaf, after grouping."""
    if not graph.tie_members or not graph.seed_ties_all.height:
        return
    near = near_core(graph.seed_ties_all, graph.seed_ties, days)
    ends = near.filter(
        pl.col("account").is_in(sorted(graph.tie_members))
        & ~pl.col("other").is_in(sorted(graph.members))
    ).select("other", pl.col("account").alias("member"), "txn_id")
    ends = ends.with_columns(
        pl.col("member").replace_strict(graph.group, default=None).alias("grp")
    ).drop_nulls("grp")
    best = (
        ends.group_by("other", "grp")
        .agg(pl.col("member").n_unique().alias("n"))
        .filter(pl.col("n") >= min_links)
        .sort(["other", "n", "grp"], descending=[False, True, False])
        .unique("other", keep="first")
    )
    joined = dict(zip(best["other"].to_list(), best["grp"].to_list(), strict=True))
    graph.group.update(joined)
    graph.members |= set(joined)
    graph.tie_members |= set(joined)
    used = ends.filter(pl.col("other").is_in(sorted(joined)))["txn_id"].to_list()
    more = graph.seed_ties_all.filter(pl.col("txn_id").is_in(sorted(set(used))))
    graph.seed_ties = pl.concat([graph.seed_ties, more]).unique("txn_id").sort("txn_id")


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


def network_payments(graph: NetworkGraph, members: list[str]) -> pl.DataFrame:
    """src, dst, txn_id of the tainted and unusual payments between `members`."""
    cols = ["src", "dst", "txn_id", "ts"]
    flows = graph.flows.select(cols).drop_nulls().cast({"ts": pl.Datetime("us")})
    ties = (
        graph.seed_ties.select(cols).cast({"ts": pl.Datetime("us")})
        if graph.seed_ties.height
        else flows.clear()
    )
    both = pl.concat([flows, ties])
    inside = pl.col("src").is_in(members) & pl.col("dst").is_in(members)
    return both.filter(inside).unique("txn_id").sort("txn_id")


def busiest_window(payments: pl.DataFrame, days: int) -> pl.DataFrame:
    """The payments in the `days`-long window holding the most of them: a ring's shape is
    made in a short spell; a tie months away is other business."""
    if payments.is_empty():
        return payments
    starts = payments["ts"].to_list()
    span = dt.timedelta(days=days)
    counts = [(sum(1 for t in starts if s <= t <= s + span), s) for s in starts]
    _, best = max(counts, key=lambda c: (c[0], -c[1].timestamp()))
    return payments.filter(pl.col("ts").is_between(best, best + span))


def find_shapes(graph: NetworkGraph) -> None:
    """The laundering shape of each network's payments (in place, `graph.shapes`)."""
    by_network: dict[str, list[str]] = {}
    for node, nid in graph.group.items():
        if not node.startswith(DEVICE_PREFIX):
            by_network.setdefault(nid, []).append(node)
    for nid, members in sorted(by_network.items()):
        payments = network_payments(graph, sorted(members))
        found = find_core_shape(busiest_window(payments, SHAPE_DAYS))
        if found is not None:
            graph.shapes[nid] = found
