"""Derived tables written by mule detection (`fraudnet detect`, see docs/detection.md)."""

from __future__ import annotations

from fraudnet.schema.model import DATE, INTEGER, REAL, TEXT, TIMESTAMP, Column, Table

_ACCOUNT = Column("account_id", TEXT, "The account scored (accounts.account_id).", required=True)
_AS_OF = Column(
    "as_of", TIMESTAMP, "Cut-off: only transactions and records up to this instant were used, UTC."
)
_REASONS = Column(
    "reasons",
    TEXT,
    "The strongest signals behind the score, in plain words with their values, separated by "
    "'; ' (most important first).",
)

TABULAR_FEATURES: tuple[tuple[str, str], ...] = (
    ("in_n", "payments received"),
    ("out_n", "payments sent"),
    ("in_n_7d", "payments received in the last 7 days"),
    ("out_n_7d", "payments sent in the last 7 days"),
    ("in_n_30d", "payments received in the last 30 days"),
    ("out_n_30d", "payments sent in the last 30 days"),
    ("in_sum", "money received"),
    ("out_sum", "money sent"),
    ("in_sum_7d", "money received in the last 7 days"),
    ("out_sum_7d", "money sent in the last 7 days"),
    ("in_sum_30d", "money received in the last 30 days"),
    ("out_sum_30d", "money sent in the last 30 days"),
    ("in_cp", "distinct senders"),
    ("out_cp", "distinct payees"),
    ("new_in_cp_30d", "senders first seen in the last 30 days"),
    ("new_out_cp_30d", "payees first seen in the last 30 days"),
    ("in_top_share", "share of money received from the largest sender"),
    ("pass_through", "money sent as a share of money received (capped at 1)"),
    ("fast_out_share_1h", "share of money received that was paid out again within 1 hour"),
    ("fast_out_share_24h", "share of money received that was paid out again within 24 hours"),
    ("fast_out_share_7d", "share of money received that was paid out again within 7 days"),
    ("dwell_hours", "average hours from a credit to the next debit"),
    ("quiet_days_before_recent", "longest quiet spell (days) ending in the last 30 days"),
    ("active_days", "days with any payment"),
    ("span_days", "days since the first payment"),
    ("account_age_days", "account age in days"),
    ("age_at_first_large_credit_days", "account age (days) at its first large credit"),
    ("holder_age_years", "holder age in years"),
    ("out_cash_share", "share of money sent out as cash"),
    ("out_crypto_share", "share of money sent to crypto"),
    ("out_intl_share", "share of money sent by international wire"),
    ("out_exit_share", "share of money sent out by cash, crypto or international wire"),
    ("in_cash_share", "share of money received as cash deposits"),
    ("round_in_share", "share of credits in round hundreds"),
    ("round_out_share", "share of debits in round hundreds"),
    ("mean_in_amount", "average credit"),
    ("mean_out_amount", "average debit"),
    ("out_in_amount_ratio", "average debit over average credit"),
    ("own_transfer_share", "share of payments between the holder's own accounts"),
    ("reported_in_n", "credits reported as fraud by the payer"),
    ("reported_in_sum", "money received in payments reported as fraud"),
    ("device_shared_max", "most accounts seen on one of this account's devices"),
    ("ip_shared_max", "most accounts seen on one of this account's IP addresses"),
    ("phone_shared_max", "most holders sharing one of the holder's phone numbers"),
    ("address_shared_max", "most holders sharing the holder's address"),
    ("shared_flagged_by", "organisations whose shared intelligence flags this account"),
    ("shared_flagged_cp_n", "counterparties flagged in other organisations' shared intelligence"),
)
"""Per-account features computed in SQL (engine-neutral), as (name, plain-words meaning)."""

GRAPH_FEATURES: tuple[tuple[str, str], ...] = (
    ("pagerank", "PageRank on money flow (x N: 1 = average)"),
    ("pagerank_reverse", "PageRank against the money flow (x N: 1 = average)"),
    ("fan_in_2hop", "distinct accounts two hops upstream"),
    ("fan_out_2hop", "distinct accounts two hops downstream"),
    ("reciprocal_cp", "counterparties paid and paid by"),
    ("cycle_3", "3-step payment cycles through the account"),
    ("cycle_4", "4-step payment cycles through the account"),
    ("scatter_gather_out", "most parallel two-step paths from this account to one account"),
    ("scatter_gather_in", "most parallel two-step paths into this account from one account"),
    ("gather_scatter", "senders x payees of a relay (in-degree x out-degree, capped)"),
    ("reported_proximity", "closeness downstream of a reported fraud payee (1 = is one)"),
)
"""Features from the money-flow graph (igraph and sparse matrices on fetched edge arrays)."""

_BURSTS: tuple[tuple[str, str], ...] = (
    ("new_sender_burst_max", "most first-time senders within 3 days of one credit"),
    ("new_payee_burst_max", "most first-time payees within 3 days of one debit"),
    (
        "paid_into_burst_max",
        "most first-time senders a payee had within 3 days of this account's first payment",
    ),
    (
        "received_from_burst_max",
        "most first-time payees a sender had within 3 days of its first payment here",
    ),
)

MOTIF_FEATURES: tuple[tuple[str, str], ...] = (
    *_BURSTS,
    ("one_off_transfer_share", "share of transfers with a counterparty paid or paid by once"),
    ("new_relays", "payments to a new payee within 3 days of a credit from a new sender"),
    ("new_relay_share", "share of payments to new payees that relayed a new sender's money"),
    ("margin_forwards", "payments of 80-100% of a credit received in the 3 days before"),
    ("margin_forward_share", "share of payments that forwarded 80-100% of a recent credit"),
    ("amount_mode_share", "share of transfers for the account's most frequent amount"),
    ("amount_distinct_share", "distinct amounts as a share of transfers"),
    ("max_in_amount", "largest transfer received"),
    ("max_out_amount", "largest transfer sent"),
    ("amount_cv", "spread of transfer amounts (coefficient of variation)"),
    (
        "temporal_cycles",
        "time-ordered cycles of first-time transfers within 10 days through the account",
    ),
    ("temporal_cycle_shortest", "payments in the shortest such cycle (0 = none)"),
    ("tie_squares_max", "most four-cycles of short-lived ties through the account in one window"),
    ("tie_triangles_max", "most triangles of short-lived ties through the account in one window"),
    ("tie_fan_max", "most short-lived ties of the account in one window (a fan's hub)"),
    (
        "tie_spoke_max",
        "most short-lived ties of a non-hub account it met in one window (a fan's spoke)",
    ),
    ("one_off_in_burst", "most senders paying the account once (and never again) in 3 days"),
    ("one_off_out_burst", "most payees the account paid once (and never again) in 3 days"),
    (
        "one_off_fan_surprise",
        "how unusual the account's busiest 3 days of one-off counterparties are for it (-log10 p)",
    ),
    (
        "one_off_spoke_surprise",
        "the same surprise at a counterparty it paid or was paid by once, in that burst",
    ),
    ("one_off_cycles", "time-ordered cycles of one-off payments, hops within 3 days"),
    ("one_off_cycles_wide", "time-ordered cycles of one-off payments, hops within 7 days"),
    *(
        (f"{name}_{days}d", words.replace("3 days", f"{days} day" + "s" * (days > 1)))
        for days in (1, 7)
        for name, words in _BURSTS
    ),
)
"""Transfer-level temporal motifs per account (fraudnet/detect/motifs.py)."""

NEIGHBOURHOOD_BASE = (
    "pass_through",
    "fast_out_share_24h",
    "fast_out_share_7d",
    "in_cp",
    "out_cp",
    "out_exit_share",
    "new_in_cp_30d",
    "dwell_hours",
    "rules_total",
    "new_relay_share",
    "margin_forward_share",
)
NEIGHBOURHOOD_AGGREGATES: tuple[tuple[str, str], ...] = (
    ("nb_in_mean", "average over senders of"),
    ("nb_in_max", "highest among senders of"),
    ("nb_out_mean", "average over payees of"),
    ("nb_out_max", "highest among payees of"),
    ("nb2_in_mean", "average two hops upstream of"),
    ("nb2_out_mean", "average two hops downstream of"),
)

REPORT_FEATURES = ("reported_in_n", "reported_in_sum", "reported_proximity")
"""The features computed from fraud_reports: directly, or from reported payees in the graph."""

RULE_FEATURES: tuple[tuple[str, str], ...] = (
    ("rules_total", "sum of typology rule strengths"),
    ("rules_fired", "typology rules fired"),
)


def _neighbourhood() -> tuple[tuple[str, str], ...]:
    meaning = dict(TABULAR_FEATURES + MOTIF_FEATURES + RULE_FEATURES)
    return tuple(
        (f"{agg}_{base}", f"{words} {meaning[base]}")
        for base in NEIGHBOURHOOD_BASE
        for agg, words in NEIGHBOURHOOD_AGGREGATES
    )


NEIGHBOURHOOD_FEATURES = _neighbourhood()
"""Aggregates of counterparties' own features along and against the flow, up to two hops."""

ALL_FEATURES = (
    TABULAR_FEATURES + MOTIF_FEATURES + GRAPH_FEATURES + RULE_FEATURES + NEIGHBOURHOOD_FEATURES
)
FEATURE_MEANINGS = dict(ALL_FEATURES)

ACCOUNT_FEATURES = Table(
    name="account_features",
    description="Per-account features as of a cut-off, one wide row per account (tabular, "
    "graph, rule and neighbourhood families; see docs/detection.md).",
    key=("account_id", "as_of"),
    columns=(
        _ACCOUNT,
        _AS_OF,
        *(Column(name, REAL, meaning.capitalize() + ".") for name, meaning in ALL_FEATURES),
    ),
    derived=True,
    ingestible=False,
)

RULE_HITS = Table(
    name="rule_hits",
    description="Typology rules that fired on an account, with the transactions that prove it.",
    key=("account_id", "rule", "as_of"),
    columns=(
        _ACCOUNT,
        Column("rule", TEXT, "Registered rule name (fraudnet.detect.rules).", required=True),
        Column("strength", REAL, "How strongly the rule fired, in (0, 1]."),
        Column(
            "evidence_txn_ids",
            TEXT,
            "Comma-separated transactions.txn_id that show the pattern (at most 25).",
        ),
        Column("explanation", TEXT, "The hit in plain words with the values that triggered it."),
        _AS_OF,
    ),
    derived=True,
    ingestible=False,
)

SCORES = Table(
    name="scores",
    description="One mule score per account, as of a cut-off, with the reasons behind it.",
    key=("account_id", "as_of", "model_version"),
    columns=(
        _ACCOUNT,
        Column("score", REAL, "Calibrated probability-like score in [0, 1].", required=True),
        Column("model_version", TEXT, "Which model produced it (kind, labels, settings hash)."),
        _REASONS,
        Column(
            "trained_on",
            INTEGER,
            "1 when this account's own label trained the model (its score is out-of-fold).",
        ),
        _AS_OF,
    ),
    derived=True,
    ingestible=False,
)

ALERTS = Table(
    name="alerts",
    description="The accounts an analyst team should review, within the alert budget, best first.",
    key=("account_id", "as_of"),
    columns=(
        _ACCOUNT,
        Column("rank", INTEGER, "1 = review first.", required=True),
        Column("score", REAL, "The account's score."),
        _REASONS,
        Column(
            "alert_day",
            DATE,
            "With a per-day budget: the day analysts would review it (empty for a total budget).",
        ),
        _AS_OF,
    ),
    derived=True,
    ingestible=False,
)
