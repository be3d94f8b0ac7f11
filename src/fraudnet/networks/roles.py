"""Roles with evidence for every member of every network.

- victim: a party whose reported fraud payment went to a member.
- mule_tier1: an account that received a reported fraud payment, or that is operated from a
  control device and passes money to the network's relays and collectors, or a feeder (passes
  money it has just received to two or more of the network's relays: `networks.feeders`).
- mule_tier2plus: reached by tainted money from two or more members and passes most of it on
  to other members.
- collector: where several members' money converges and then leaves the system (cash,
  crypto, international wire, overseas or a hub such as an exchange), or an overseas payee.
- herder: the owner of a control device that is not itself moving victim money, an account
  worked from one that keeps the collectors' money, or one that pays three or more mules
  (`fee_payees`); its holder party; and the control device itself.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import polars as pl

from fraudnet.networks.build import NetworkGraph
from fraudnet.networks.control import device_owners
from fraudnet.networks.expand import EXIT_CHANNELS

MAX_EVIDENCE = 12


@dataclass(frozen=True)
class Role:
    network_id: str
    subject: str
    subject_kind: str
    role: str
    confidence: float
    evidence: str


def _evidence(
    summary: str,
    transactions: list[str] | None = None,
    identifiers: list[dict[str, str]] | None = None,
    accounts: list[str] | None = None,
) -> str:
    body: dict[str, object] = {"summary": summary}
    body["transactions"] = sorted(transactions or [])[:MAX_EVIDENCE]
    body["identifiers"] = (identifiers or [])[:MAX_EVIDENCE]
    body["accounts"] = sorted(accounts or [])[:MAX_EVIDENCE]
    return json.dumps(body, sort_keys=True)


def _pounds(pence: int) -> str:
    return f"£{pence / 100:,.2f}"


@dataclass
class _Context:
    graph: NetworkGraph
    tier1: set[str]
    controlled: dict[str, list[str]]  # account -> control identifiers
    owners: dict[str, list[str]]  # account -> control identifiers it uses all along
    out_to: pl.DataFrame  # tainted flows between members
    exits: pl.DataFrame
    seeded: set[str]  # alerted accounts that seeded a ring (not paid by a reported payment)


def _context(graph: NetworkGraph) -> _Context:
    tier1 = set(graph.flows.filter(pl.col("hop") == 0)["dst"].to_list()) & graph.members
    used = graph.identifiers.join(graph.control.select("kind", "value"), on=["kind", "value"])
    controlled: dict[str, list[str]] = {}
    for row in used.iter_rows(named=True):
        controlled.setdefault(row["account"], []).append(f"{row['kind']}:{row['value']}")
    members = sorted(graph.members)
    out_to = graph.flows.filter(
        (pl.col("hop") > 0) & pl.col("src").is_in(members) & pl.col("dst").is_in(members)
    )
    sinks = sorted(graph.hubs | graph.foreign)
    leave = pl.col("channel").is_in(list(EXIT_CHANNELS)) | pl.col("dst").is_null()
    exits = graph.flows.filter(
        (pl.col("hop") > 0) & pl.col("src").is_in(members) & (leave | pl.col("dst").is_in(sinks))
    )
    owners = device_owners(used, graph.period_seconds)
    seeded = set(graph.alert_seeds["alerted"].to_list()) if graph.alert_seeds.height else set()
    seeded -= set(graph.reports["dst"].to_list())
    return _Context(graph, tier1, controlled, owners, out_to, exits, seeded)


def _fee_payers(graph: NetworkGraph) -> dict[str, pl.DataFrame]:
    fees = graph.fees.filter(pl.col("src").is_in(sorted(graph.members)))
    return {str(k[0]): v for k, v in fees.partition_by("src", as_dict=True).items()}


def account_roles(graph: NetworkGraph) -> list[Role]:
    """One role per member account (the most telling one), with evidence."""
    ctx = _context(graph)
    fee_payers = _fee_payers(graph)
    roles: list[Role] = []
    for account in sorted(graph.members):
        network = graph.group.get(account)
        if network is None:
            continue
        roles.append(_account_role(ctx, fee_payers, account, network))
    return _same_person_herders(graph, roles)


def _same_person_herders(graph: NetworkGraph, roles: list[Role]) -> list[Role]:
    """A member account held by the same person as a herder account is a herder's too (a
    herder's second bank account, worked from their own device for a shorter spell)."""
    person = dict(zip(graph.holders["account"], graph.holders["person"], strict=True))
    herder_of: dict[str, str] = {}
    for role in roles:
        if role.role == "herder" and person.get(role.subject) is not None:
            herder_of.setdefault(str(person[role.subject]), role.subject)
    out = []
    for role in roles:
        twin = herder_of.get(str(person.get(role.subject)))
        if role.role == "herder" or twin is None or twin == role.subject:
            out.append(role)
            continue
        text = f"held by the same person as herder account {twin}; was {role.role}"
        held = json.loads(role.evidence)
        evidence = _evidence(text, held["transactions"], held["identifiers"], [twin])
        out.append(Role(role.network_id, role.subject, "account", "herder", 0.7, evidence))
    return out


def _account_role(
    ctx: _Context, fee_payers: dict[str, pl.DataFrame], account: str, network: str
) -> Role:
    g = ctx.graph
    if account in g.tie_members:
        return _shape_role(ctx, account, network)
    if account in ctx.seeded:  # an alert that seeded a ring may be its herder
        owner = account in ctx.owners and not _cashes_out(ctx, account)
        if owner or account in fee_payers:
            role = _controller_role(ctx, fee_payers, account, network, ctx.out_to.clear())
            if role.role == "herder":
                return role
        return _seed_role(ctx, account, network)
    if account in ctx.tier1:
        paid = g.reports.filter(pl.col("dst") == account)
        text = (
            f"received {paid.height} reported fraud payment(s) totalling "
            f"{_pounds(int(paid['pence'].sum()))} from "
            f"{paid['victim_party_id'].n_unique()} victim(s)"
        )
        return Role(
            network,
            account,
            "account",
            "mule_tier1",
            0.95,
            _evidence(text, paid["txn_id"].to_list(), accounts=paid["src"].to_list()),
        )
    if account in g.foreign:
        into = g.flows.filter(pl.col("dst") == account)
        text = f"overseas account paid {_pounds(int(into['pence'].sum()))} of tainted money"
        return Role(
            network,
            account,
            "account",
            "collector",
            0.8,
            _evidence(text, into["txn_id"].to_list(), accounts=into["src"].to_list()),
        )
    forwards = ctx.out_to.filter(pl.col("src") == account)
    if g.alert_links.height and account in set(g.alert_links["alerted"]):
        return _alert_role(ctx, account, network)
    if account in ctx.owners and account in fee_payers:  # both herder signs: herder first
        return _controller_role(ctx, fee_payers, account, network, forwards)
    if g.feeders.height and account in set(g.feeders["feeder"]):
        return _feeder_role(ctx, account, network)
    from_tier1 = g.flows.filter((pl.col("dst") == account) & pl.col("src").is_in(sorted(ctx.tier1)))
    if not from_tier1.is_empty():
        return _relay_role(ctx, account, network, forwards)
    if _cashes_out(ctx, account):
        return _relay_role(ctx, account, network, forwards)
    if account in ctx.owners and account not in fee_payers and _cashes_out(ctx, account, True):
        return _relay_role(ctx, account, network, forwards)  # a collector worked from it
    if account in fee_payers or account in ctx.controlled:
        return _controller_role(ctx, fee_payers, account, network, forwards)
    exits = ctx.exits.filter(pl.col("src") == account)
    if not exits.is_empty() or not forwards.is_empty():
        return _relay_role(ctx, account, network, forwards)
    into = g.flows.filter(pl.col("dst") == account)
    text = (
        f"receives money from {into['src'].n_unique()} collector or relay account(s) "
        f"({_pounds(int(into['pence'].sum()))}) and does not pass it on: where the cut ends up"
    )
    return Role(
        network,
        account,
        "account",
        "herder",
        0.5,
        _evidence(text, into["txn_id"].to_list(), accounts=into["src"].to_list()),
    )


def _seed_role(ctx: _Context, account: str, network: str) -> Role:
    """An alerted account that seeded a ring with other alerted accounts (no report)."""
    ties = ctx.graph.alert_seeds.filter(pl.col("alerted") == account)
    kinds = ", ".join(sorted(set(ties["kind"].to_list())))
    text = (
        f"alerted by detection and tied to other alerted accounts ({kinds}): no victim "
        "reported, so this ring was found from detection's alerts"
    )
    devices = [v.split(":", 1) for v in ties.filter(pl.col("kind") == "control device")["via"]]
    evidence = _evidence(
        text,
        ties["txn_id"].drop_nulls().to_list(),
        [{"kind": k, "value": v} for k, v in devices],
        ties.filter(pl.col("kind") != "control device")["via"].to_list(),
    )
    return Role(network, account, "account", "mule_tier1", 0.5, evidence)


def _shape_role(ctx: _Context, account: str, network: str) -> Role:
    """A member linked by unusual payments: the role its place in the network's shape gives."""
    g = ctx.graph
    shape = g.shapes.get(network)
    links = g.seed_links.filter((pl.col("seed") == account) | (pl.col("other") == account))
    via = g.seed_links.filter(pl.col("via") == account)
    kinds = ", ".join(sorted(set(pl.concat([links, via])["kind"].to_list())))
    seed = {"alert": "alerted by detection", "named": "named as a seed"}.get(
        g.seed_kind.get(account, ""), "between seeds"
    )
    role = shape.roles.get(account, "mule_tier2plus") if shape else "mule_tier2plus"
    typology = shape.typology if shape else "no known shape"
    text = f"{seed}; tied to other seeds by new one-way payments ({kinds}); {typology}: {role}"
    txns = pl.concat([links, via])["txn_id"].to_list()
    others = pl.concat([links["seed"], links["other"], via["seed"]]).to_list()
    evidence = _evidence(text, txns, accounts=sorted(set(others) - {account}))
    return Role(network, account, "account", role, 0.5 if shape else 0.3, evidence)


def _feeder_role(ctx: _Context, account: str, network: str) -> Role:
    """An unreported tier-1 mule: passes money it has just received to the ring's relays."""
    links = ctx.graph.feeders.filter(pl.col("feeder") == account)
    text = (
        f"paid {links['member'].n_unique()} relay or collector account(s) of this network "
        f"{_pounds(int(links['pence'].sum()))} in {links.height} payment(s), each within "
        "a day of receiving at least as much: passes money on like a tier-1 mule whose "
        "victims did not report"
    )
    evidence = _evidence(text, links["txn_id"].to_list(), accounts=links["member"].to_list())
    return Role(network, account, "account", "mule_tier1", 0.6, evidence)


def _alert_role(ctx: _Context, account: str, network: str) -> Role:
    links = ctx.graph.alert_links.filter(pl.col("alerted") == account)
    pays = links.filter(pl.col("direction") == "pays")
    role = "mule_tier1" if pays.height * 2 >= links.height else "mule_tier2plus"
    text = (
        f"alerted by detection; paid {pays['member'].n_unique()} and was paid by "
        f"{links.filter(pl.col('direction') == 'paid by')['member'].n_unique()} network member(s)"
    )
    evidence = _evidence(text, links["txn_id"].to_list(), accounts=links["member"].to_list())
    return Role(network, account, "account", role, 0.5, evidence)


def _cashes_out(ctx: _Context, account: str, from_anyone: bool = False) -> bool:
    """Receives tainted money from members (`from_anyone`: from any tainted payer) and takes
    at least half of it out of the system (cash, crypto, abroad): a collector, even when it
    is also logged in from a herder's device."""
    g = ctx.graph
    payers = pl.lit(True) if from_anyone else pl.col("src").is_in(sorted(g.members))
    into = g.flows.filter((pl.col("dst") == account) & payers)
    leave = pl.col("channel").is_in(list(EXIT_CHANNELS)) | pl.col("dst").is_in(sorted(g.foreign))
    out = g.flows.filter((pl.col("src") == account) & (pl.col("hop") > 0) & leave)
    return into.height > 0 and int(out["pence"].sum()) * 2 >= int(into["pence"].sum())


def _ids(codes: list[str]) -> list[dict[str, str]]:
    return [{"kind": c.split(":", 1)[0], "value": c.split(":", 1)[1]} for c in codes]


def _controller_role(
    ctx: _Context,
    fee_payers: dict[str, pl.DataFrame],
    account: str,
    network: str,
    forwards: pl.DataFrame,
) -> Role:
    """Owner of a control device, or a payer of mules' cuts: the herder. An account only
    worked from someone else's device for a while is a mule operated by the herder."""
    g = ctx.graph
    owned = ctx.owners.get(account, [])
    fees = fee_payers.get(account)
    pays_mules = (
        fees is not None
        and fees.filter(pl.col("dst").is_in(sorted(ctx.tier1))).height * 2 >= fees.height
    )
    if owned or (fees is not None and (account not in ctx.controlled or pays_mules)):
        parts, txns, accounts = [], [], []
        if owned:
            parts.append(
                "uses device(s) throughout their life that are also used, for shorter spells, "
                "to log in to other people's mule accounts"
            )
        if fees is not None:
            parts.append(f"paid {fees['dst'].n_unique()} mule accounts {fees.height} payment(s)")
            txns, accounts = fees["txn_id"].to_list(), fees["dst"].to_list()
        confidence = 0.9 if owned and fees is not None else 0.75 if owned else 0.6
        evidence = _evidence("; ".join(parts), txns, _ids(owned), accounts)
        return Role(network, account, "account", "herder", confidence, evidence)
    kept = _keeps_members_money(ctx, account, network, forwards)
    if kept is not None:
        return kept
    worked = ctx.controlled.get(account, [])
    pays = g.member_payments.filter(pl.col("src") == account)
    text = (
        "logged in to from another person's device(s) only for a spell, as herders work "
        "mule accounts"
    )
    if pays.height:
        text += f"; paid {_pounds(int(pays['pence'].sum()))} to {pays['dst'].n_unique()} member(s)"
    evidence = _evidence(text, pays["txn_id"].to_list(), _ids(worked), pays["dst"].to_list())
    return Role(network, account, "account", "mule_tier1", 0.6, evidence)


def _keeps_members_money(
    ctx: _Context, account: str, network: str, forwards: pl.DataFrame
) -> Role | None:
    """A herder, not a mule, when an account worked from the ring's device receives tainted
    money from collectors (members that cash out) and passes none of it on: a mule operated
    from that device forwards its victims' money or cashes it out. (Paid by any member, not
    only collectors, tier-1 mules paid a little by another mule came in: on 16 development
    seeds herder precision fell from 0.98 to 0.93 on average.)"""
    g = ctx.graph
    into = g.flows.filter((pl.col("dst") == account) & pl.col("src").is_in(sorted(g.members)))
    collectors = sorted(a for a in set(into["src"].to_list()) if _cashes_out(ctx, a))
    into = into.filter(pl.col("src").is_in(collectors))
    if into.is_empty() or not forwards.is_empty():
        return None
    if not ctx.exits.filter(pl.col("src") == account).is_empty():
        return None
    text = (
        f"receives {_pounds(int(into['pence'].sum()))} of tainted money from "
        f"{into['src'].n_unique()} collector account(s) and passes none of it on, and is "
        "logged in to from the ring's device(s): where the cut ends up"
    )
    worked = ctx.controlled.get(account, [])
    evidence = _evidence(text, into["txn_id"].to_list(), _ids(worked), into["src"].to_list())
    return Role(network, account, "account", "herder", 0.6, evidence)


def _relay_role(ctx: _Context, account: str, network: str, forwards: pl.DataFrame) -> Role:
    g = ctx.graph
    into = g.flows.filter((pl.col("dst") == account) & pl.col("src").is_in(sorted(g.members)))
    exits = ctx.exits.filter(pl.col("src") == account)
    onward = int(forwards["pence"].sum())
    left = int(exits["pence"].sum())
    payers = into["src"].n_unique()
    txns = into["txn_id"].to_list() + forwards["txn_id"].to_list() + exits["txn_id"].to_list()
    if left >= onward:
        text = (
            f"money from {payers} member account(s) ({_pounds(int(into['pence'].sum()))}) "
            f"converges here; {_pounds(left)} left by cash, crypto, abroad or via a hub"
        )
        return Role(
            network,
            account,
            "account",
            "collector",
            0.75,
            _evidence(text, txns, accounts=into["src"].to_list()),
        )
    text = (
        f"received tainted money from {payers} member account(s) and passed "
        f"{_pounds(onward)} on to {forwards['dst'].n_unique()} other member(s)"
    )
    return Role(
        network,
        account,
        "account",
        "mule_tier2plus",
        0.7,
        _evidence(text, txns, accounts=forwards["dst"].to_list()),
    )


def party_and_device_roles(graph: NetworkGraph, accounts: list[Role]) -> list[Role]:
    """Victim parties, herder parties (holders of herder accounts) and control devices."""
    roles: list[Role] = []
    holder = dict(zip(graph.holders["account"], graph.holders["party"], strict=True))
    for role in accounts:
        if role.role == "herder" and holder.get(role.subject):
            held = json.loads(role.evidence)
            text = f"holds account {role.subject}: {held['summary']}"
            evidence = _evidence(text, held["transactions"], held["identifiers"], [role.subject])
            party = str(holder[role.subject])
            roles.append(Role(role.network_id, party, "party", "herder", role.confidence, evidence))
            roles.extend(_kin_roles(graph, role.network_id, party))
    roles.extend(_device_roles(graph))
    roles.extend(_victim_roles(graph))
    unique = {(r.network_id, r.subject, r.role): r for r in roles}
    return list(unique.values())


def _kin_roles(graph: NetworkGraph, network: str, party: str) -> list[Role]:
    """The herder's other party records (same person: resolved entity, or same date of birth
    and a shared email or phone)."""
    links = graph.kin.filter(pl.col("party") == party) if graph.kin.height else graph.kin
    roles = []
    for other, rows in links.group_by("other", maintain_order=True):
        shared = [{"kind": str(k), "value": str(v)} for k, v in rows.select("kind", "value").rows()]
        text = f"same person as herder party {party} ({', '.join(s['kind'] for s in shared)})"
        evidence = _evidence(text, identifiers=shared)
        roles.append(Role(network, str(other[0]), "party", "herder", 0.7, evidence))
    return roles


def _device_roles(graph: NetworkGraph) -> list[Role]:
    used = graph.identifiers.join(graph.control.select("kind", "value"), on=["kind", "value"])
    used = used.filter(pl.col("account").is_in(sorted(graph.members)))
    roles = []
    for (kind, value), rows in used.group_by("kind", "value", maintain_order=True):
        accounts = sorted(rows["account"].to_list())
        network = graph.group.get(accounts[0])
        if network is None:
            continue
        text = f"{kind} used to log in to {len(accounts)} member accounts of different people"
        subject_kind = "device" if kind == "device" else "ip"
        roles.append(
            Role(
                network,
                str(value),
                subject_kind,
                "herder",
                0.8,
                _evidence(
                    text, identifiers=[{"kind": str(kind), "value": str(value)}], accounts=accounts
                ),
            )
        )
    return roles


def _victim_roles(graph: NetworkGraph) -> list[Role]:
    roles = []
    paid = graph.reports.with_columns(
        pl.col("dst").replace_strict(graph.group, default=None).alias("network")
    ).drop_nulls("network")
    for (network, party), rows in paid.group_by("network", "victim_party_id", maintain_order=True):
        text = (
            f"reported {rows.height} payment(s) totalling {_pounds(int(rows['pence'].sum()))} "
            f"to {rows['dst'].n_unique()} member account(s)"
        )
        roles.append(
            Role(
                str(network),
                str(party),
                "party",
                "victim",
                0.9,
                _evidence(text, rows["txn_id"].to_list(), accounts=rows["dst"].to_list()),
            )
        )
    return roles
