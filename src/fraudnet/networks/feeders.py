"""Feeders: unreported tier-1 mules found from the relays and collectors they pay.

A tier-1 mule none of whose victims reported is reached by no taint, but it still passes its
victims' money on to the ring's relays and collectors. An account outside the networks that
pays `feeder_links` (2) or more relay or collector members of one network, each payment made
within `feeder_hours` (24) of receiving at least as much, and pays no other network's
members, joins that network as a leaf (after grouping, like an attached alert, so it can
never tie two rings). Measured on 16 development seeds (501-508, 601-608): such accounts
were 35 mules and no legitimate account; without the pass-through condition 15 legitimate
accounts came in too, and without the one-network condition 21 did (people who pay members
of several rings).
"""

from __future__ import annotations

import polars as pl

from fraudnet.engine import Engine
from fraudnet.networks.expand import MONEY_CHANNELS, ExpansionSettings


def _schema() -> dict[str, pl.DataType]:
    return {
        "feeder": pl.Utf8(),
        "member": pl.Utf8(),
        "txn_id": pl.Utf8(),
        "pence": pl.Int64(),
    }


def pass_through_payments(
    engine: Engine, relays: list[str], settings: ExpansionSettings
) -> pl.DataFrame:
    """Payments into `relays` made within `feeder_hours` after the payer received at least
    the same amount: feeder, member, txn_id, pence."""
    if not relays:
        return pl.DataFrame(schema=_schema())
    engine.temp_table(
        "nw_relays", pl.DataFrame({"account": relays}, schema={"account": pl.Utf8}).to_arrow()
    )
    channels = ", ".join(f"'{c}'" for c in MONEY_CHANNELS)
    sql = f"""
    SELECT DISTINCT p.src_account AS feeder, p.dst_account AS member, p.txn_id,
           CAST(ROUND(p.amount * 100) AS BIGINT) AS pence
    FROM transactions p JOIN nw_relays r ON p.dst_account = r.account
    JOIN transactions i ON i.dst_account = p.src_account
    WHERE p.src_account IS NOT NULL AND p.channel IN ({channels})
      AND i.ts < p.ts AND i.ts >= p.ts - INTERVAL {int(settings.feeder_hours)} HOUR
      AND i.amount >= p.amount
    """
    out = pl.from_arrow(engine.sql(sql))
    engine.drop_temp("nw_relays")
    assert isinstance(out, pl.DataFrame)
    return out.cast(_schema()).sort("feeder", "member", "txn_id")  # type: ignore[arg-type]


def feeder_links(
    engine: Engine,
    members: set[str],
    tier1: set[str],
    foreign: set[str],
    excluded: set[str],
    settings: ExpansionSettings,
) -> pl.DataFrame:
    """Pass-through payments of accounts outside `members` and `excluded` (hubs, victims) into
    relay and collector members, for payers with `feeder_links` or more such payees."""
    relays = sorted(members - tier1 - foreign)
    pays = pass_through_payments(engine, relays, settings)
    pays = pays.filter(~pl.col("feeder").is_in(sorted(members | excluded)))
    payees = pays.group_by("feeder").agg(pl.col("member").n_unique().alias("n"))
    keep = payees.filter(pl.col("n") >= settings.feeder_links)["feeder"].to_list()
    return pays.filter(pl.col("feeder").is_in(keep))


def attach_feeders(links: pl.DataFrame, group: dict[str, str], min_links: int) -> dict[str, str]:
    """feeder -> network, for feeders whose payees lie in one network only, `min_links` or
    more of them."""
    if not links.height:
        return {}
    grouped = links.with_columns(
        pl.col("member").replace_strict(group, default=None).alias("grp")
    ).drop_nulls("grp")
    per = grouped.group_by("feeder").agg(
        pl.col("grp").n_unique().alias("networks"),
        pl.col("grp").first().alias("grp"),
        pl.col("member").n_unique().alias("n"),
    )
    ok = per.filter((pl.col("networks") == 1) & (pl.col("n") >= min_links))
    return dict(zip(ok["feeder"].to_list(), ok["grp"].to_list(), strict=True))
