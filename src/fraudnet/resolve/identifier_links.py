"""Parties that share a strong identifier are linked, never merged.

A device, IP, phone, email or address used by several parties is evidence of a connection
(a mule herder's phone on many accounts, a family at one address), not of identity: two
people on one device stay two entities. These links live in their own table so the graph
and detection stages can use them without them ever feeding the entity clustering.

Sources: the `identifiers` table (party-owned, and account-owned mapped to the account's
holder) and the parties' own normalised phone, email and address.
"""

from __future__ import annotations

import polars as pl

from fraudnet.engine import Engine

MAX_PARTIES_PER_IDENTIFIER = 200
"""An identifier shared more widely (a carrier-grade NAT IP) is not expanded into pairs."""


def party_identifiers(engine: Engine, prepared: pl.DataFrame) -> pl.DataFrame:
    """Distinct (party_id, kind, value) from `identifiers`, accounts' holders and `parties`."""
    owned = engine.sql(
        "SELECT i.owner AS party_id, i.kind, i.value FROM identifiers i "
        "WHERE i.owner_kind = 'party' OR i.owner_kind IS NULL "
        "UNION ALL "
        "SELECT a.holder_party_id AS party_id, i.kind, i.value FROM identifiers i "
        "JOIN accounts a ON i.owner = a.account_id "
        "WHERE i.owner_kind = 'account' AND a.holder_party_id IS NOT NULL"
    )
    stored = pl.from_arrow(owned)
    assert isinstance(stored, pl.DataFrame)
    address = pl.concat_str([pl.col("address"), pl.col("postcode")], separator=", ")
    own = [
        prepared.select("party_id", pl.lit("phone").alias("kind"), pl.col("phone").alias("value")),
        prepared.select("party_id", pl.lit("email").alias("kind"), pl.col("email").alias("value")),
        prepared.select("party_id", pl.lit("address").alias("kind"), address.alias("value")),
    ]
    stored = stored.select(pl.col(c).cast(pl.String) for c in ("party_id", "kind", "value"))
    frames = [stored.join(prepared.select("party_id"), on="party_id", how="semi")]
    frames += own
    return pl.concat(frames).drop_nulls().unique()


def identifier_links(
    identifiers: pl.DataFrame, max_parties: int = MAX_PARTIES_PER_IDENTIFIER
) -> tuple[pl.DataFrame, int]:
    """Pairs of parties sharing an identifier, and how many identifiers were too widely shared."""
    counted = identifiers.with_columns(pl.len().over("kind", "value").alias("n_parties"))
    shared = counted.filter((pl.col("n_parties") >= 2) & (pl.col("n_parties") <= max_parties))
    too_wide = counted.filter(pl.col("n_parties") > max_parties).select("kind", "value").unique()
    right = shared.select("kind", "value", pl.col("party_id").alias("party_id_r"))
    pairs = (
        shared.rename({"party_id": "party_id_l"})
        .join(right, on=["kind", "value"])
        .filter(pl.col("party_id_l") < pl.col("party_id_r"))
        .select("party_id_l", "party_id_r", "kind", "value", pl.col("n_parties").cast(pl.Int64))
        .sort("party_id_l", "party_id_r", "kind", "value")
    )
    return pairs, too_wide.height
