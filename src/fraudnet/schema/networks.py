"""Derived tables written by network building (`fraudnet networks`, see docs/networks.md)."""

from __future__ import annotations

from fraudnet.schema.model import INTEGER, MONEY, REAL, TEXT, TIMESTAMP, Column, Table

ROLES = ("victim", "mule_tier1", "mule_tier2plus", "collector", "herder")
SUBJECT_KINDS = ("account", "party", "device", "ip")

NETWORKS = Table(
    name="networks",
    description="One row per organised group found from alerts and reported fraud payments: "
    "its size, the victims it took money from, and a rank score (victim funds moved, then "
    "victims).",
    key=("network_id",),
    columns=(
        Column("network_id", TEXT, "Stable id of the network (NW- and a hash of members).", True),
        Column("rank", INTEGER, "1 = the network that moved most victim money."),
        Column("size", INTEGER, "Accounts in the network, victims excluded.", required=True),
        Column("victims", INTEGER, "Distinct victim parties who paid into the network."),
        Column("victim_funds", MONEY, "Money paid into the network by its victims."),
        Column("funds_out", MONEY, "Money that left the network by cash, crypto or abroad."),
        Column("herders", INTEGER, "Parties and devices given the herder role."),
        Column("first_activity", TIMESTAMP, "First payment inside the network, UTC."),
        Column("last_activity", TIMESTAMP, "Last payment inside the network, UTC."),
        Column("score", REAL, "Rank score: log10 of victim funds in pounds plus victims / 100."),
        Column(
            "seeded_from",
            TEXT,
            "What the network grew from: fraud_reports, alerts, named accounts.",
        ),
        Column("typology", TEXT, "Laundering shape of its payments: fan_in, fan_out, cycle, ..."),
        Column("typology_payments", TEXT, "JSON list of the txn ids that make the shape."),
        Column("as_of", TIMESTAMP, "When the networks were built, UTC."),
    ),
    derived=True,
    ingestible=False,
)

NETWORK_ROLES = Table(
    name="network_roles",
    description="Who plays which role in each network, with the evidence that justifies it: "
    "the transactions and identifiers, as JSON text.",
    key=("network_id", "subject", "role"),
    columns=(
        Column("network_id", TEXT, "The network (networks.network_id).", required=True),
        Column("subject", TEXT, "Account id, party id, device or IP.", required=True),
        Column("subject_kind", TEXT, "account, party, device or ip.", True, SUBJECT_KINDS),
        Column(
            "role", TEXT, "victim, mule_tier1, mule_tier2plus, collector or herder.", True, ROLES
        ),
        Column("confidence", REAL, "0 to 1: how strongly the evidence supports the role."),
        Column(
            "evidence",
            TEXT,
            "JSON object: 'summary' in plain words, 'transactions' (txn ids), 'identifiers' "
            "(kind and value) and 'accounts' that justify the role.",
        ),
    ),
    derived=True,
    ingestible=False,
)
