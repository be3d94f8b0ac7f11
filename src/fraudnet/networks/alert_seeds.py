"""Rings that start from detection's alerts, for rings none of whose victims reported.

An alert alone is a weak seed: a false alert's economic neighbourhood (employer, landlord,
shops) would join a network. So alerts seed only in clusters: alerted accounts (outside the
networks the reports found, personal, not hubs) tied to each other by paying the same account
(a collector where their money converges, itself not a hub, fed mainly by them) or by a
control device (one device logging in to alerted accounts of different people); a payment
from one alerted account to another is no tie (friends pay each other). A cluster
with `min_alert_ring` or more alerted accounts seeds a ring; lone alerts and pairs only
attach to networks their payments touch (`corroborated_alerts`). Only the `seed_alerts` best
alerts seed: chance ties among false alerts grow with their number (with 500 alerts, three
quarters legitimate, shared payees tied strangers into "rings"), true ties do not.
"""

from __future__ import annotations

import polars as pl

from fraudnet.engine import Engine
from fraudnet.networks.control import control_identifiers
from fraudnet.networks.expand import (
    MONEY_CHANNELS,
    ExpansionSettings,
    account_identifiers,
    holders,
    payer_counts,
)

TIES_SCHEMA: dict[str, pl.DataType] = {
    "alerted": pl.Utf8(),
    "via": pl.Utf8(),
    "kind": pl.Utf8(),
    "txn_id": pl.Utf8(),
}
PAID_SCHEMA: dict[str, pl.DataType] = {**TIES_SCHEMA, "pence": pl.Int64()}


def _frame(name: str, values: list[str]) -> pl.DataFrame:
    return pl.DataFrame({name: sorted(values)}, schema={name: pl.Utf8})


def _seedable(engine: Engine, accounts: list[str], most_counterparties: int) -> list[str]:
    """Personal (or unknown-kind) accounts with at most `most_counterparties` distinct
    accounts they paid or were paid by: businesses trade with each other (dense webs of
    invoices that detection may flag), and hubs tie everyone together."""
    engine.temp_table("nw_cand", _frame("account", accounts).to_arrow())
    sql = f"""
    WITH sides AS (
        SELECT c.account, t.dst_account AS other
        FROM nw_cand c JOIN transactions t ON t.src_account = c.account
        UNION
        SELECT c.account, t.src_account AS other
        FROM nw_cand c JOIN transactions t ON t.dst_account = c.account
    ), sizes AS (
        SELECT account, COUNT(DISTINCT other) AS n FROM sides GROUP BY account
    )
    SELECT c.account
    FROM nw_cand c JOIN accounts a ON a.account_id = c.account
    LEFT JOIN sizes s ON s.account = c.account
    WHERE COALESCE(a.kind, 'personal') <> 'business'
      AND COALESCE(s.n, 0) <= {int(most_counterparties)}
    ORDER BY c.account
    """
    kept = [str(a) for a in engine.sql(sql).column("account").to_pylist()]
    engine.drop_temp("nw_cand")
    return kept


def _payment_ties(engine: Engine, candidates: list[str]) -> pl.DataFrame:
    """alerted, via (the payee), kind, txn_id, pence for every payment out of a candidate."""
    engine.temp_table("nw_cand", _frame("account", candidates).to_arrow())
    channels = ", ".join(f"'{c}'" for c in MONEY_CHANNELS)
    sql = f"""
    SELECT t.src_account AS alerted, t.dst_account AS via, 'payment' AS kind, t.txn_id,
           CAST(ROUND(t.amount * 100) AS BIGINT) AS pence
    FROM transactions t JOIN nw_cand c ON t.src_account = c.account
    WHERE t.dst_account IS NOT NULL AND t.channel IN ({channels})
    """
    out = pl.from_arrow(engine.sql(sql))
    engine.drop_temp("nw_cand")
    assert isinstance(out, pl.DataFrame)
    return out.cast(PAID_SCHEMA)  # type: ignore[arg-type]


def _received_pence(engine: Engine, accounts: list[str]) -> dict[str, int]:
    """Everything each of `accounts` received, in pence."""
    engine.temp_table("nw_cand", _frame("account", accounts).to_arrow())
    sql = """
    SELECT t.dst_account AS account, CAST(SUM(ROUND(t.amount * 100)) AS BIGINT) AS pence
    FROM transactions t JOIN nw_cand c ON t.dst_account = c.account
    GROUP BY t.dst_account
    """
    table = engine.sql(sql)
    engine.drop_temp("nw_cand")
    accounts_in = table.column("account").to_pylist()
    return dict(zip(accounts_in, table.column("pence").to_pylist(), strict=True))


def _shared_payees(engine: Engine, paid: pl.DataFrame, settings: ExpansionSettings) -> pl.DataFrame:
    """Payments to a payee that two or more candidates pay, that is not a hub, and that gets
    `seed_payee_share` or more of all it receives from them (a collector or a tier-2 mule;
    not a landlord or a club they happen to share). A payment from one alerted account to
    another alone is no tie: friends pay each other, and victims pay mules."""
    payers = paid.group_by("via").agg(
        pl.col("alerted").n_unique().alias("n"), pl.col("pence").sum().alias("pence")
    )
    payers = payers.filter(pl.col("n") >= 2)
    common = sorted(payers["via"].to_list())
    counts = payer_counts(engine, common)
    received = _received_pence(engine, common)
    strong = [
        via
        for via, pence in zip(payers["via"].to_list(), payers["pence"].to_list(), strict=True)
        if counts.get(via, 0) <= settings.hub_payers
        and pence >= settings.seed_payee_share * received.get(via, 0)
    ]
    shared = paid.filter(pl.col("via").is_in(sorted(strong)))
    shared = shared.with_columns(pl.lit("common payee").alias("kind"))
    return shared.drop("pence").cast(TIES_SCHEMA)  # type: ignore[arg-type]


def _device_ties(
    engine: Engine, candidates: list[str], settings: ExpansionSettings
) -> pl.DataFrame:
    """alerted, via (device), kind: devices logging in to candidates of different people."""
    ids = account_identifiers(engine, candidates, settings)
    ids = ids.filter(pl.col("kind").is_in(list(settings.control_kinds)))
    held = holders(engine, candidates)
    person = dict(zip(held["account"].to_list(), held["person"].to_list(), strict=True))
    control = control_identifiers(ids, set(candidates), person)
    used = ids.join(control.select("kind", "value"), on=["kind", "value"])
    used = used.filter(pl.col("account").is_in(candidates))
    return used.select(
        pl.col("account").alias("alerted"),
        (pl.col("kind") + ":" + pl.col("value")).alias("via"),
        pl.lit("control device").alias("kind"),
        pl.lit(None, pl.Utf8).alias("txn_id"),
    ).cast(TIES_SCHEMA)  # type: ignore[arg-type]


def _clusters(ties: pl.DataFrame) -> dict[str, str]:
    """alerted account -> cluster label (smallest alerted account), joining through `via`
    (a common payee, or a device)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for alerted, via in ties.select("alerted", "via").unique().sort("alerted", "via").rows():
        a, b = find(alerted), find(via)
        parent[max(a, b)] = min(a, b)
    members: dict[str, list[str]] = {}
    for alerted in ties["alerted"].unique().to_list():
        members.setdefault(find(alerted), []).append(alerted)
    return {a: min(group) for group in members.values() for a in group}


def alert_clusters(
    engine: Engine,
    alerted: list[str],
    members: set[str],
    hubs: set[str],
    settings: ExpansionSettings,
) -> pl.DataFrame:
    """Ties of alerted accounts in clusters of `min_alert_ring` or more: alerted, via, kind,
    txn_id, cluster. A payee or device tie names the payee or device in `via`."""
    schema = {**TIES_SCHEMA, "cluster": pl.Utf8()}
    candidates = sorted(set(alerted[: settings.seed_alerts]) - members - hubs)
    if settings.min_alert_ring <= 0 or len(candidates) < settings.min_alert_ring:
        return pl.DataFrame(schema=schema)
    candidates = _seedable(engine, candidates, settings.hub_counterparties)
    paid = _payment_ties(engine, candidates)
    ties = pl.concat(
        [_shared_payees(engine, paid, settings), _device_ties(engine, candidates, settings)]
    )
    cluster = _clusters(ties)
    ties = ties.with_columns(pl.col("alerted").replace_strict(cluster).alias("cluster"))
    size = ties.group_by("cluster").agg(pl.col("alerted").n_unique().alias("n"))
    keep = size.filter(pl.col("n") >= settings.min_alert_ring)["cluster"].to_list()
    out = ties.filter(pl.col("cluster").is_in(keep))
    return out.sort("cluster", "alerted", "kind", "via", "txn_id").cast(schema)  # type: ignore[arg-type]
