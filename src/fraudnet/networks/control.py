"""Control: identifiers and payers that tie several member accounts to one operator.

A device (or IP) used to log in to two or more member accounts held by different people is a
control identifier: whoever holds it operates those accounts. An account that pays
`min_payees` (`ExpansionSettings.fee_payees`, 3) or more member accounts outside the tainted
flows (a herder paying mules their cut) is a fee payer. Two were not enough: on development
seeds most false herders had paid exactly two mules (a victim paying a second mule whose
case went unreported, someone paying two friends who were mules).
"""

from __future__ import annotations

import polars as pl


def control_identifiers(
    identifiers: pl.DataFrame, members: set[str], person_of: dict[str, str]
) -> pl.DataFrame:
    """kind, value, member_accounts, people: identifiers shared by members of different people."""
    on_members = identifiers.filter(pl.col("account").is_in(sorted(members)))
    on_members = on_members.with_columns(
        pl.col("account").replace_strict(person_of, default=pl.col("account")).alias("person")
    )
    return (
        on_members.group_by("kind", "value")
        .agg(
            pl.col("account").n_unique().alias("member_accounts"),
            pl.col("person").n_unique().alias("people"),
        )
        .filter((pl.col("member_accounts") >= 2) & (pl.col("people") >= 2))
        .sort("kind", "value")
    )


def fee_payments(
    inflows: pl.DataFrame,
    members: set[str],
    tainted: set[str],
    victims: set[str],
    person_of: dict[str, str],
    min_payees: int = 2,
) -> pl.DataFrame:
    """Untainted payments into members from a payer that pays `min_payees` or more of them."""
    pays = inflows.filter(
        ~pl.col("txn_id").is_in(sorted(tainted)) & ~pl.col("src").is_in(sorted(victims))
    )
    pays = pays.with_columns(
        pl.col("src").replace_strict(person_of, default=pl.col("src")).alias("src_person"),
        pl.col("dst").replace_strict(person_of, default=pl.col("dst")).alias("dst_person"),
    ).filter(pl.col("src_person") != pl.col("dst_person"))
    payees = pays.group_by("src").agg(pl.col("dst").n_unique().alias("payees"))
    payers = payees.filter(pl.col("payees") >= min_payees)["src"].to_list()
    return pays.filter(pl.col("src").is_in(payers) & pl.col("dst").is_in(sorted(members)))


OWNER_SPAN_SHARE = 0.6
OWNER_PERIOD_SHARE = 0.5


def device_owners(used: pl.DataFrame, period: float = 0.0) -> dict[str, list[str]]:
    """Accounts seen on a control identifier for most of its life: its owner's accounts.

    Mule accounts appear on a herder's device only while they are being worked (days to
    weeks); the herder's own accounts use it all along. An account whose first-to-last
    sighting covers `OWNER_SPAN_SHARE` of the identifier's whole span, and
    `OWNER_PERIOD_SHARE` of the `period` (seconds) the data covers, is an owner; a burner
    device used only on mule accounts has no owner.
    """
    span = pl.col("last_seen") - pl.col("first_seen")
    whole = pl.col("last_seen").max().over("kind", "value") - pl.col("first_seen").min().over(
        "kind", "value"
    )
    seconds = span.dt.total_seconds()
    owned = used.filter(
        (span >= whole * OWNER_SPAN_SHARE) & (seconds >= period * OWNER_PERIOD_SHARE)
    )
    owners: dict[str, list[str]] = {}
    for row in owned.iter_rows(named=True):
        owners.setdefault(row["account"], []).append(f"{row['kind']}:{row['value']}")
    return owners
