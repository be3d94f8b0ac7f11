"""The canonical tables every stage reads and writes (see docs/data-model.md)."""

from __future__ import annotations

from fraudnet.schema import enums
from fraudnet.schema.model import (
    BIRTH_DATES,
    DATE,
    INTEGER,
    MONEY,
    PAYMENT_DATES,
    TEXT,
    TIMESTAMP,
    Column,
    Table,
)

SOURCE = Column(
    "source", TEXT, "Where the row came from: a file name, a simulator run or a system."
)

TRANSACTIONS = Table(
    name="transactions",
    description="Every payment between accounts, and cash or crypto movements in and out.",
    key=("txn_id",),
    columns=(
        Column("txn_id", TEXT, "Unique payment id as given by the source.", required=True),
        Column(
            "ts",
            TIMESTAMP,
            "When the payment was made, UTC.",
            required=True,
            plausible=PAYMENT_DATES,
        ),
        Column("amount", MONEY, "Amount in `currency`, positive.", required=True),
        Column("currency", TEXT, "ISO 4217 code.", required=True, enum=enums.CURRENCIES),
        Column(
            "src_account",
            TEXT,
            "Paying account id; empty for cash paid in (`cash_in`).",
        ),
        Column(
            "dst_account",
            TEXT,
            "Receiving account id; empty for cash withdrawn (`cash_out`) or an unknown payee.",
        ),
        Column(
            "channel",
            TEXT,
            "Payment rail; cash_out, crypto and intl_wire can leave the system.",
            required=True,
            enum=enums.CHANNELS,
        ),
        Column("reference", TEXT, "Payment reference as typed by the payer."),
        SOURCE,
    ),
)

ACCOUNTS = Table(
    name="accounts",
    description="Bank accounts, with the institution and jurisdiction that can freeze them.",
    key=("account_id",),
    columns=(
        Column(
            "account_id",
            TEXT,
            "Normalised id: IBAN without spaces, GB-<sortcode>-<number>, or source-prefixed.",
            required=True,
        ),
        Column("institution", TEXT, "BIC or bank name holding the account."),
        Column("jurisdiction", TEXT, "ISO 3166 alpha-2 country of the institution."),
        Column("opened_at", TIMESTAMP, "When the account was opened, UTC."),
        Column("closed_at", TIMESTAMP, "When the account was closed, UTC; empty while open."),
        Column("holder_party_id", TEXT, "The party holding the account (parties.party_id)."),
        Column("kind", TEXT, "personal or business.", enum=enums.ACCOUNT_KINDS),
        Column("currency", TEXT, "Account currency, ISO 4217.", enum=enums.CURRENCIES),
        Column("opening_balance", MONEY, "Balance when our records begin."),
        SOURCE,
    ),
)

PARTIES = Table(
    name="parties",
    description="People and organisations as each source describes them (before resolution).",
    key=("party_id",),
    columns=(
        Column("party_id", TEXT, "Party id as given by the source.", required=True),
        Column("kind", TEXT, "person or org.", enum=enums.PARTY_KINDS),
        Column("name", TEXT, "Full name as written."),
        Column("given_name", TEXT, "Given name(s)."),
        Column("family_name", TEXT, "Family name."),
        Column("dob", DATE, "Date of birth (persons).", plausible=BIRTH_DATES),
        Column("gender", TEXT, "Gender as recorded by the source."),
        Column("address", TEXT, "Street address."),
        Column("postcode", TEXT, "Postal code."),
        Column("city", TEXT, "Town or city."),
        Column("country", TEXT, "ISO 3166 alpha-2 country of residence."),
        Column("nationality", TEXT, "ISO 3166 alpha-2 nationality."),
        Column("phone", TEXT, "Phone number as given."),
        Column("email", TEXT, "Email address as given."),
        SOURCE,
    ),
)

IDENTIFIERS = Table(
    name="identifiers",
    description="Links from a party or account to a normalised phone, email, device, IP, "
    "address, document or card. Shared identifiers are links, never merges.",
    key=("owner", "kind", "value"),
    columns=(
        Column("owner", TEXT, "party_id or account_id that uses the identifier.", required=True),
        Column("owner_kind", TEXT, "party or account.", enum=enums.OWNER_KINDS),
        Column("kind", TEXT, "Identifier kind.", required=True, enum=enums.IDENTIFIER_KINDS),
        Column("value", TEXT, "Normalised identifier value.", required=True),
        Column("first_seen", TIMESTAMP, "First time seen in use, UTC."),
        Column("last_seen", TIMESTAMP, "Last time seen in use, UTC."),
        SOURCE,
    ),
)

EVENTS = Table(
    name="events",
    description="Non-payment records that carry identifiers: logins, bookings, calls, adverts, "
    "visa sponsorships.",
    key=("event_id",),
    columns=(
        Column("event_id", TEXT, "Unique event id.", required=True),
        Column("ts", TIMESTAMP, "When it happened, UTC.", required=True, plausible=PAYMENT_DATES),
        Column("kind", TEXT, "What kind of record this is.", required=True, enum=enums.EVENT_KINDS),
        Column("subject", TEXT, "The account or party the event is about."),
        Column("subject_kind", TEXT, "party or account.", enum=enums.OWNER_KINDS),
        Column("device", TEXT, "Device fingerprint used."),
        Column("ip", TEXT, "IP address used."),
        Column("phone", TEXT, "Phone number used or called."),
        Column("email", TEXT, "Email address used."),
        Column("counterpart", TEXT, "The other side (callee, booked passenger, sponsor)."),
        Column("attributes", TEXT, "Any other fields, as a JSON object."),
        SOURCE,
    ),
)

FRAUD_REPORTS = Table(
    name="fraud_reports",
    description="Victims' reports of authorised push-payment fraud, pointing at their payment.",
    key=("report_id",),
    columns=(
        Column("report_id", TEXT, "Unique report id.", required=True),
        Column("txn_id", TEXT, "The victim's payment (transactions.txn_id).", required=True),
        Column("victim_party_id", TEXT, "The victim (parties.party_id)."),
        Column("fraud_type", TEXT, "UK Finance APP scam category.", enum=enums.FRAUD_TYPES),
        Column(
            "reported_at", TIMESTAMP, "When the victim reported it, UTC.", plausible=PAYMENT_DATES
        ),
        Column("amount", MONEY, "Amount reported lost in this payment."),
        SOURCE,
    ),
)

LABELS = Table(
    name="labels",
    description="Decisions about an account or party: an analyst's judgement or ground truth. "
    "Only `analyst` labels train models; `ground_truth` is for evaluation.",
    key=("subject", "label", "network_id", "source", "decided_at"),
    columns=(
        Column("subject", TEXT, "account_id or party_id the decision is about.", required=True),
        Column("label", TEXT, "Role or verdict.", required=True, enum=enums.LABELS),
        Column("network_id", TEXT, "The criminal network the subject belongs to, if known."),
        Column(
            "source",
            TEXT,
            "analyst (trains models) or ground_truth (evaluation only).",
            required=True,
            enum=enums.LABEL_SOURCES,
        ),
        Column("decided_by", TEXT, "Who decided: analyst id or generator."),
        Column("decided_at", TIMESTAMP, "When it was decided, UTC."),
    ),
)

QUARANTINE = Table(
    name="quarantine",
    description="Rejected input rows, kept with the reason so nothing is silently dropped.",
    key=("row_ref",),
    columns=(
        Column("row_ref", TEXT, "Stable id of the rejection (file, line, field, reason).", True),
        Column("target_table", TEXT, "Table the row was meant for.", required=True),
        Column("file", TEXT, "Input file path.", required=True),
        Column("line", INTEGER, "Line number in the file (header is line 1)."),
        Column("field", TEXT, "Offending field, if one."),
        Column("value", TEXT, "Offending value as read."),
        Column("reason", TEXT, "Why the row was rejected, in plain words.", required=True),
        Column("raw", TEXT, "The whole input row as JSON."),
        Column("load_id", TEXT, "The ingest run that rejected it."),
        Column("quarantined_at", TIMESTAMP, "When it was rejected, UTC."),
    ),
    ingestible=False,
)

INGEST_LOG = Table(
    name="ingest_log",
    description="One row per ingest run: what came in, what was loaded, what was rejected.",
    key=("load_id",),
    columns=(
        Column("load_id", TEXT, "Unique id of the run.", required=True),
        Column("target_table", TEXT, "Table loaded.", required=True),
        Column("file", TEXT, "Input file path.", required=True),
        Column("rows_read", INTEGER, "Rows read from the file."),
        Column("rows_loaded", INTEGER, "New rows added to the table."),
        Column("rows_duplicate", INTEGER, "Rows already present with identical content."),
        Column("rows_quarantined", INTEGER, "Rows rejected to quarantine."),
        Column("started_at", TIMESTAMP, "When the run started, UTC."),
        Column("finished_at", TIMESTAMP, "When the run committed, UTC."),
    ),
    ingestible=False,
)

CANONICAL_TABLES = (
    TRANSACTIONS,
    ACCOUNTS,
    PARTIES,
    IDENTIFIERS,
    EVENTS,
    FRAUD_REPORTS,
    LABELS,
    QUARANTINE,
    INGEST_LOG,
)
