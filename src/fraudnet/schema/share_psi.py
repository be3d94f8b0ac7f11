"""Tables written by private set intersection (`fraudnet share psi-*`): sessions and the log."""

from __future__ import annotations

from fraudnet.schema.model import INTEGER, TEXT, TIMESTAMP, Column, Table

PSI_ROLES = ("request", "respond", "finish")
PSI_MODES = ("cardinality", "intersection")

PSI_QUERY_LOG = Table(
    name="psi_query_log",
    description="Every PSI query this organisation sent, answered, refused or finished: who, "
    "when, which identifier kind, how many values, and how many matched (known only to the "
    "requester). The responder's rows are what its query cap counts.",
    key=("session_id", "role"),
    columns=(
        Column("session_id", TEXT, "Random id shared by the messages of one query.", required=True),
        Column("role", TEXT, "This store's step in the query.", required=True, enum=PSI_ROLES),
        Column("partner", TEXT, "The other organisation.", required=True),
        Column("kind", TEXT, "Identifier kind matched (account, phone, ...).", required=True),
        Column("mode", TEXT, "What the requester learns.", required=True, enum=PSI_MODES),
        Column("logged_at", TIMESTAMP, "When this step ran, UTC.", required=True),
        Column("set_size", INTEGER, "Values in this store's set for the query."),
        Column("partner_set_size", INTEGER, "Values in the partner's set (as its message says)."),
        Column("result_size", INTEGER, "Matches found (requester only; empty elsewhere)."),
        Column("refused", TEXT, "Why the query was refused; empty when it was answered."),
    ),
    derived=True,
    ingestible=False,
)

PSI_SESSIONS = Table(
    name="psi_sessions",
    description="Open PSI queries this store sent: the one-time client key and the ordered "
    "values it asked about, needed to read the partner's answer. Deleted when finished.",
    key=("session_id",),
    columns=(
        Column("session_id", TEXT, "Random id of the query.", required=True),
        Column("partner", TEXT, "Organisation the request is addressed to.", required=True),
        Column("kind", TEXT, "Identifier kind.", required=True),
        Column("mode", TEXT, "Mode asked for.", required=True, enum=PSI_MODES),
        Column("client_key", TEXT, "One-time PSI client key, hex; never leaves the store."),
        Column("request_values", TEXT, "JSON list of the normalised values, in request order."),
        Column("created_at", TIMESTAMP, "When the request was written, UTC.", required=True),
    ),
    derived=True,
    ingestible=False,
)

PSI_MATCHES = Table(
    name="psi_matches",
    description="Values of this store that a partner also holds, from intersection-mode PSI "
    "queries this store sent. A hit says only that the partner holds the same value.",
    key=("session_id", "value"),
    columns=(
        Column("session_id", TEXT, "The query that found the match.", required=True),
        Column("partner", TEXT, "Organisation that holds the value too.", required=True),
        Column("kind", TEXT, "Identifier kind.", required=True),
        Column("value", TEXT, "This store's normalised value.", required=True),
        Column("matched_at", TIMESTAMP, "When the answer was read, UTC.", required=True),
    ),
    derived=True,
    ingestible=False,
)
