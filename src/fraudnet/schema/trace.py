"""Derived tables written by fund tracing (`fraudnet trace`, see docs/tracing.md)."""

from __future__ import annotations

from fraudnet.schema.model import BOOLEAN, MONEY, TEXT, TIMESTAMP, Column, Table

_REPORT = Column("report_id", TEXT, "The fraud report traced (fraud_reports.report_id).", True)
_RULE = Column(
    "rule", TEXT, "Tracing rule: fifo, lifo, pro_rata, hallett or poison.", required=True
)
_UPPER = Column(
    "upper_bound",
    BOOLEAN,
    "True for the poison rule: an upper bound that overlaps between victims; never sum it.",
)
_AS_OF = Column("as_of", TIMESTAMP, "Ledger cut-off the trace was computed at, UTC.")

TRACES = Table(
    name="traces",
    description="Where each reported loss is under each tracing rule: held in an account, "
    "exited the banking system, or unexplained by the ledger. Rows per (report, rule) add "
    "up to the reported amount for every rule but poison.",
    key=("report_id", "rule", "kind", "account_id", "exit_channel", "destination"),
    columns=(
        _REPORT,
        _RULE,
        Column("victim_party_id", TEXT, "The victim who made the report."),
        Column(
            "kind",
            TEXT,
            "held (in the account at as_of), exited (left by cash, crypto, international "
            "wire or payment to an account outside the data) or unexplained.",
            required=True,
            enum=("held", "exited", "unexplained"),
        ),
        Column(
            "account_id",
            TEXT,
            "held: the account holding it; exited: the account it left from; "
            "unexplained: the victim's payee, empty if the payment is missing.",
        ),
        Column("institution", TEXT, "Institution of account_id, where known."),
        Column("jurisdiction", TEXT, "Jurisdiction of account_id, where known."),
        Column("amount", MONEY, "Traced amount of this report's money.", required=True),
        Column("exit_channel", TEXT, "exited: the payment channel it left by."),
        Column("destination", TEXT, "exited: the payee account or wallet, where known."),
        _UPPER,
        _AS_OF,
    ),
    derived=True,
    ingestible=False,
)

TRACE_FLOWS = Table(
    name="trace_flows",
    description="Each payment that carried a reported loss, with the tainted part, so the "
    "paths can be drawn (one row per report, rule and payment).",
    key=("report_id", "rule", "txn_id"),
    columns=(
        _REPORT,
        _RULE,
        Column("txn_id", TEXT, "The payment (transactions.txn_id).", required=True),
        Column("ts", TIMESTAMP, "When it was made, UTC."),
        Column("src_account", TEXT, "Paying account."),
        Column("dst_account", TEXT, "Receiving account; empty for cash."),
        Column("channel", TEXT, "Payment channel."),
        Column("amount", MONEY, "The part of the payment that was this report's money.", True),
        _UPPER,
        _AS_OF,
    ),
    derived=True,
    ingestible=False,
)
