"""Tables written by sharing between organisations (`fraudnet share`, see docs/sharing.md)."""

from __future__ import annotations

from fraudnet.schema.model import INTEGER, MONEY, TEXT, TIMESTAMP, Column, Table

COUNTERPARTY_ACCOUNTS = Table(
    name="counterparty_accounts",
    description="Accounts at other institutions that this organisation's customers paid or "
    "were paid by: the account number and institution only, never the holder.",
    key=("account_id",),
    columns=(
        Column("account_id", TEXT, "The other side's account id as the payment carried it.", True),
        Column("institution", TEXT, "Institution holding that account, from the payment."),
        Column("jurisdiction", TEXT, "ISO 3166 alpha-2 country of that institution."),
        Column("source", TEXT, "Where the row came from: a split world or a payment feed."),
    ),
    derived=True,
    ingestible=False,
)

SHARED_INTEL = Table(
    name="shared_intel",
    description="Intelligence received from other organisations in signed packages, one row "
    "per claim, kept apart from this organisation's own records with its provenance and "
    "3x5x2 grading.",
    key=("package_id", "item"),
    columns=(
        Column("package_id", TEXT, "Id of the signed package the claim came in.", True),
        Column("item", INTEGER, "Position of the claim inside the package.", True),
        Column("sender", TEXT, "Organisation that signed the package.", True),
        Column("package_kind", TEXT, "network or freeze.", True),
        Column(
            "claim",
            TEXT,
            "What is claimed: a network role, identifier_shared, held_funds or funds_sent.",
            True,
        ),
        Column("subject_kind", TEXT, "account, party, device, ip, phone or email."),
        Column("subject_token", TEXT, "Keyed token of the subject for this sender and recipient."),
        Column(
            "subject_account",
            TEXT,
            "The account this store knows the token as (own or counterparty); empty if none.",
        ),
        Column("institution", TEXT, "Institution holding the subject account, where stated."),
        Column("amount", MONEY, "held_funds and funds_sent: the amount claimed."),
        Column("network_ref", TEXT, "The sender's network id the claim belongs to."),
        Column("evidence", TEXT, "JSON: transaction references and the sender's summary."),
        Column("source_evaluation", TEXT, "3x5x2 source evaluation: 1, 2 or 3.", True),
        Column("intelligence_assessment", TEXT, "3x5x2 assessment: A to E.", True),
        Column("handling_code", TEXT, "3x5x2 handling code: P or C.", True),
        Column("handling_conditions", TEXT, "Conditions that come with handling code C."),
        Column("created_at", TIMESTAMP, "When the sender built the package, UTC."),
        Column("expires_at", TIMESTAMP, "After this the package is refused, UTC."),
        Column("received_at", TIMESTAMP, "When this store accepted it, UTC."),
        Column("signer_key", TEXT, "Fingerprint of the sender's signing key that verified it."),
    ),
    derived=True,
    ingestible=False,
)
